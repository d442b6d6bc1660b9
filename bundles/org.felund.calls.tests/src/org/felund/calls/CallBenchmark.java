package org.felund.calls;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.felund.api.call.Health;
import org.felund.api.call.PeerMedia;

/**
 * Calls benchmark harness (a main program, not a test; docs/benchmarks.md): two real nodes in one JVM on the real
 * relay, real webrtc-java over loopback. Measures join → media connected over several calls, then in one call the
 * mouth-to-ear latency of the test beeps (each starts on a wall-clock second; the receiver notes when it hears it),
 * the age of the test pattern's frames on arrival, and the process CPU for one 640x480@30 video stream with audio,
 * against the same call with audio only.
 *
 * <pre>bundles/org.felund.calls.tests/benchmark.sh org.felund.calls.CallBenchmark [calls] [seconds]</pre>
 */
public final class CallBenchmark {
	private CallBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int calls = args.length > 0 ? Integer.parseInt(args[0]) : 5;
		int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
		Path dir = Files.createTempDirectory("calls-bench");
		try (TestRelay relay = new TestRelay(dir.resolve("relay.db"));
				CallTestNode alice = new CallTestNode(dir.resolve("alice"), "alice", relay.url(), "beep:1000",
						"pattern:640x480@30", 6);
				CallTestNode bob = new CallTestNode(dir.resolve("bob"), "bob", relay.url(), "silence", "none", 6)) {
			List<Long> joins = new ArrayList<>();
			String session = null;
			for (int i = 0; i < calls; i++) {
				String s = alice.calls.start(alice.circle, "general").sessionId();
				CallTestNode.await("bob to hear of the call", () -> bob.call(s).isPresent());
				long t0 = System.nanoTime();
				bob.calls.join(s);
				CallTestNode.await("media", () -> connected(bob, alice) && connected(alice, bob));
				joins.add((System.nanoTime() - t0) / 1_000_000);
				if (i < calls - 1) {
					alice.calls.end(s);
					CallTestNode.await("the end", () -> bob.calls.peers().isEmpty() && alice.calls.peers().isEmpty());
				} else {
					session = s;
				}
			}
			System.out.println("join -> media connected, ms (first includes the native factories' start): " + joins);
			List<Long> warm = new ArrayList<>(joins.subList(Math.min(1, joins.size()), joins.size()));
			warm.sort(null);
			if (!warm.isEmpty()) {
				System.out.println("  median of the rest: " + warm.get(warm.size() / 2) + " ms");
			}

			CallTestNode.await("video at bob", () -> in(bob, alice).videoIn().fps() > 20);
			Thread.sleep(3000);
			double videoCores = cores(seconds);
			Map<String, Object> audioIn = stat(bob, "audio_in");
			Map<String, Object> videoIn = stat(bob, "video_in");
			System.out.printf("one 640x480@30 stream with audio, sent and received in this JVM: %.2f cores%n",
					videoCores);
			System.out.println("  received: " + videoIn.get("width") + "x" + videoIn.get("height") + " @ "
					+ videoIn.get("fps") + " fps, " + videoIn.get("kbps") + " kbit/s; frame age on arrival "
					+ videoIn.get("pattern_age_ms") + " ms");
			System.out.println("  mouth-to-ear (test beeps, median of the last 32): " + audioIn.get("beep_latency_ms")
					+ " ms");
			alice.calls.setCamera(false);
			CallTestNode.await("frames to stop", () -> in(bob, alice).videoIn().fps() < 1);
			Thread.sleep(2000);
			double audioCores = cores(seconds);
			System.out.printf("the same call with audio only: %.2f cores, so the video stream costs %.2f cores%n",
					audioCores, videoCores - audioCores);
			alice.calls.end(session);
		}
	}

	private static boolean connected(CallTestNode at, CallTestNode from) {
		return at.peer(from).map(p -> p.health() == Health.CONNECTED).orElse(false);
	}

	private static PeerMedia in(CallTestNode at, CallTestNode from) {
		return at.peer(from).orElseThrow();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> stat(CallTestNode at, String key) {
		return (Map<String, Object>) at.statPeers().get(0).get(key);
	}

	/** The process's CPU over a window, in cores (1.0 = one core busy). */
	private static double cores(int seconds) throws InterruptedException {
		com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
				.getOperatingSystemMXBean();
		long cpu0 = os.getProcessCpuTime();
		long t0 = System.nanoTime();
		Thread.sleep(seconds * 1000L);
		return (os.getProcessCpuTime() - cpu0) / (double) (System.nanoTime() - t0);
	}
}
