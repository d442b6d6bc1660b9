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
				// SWT on GTK sets the X title of a shell as "Felund " (trailing space); the user sees "Felund".
				window = findWindow("^Felund ?$");
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

	/** The first mapped, full-size top-level window whose title matches (SWT also creates small helper shells). */
	private static String findWindow(String titleRegex) throws Exception {
		for (String id : output("xdotool", "search", "--name", titleRegex).lines().toList()) {
			String info = output("xwininfo", "-id", id.strip());
			var width = java.util.regex.Pattern.compile("Width: (\\d+)").matcher(info);
			if (info.contains("IsViewable") && width.find() && Integer.parseInt(width.group(1)) > 400) {
				return id.strip();
			}
		}
		return null;
	}

	private static String output(String... command) throws Exception {
		Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
		p.waitFor(10, TimeUnit.SECONDS);
		return p.exitValue() == 0 ? out : "";
	}
}
