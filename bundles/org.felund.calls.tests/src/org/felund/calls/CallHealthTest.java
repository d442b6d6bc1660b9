package org.felund.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.felund.testsupport.FlatClassPath;
import org.felund.testsupport.Netns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Degraded and failed call health on a real bad link: {@link CallHealthRun} in a loopback-only network namespace that
 * this test creates (a process of its own: only there may it throttle and cut the link). About a minute by design:
 * ICE takes its time to give up on a dead path, and the reconnect is part of the proof.
 */
class CallHealthTest {
	@TempDir
	Path tmp;

	@Test
	void aThrottledLinkIsDegradedADeadOneFailsAndTheCallRecoversByItself() throws Exception {
		Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
		try (Netns ns = Netns.create("calls2-hl")) {
			List<String> java = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
					"-Djava.io.tmpdir=" + javaTmp, "--enable-native-access=ALL-UNNAMED", "-cp",
					FlatClassPath.of(CallHealthRun.class), CallHealthRun.class.getName(), tmp.toString());
			Path log = tmp.resolve("health.log");
			Process p = new ProcessBuilder(ns.exec(java)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
			boolean done;
			try {
				done = p.waitFor(240, TimeUnit.SECONDS);
			} finally {
				p.descendants().forEach(ProcessHandle::destroyForcibly);
				p.destroyForcibly();
			}
			String result = Files.exists(tmp.resolve("result.json")) ? Files.readString(tmp.resolve("result.json")) : "";
			System.out.println(result);
			String output = Files.readString(log);
			assertTrue(done, "the health run did not finish within 240 s:\n" + tail(output));
			assertEquals(0, p.exitValue(), "failed checks:\n" + result + "\n" + tail(output));
			assertTrue(result.contains("\"ok\" : true"), result);
		}
	}

	private static String tail(String s) {
		return s.length() > 6000 ? s.substring(s.length() - 6000) : s;
	}
}
