package org.felund.transport.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.felund.testsupport.FlatClassPath;
import org.felund.testsupport.Netns;
import org.felund.transport.webrtc.browser.BrowserInterop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node against a real browser: Debian's headless Chromium runs our test page (the browser side of protocol §8.3,
 * written from the specification) in a loopback-only network namespace that this test creates, next to the real
 * relay and a real node. The run itself is {@link BrowserInterop}, started inside the namespace.
 */
class BrowserInteropTest {

	@TempDir
	Path tmp;

	@Test
	void chromiumAndTheNodeExchangeMessagesRefuseAWrongAuthAndAcceptABurst() throws Exception {
		assertTrue(Files.isExecutable(Path.of("/usr/bin/chromium")),
				"Debian's chromium is needed (releng/bin/ensure-packages test installs it)");
		Path page = tmp.resolve("felund-test-page.html");
		try (var in = BrowserInterop.class.getResourceAsStream("felund-test-page.html")) {
			assertTrue(in != null, "the test page is packaged with the tests");
			Files.copy(in, page);
		}
		Path tmpdir = Files.createDirectories(tmp.resolve("java-tmp"));
		try (Netns ns = Netns.create("webrtc-br")) {
			List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
					"-Djava.io.tmpdir=" + tmpdir, "--enable-native-access=ALL-UNNAMED", "-cp",
					FlatClassPath.of(BrowserInterop.class), BrowserInterop.class.getName(), tmp.toString(),
					page.toString(), "30"));
			Path log = tmp.resolve("interop.log");
			Process p = new ProcessBuilder(ns.exec(java)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
			boolean done;
			try {
				done = p.waitFor(180, TimeUnit.SECONDS);
			} finally {
				p.descendants().forEach(ProcessHandle::destroyForcibly);
				p.destroyForcibly();
			}
			String output = Files.readString(log);
			if (p.exitValue() != 0) {
				System.out.println("class path of the run: " + java.get(java.indexOf("-cp") + 1));
			}
			String result = Files.exists(tmp.resolve("result.json")) ? Files.readString(tmp.resolve("result.json")) : "";
			System.out.println(result);
			assertTrue(done, "the interop run did not finish within 180 s:\n" + tail(output));
			assertEquals(0, p.exitValue(), "failed checks:\n" + result + "\n" + tail(output));
			assertTrue(result.contains("\"ok\" : true"), result);
		}
	}

	private static String tail(String s) {
		return s.length() > 6000 ? s.substring(s.length() - 6000) : s;
	}
}
