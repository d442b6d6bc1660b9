package org.felund.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `./felund` opens a real window titled "Felund" on the X server of $DISPLAY. */
class DesktopLaunchTest {
	@Test
	void felundScriptOpensAWindowTitledFelund(@TempDir Path home) throws Exception {
		String display = System.getenv("DISPLAY");
		assertNotNull(display, "DISPLAY is not set: run the tests through .ci/run, which starts Xvfb");
		Path log = home.resolve("desktop.log");
		Process desktop = new ProcessBuilder(Products.REPO.resolve("felund").toString(), "--home", home.toString())
				.redirectErrorStream(true).redirectOutput(log.toFile()).start();
		try {
			String window = null;
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
			while (window == null && System.nanoTime() < deadline && desktop.isAlive()) {
				window = findWindow("^Felund$");
				if (window == null) {
					Thread.sleep(500);
				}
			}
			assertNotNull(window, "no window titled Felund within 90 s; log:\n" + Files.readString(log));
			Path dir = Path.of(System.getProperty("felund.screenshots", "target/screenshots"));
			Files.createDirectories(dir);
			Path shot = dir.resolve("desktop-product.png");
			Thread.sleep(1500); // let the parts finish their first layout
			Process grab = new ProcessBuilder("import", "-window", window, shot.toString()).inheritIO().start();
			assertTrue(grab.waitFor(30, TimeUnit.SECONDS) && grab.exitValue() == 0, "screenshot failed");
			assertTrue(Files.size(shot) > 10_000, "screenshot is too small to show a window");
			String output = Files.readString(log, StandardCharsets.UTF_8);
			assertFalse(output.contains("An error has occurred"), output);
		} finally {
			desktop.destroy();
			if (!desktop.waitFor(20, TimeUnit.SECONDS)) {
				desktop.destroyForcibly();
			}
		}
	}

	private static String findWindow(String titleRegex) throws Exception {
		Process p = new ProcessBuilder("xdotool", "search", "--onlyvisible", "--name", titleRegex)
				.redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
		p.waitFor(10, TimeUnit.SECONDS);
		return p.exitValue() == 0 && !out.isEmpty() ? out.lines().findFirst().orElse(null) : null;
	}
}
