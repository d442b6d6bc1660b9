package org.felund.testsupport.browser;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Chromium, headless, with the flags WebRTC needs on loopback (shared/notes/browser-webrtc-tests.md) and
 * none of its background traffic; driven over CDP through the port it writes to its profile.
 */
public final class Chromium implements AutoCloseable {
	public static final Path BINARY = Path.of("/usr/bin/chromium");

	public final Cdp cdp;
	private final Process process;

	private Chromium(Process process, Cdp cdp) {
		this.process = process;
		this.cdp = cdp;
	}

	public static Chromium start(Path profile) throws Exception {
		Files.createDirectories(profile);
		List<String> command = List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
				"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
				"--disable-sync", "--disable-default-apps", "--disable-extensions",
				"--allow-loopback-in-peer-connection", "--autoplay-policy=no-user-gesture-required",
				"--use-fake-ui-for-media-stream",
				"--use-fake-device-for-media-stream", "--remote-debugging-port=0", "--user-data-dir=" + profile,
				"about:blank");
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(profile.resolveSibling("chromium.log").toFile());
		// Its scratch files go with the test's directory, not into the machine's /tmp.
		builder.environment().put("TMPDIR", Files.createDirectories(profile.resolveSibling("chromium-tmp")).toString());
		Process p = builder.start();
		Path portFile = profile.resolve("DevToolsActivePort");
		long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (!Files.exists(portFile) || Files.readAllLines(portFile).size() < 2) {
			if (!p.isAlive() || System.nanoTime() > end) {
				p.destroyForcibly();
				throw new IOException("Chromium did not start (see " + profile.resolveSibling("chromium.log") + ")");
			}
			Thread.sleep(50);
		}
		List<String> lines = Files.readAllLines(portFile);
		Cdp cdp = Cdp.connect(URI.create("ws://127.0.0.1:" + lines.get(0).trim() + lines.get(1).trim()));
		return new Chromium(p, cdp);
	}

	@Override
	public void close() throws InterruptedException {
		cdp.close();
		process.descendants().forEach(ProcessHandle::destroy);
		process.destroy();
		if (!process.waitFor(10, TimeUnit.SECONDS)) {
			process.descendants().forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly();
		}
	}
}
