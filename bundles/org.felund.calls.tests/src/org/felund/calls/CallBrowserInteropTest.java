package org.felund.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.felund.testsupport.FlatClassPath;
import org.felund.testsupport.Netns;
import org.felund.testsupport.browser.Chromium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A call between a desktop node and a real browser: Debian's headless Chromium runs our call test page (protocol §5.5
 * and §8.4, written from the specification) in a loopback-only network namespace that this test creates, next to the
 * real relay and a node with the calls plugin over real webrtc-java. The run itself is {@link CallBrowserInterop},
 * started inside the namespace in a JVM of its own (a thread cannot change its namespace).
 */
class CallBrowserInteropTest {

	@TempDir
	Path tmp;

	@Test
	void chromiumAndTheNodeReceiveEachOthersAudioAndVideoWhoeverOffers() throws Exception {
		assertTrue(Files.isExecutable(Chromium.BINARY),
				"Debian's chromium is needed (releng/bin/ensure-packages test installs it)");
		Path page = tmp.resolve("calls-test-page.html");
		try (var in = CallBrowserInterop.class.getResourceAsStream("calls-test-page.html")) {
			assertTrue(in != null, "the test page is packaged with the tests");
			Files.copy(in, page);
		}
		Path tmpdir = Files.createDirectories(tmp.resolve("java-tmp"));
		try (Netns ns = Netns.create("calls2-br")) {
			List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
					"-Djava.io.tmpdir=" + tmpdir, "--enable-native-access=ALL-UNNAMED", "-cp",
					FlatClassPath.of(CallBrowserInterop.class), CallBrowserInterop.class.getName(), tmp.toString(),
					page.toString()));
			Path log = tmp.resolve("interop.log");
			Process p = new ProcessBuilder(ns.exec(java)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
			boolean done;
			try {
				done = p.waitFor(240, TimeUnit.SECONDS);
			} finally {
				p.descendants().forEach(ProcessHandle::destroyForcibly);
				p.destroyForcibly();
			}
			String output = Files.readString(log);
			String result = Files.exists(tmp.resolve("result.json")) ? Files.readString(tmp.resolve("result.json")) : "";
			System.out.println(result);
			assertTrue(done, "the interop run did not finish within 240 s:\n" + tail(output));
			assertEquals(0, p.exitValue(), "failed checks:\n" + result + "\n" + tail(output));
			assertTrue(result.contains("\"ok\" : true"), result);
		}
	}

	private static String tail(String s) {
		return s.length() > 6000 ? s.substring(s.length() - 6000) : s;
	}
}
