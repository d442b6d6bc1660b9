package org.felund.webrtc;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Native resources of peer connections, measured on the real stack (webrtc-java, the relay's mailbox, the loopback
 * workaround) in one JVM. A {@code main} program, not a test:
 *
 * <pre>
 * java -cp &lt;test class path&gt; org.felund.webrtc.RtcBenchmark churn [cycles=1000]
 * java -cp &lt;test class path&gt; org.felund.webrtc.RtcBenchmark memory [connections=50]
 * </pre>
 *
 * {@code churn}: connect, exchange a message, close, {@code cycles} times; resident memory, Java heap after GC,
 * threads and file descriptors every 100 cycles. {@code -Dfelund.webrtc.noReleaseWorkaround=true} runs it without
 * the release of closed peer connections, to see what webrtc-java 0.14.0 leaks by itself. {@code memory}: opens
 * {@code connections} DataChannel sessions between two peers of this JVM and reports resident memory per peer
 * connection (each session is two of them).
 */
public final class RtcBenchmark {
	private static final String A = "0a0a0a0a0a0a0a0a0a0a0a0a";
	private static final String B = "0b0b0b0b0b0b0b0b0b0b0b0b";

	public static void main(String[] args) throws Exception {
		String mode = args.length > 0 ? args[0] : "churn";
		int n = args.length > 1 ? Integer.parseInt(args[1]) : mode.equals("memory") ? 50 : 1000;
		Path tmp = Files.createTempDirectory("rtc-bench");
		Signaling.Options options = Signaling.Options.defaults().withLimits(4 * n + 8, 2 * n + 4);
		System.out.println("webrtc-java " + RtcRuntime.libraryVersion() + ", release of closed connections "
				+ (org.felund.webrtc.internal.NativeRelease.active() ? "on" : "OFF"));
		try (RtcRuntime runtime = new RtcRuntime(); TestRelay relay = new TestRelay(tmp.resolve("relay.db"));
				TestPeer a = new TestPeer(runtime, relay.url(), A, options, TestPeer.busyMailbox());
				TestPeer b = new TestPeer(runtime, relay.url(), B, options, TestPeer.busyMailbox())) {
			if (mode.equals("memory")) {
				memory(a, b, n);
			} else {
				churn(a, b, n);
			}
		}
		Runtime.getRuntime().halt(0);
	}

	private static void churn(TestPeer a, TestPeer b, int cycles) throws Exception {
		for (int i = 0; i < 20; i++) {
			cycle(a);
		}
		Sample start = Sample.take();
		System.out.println("after 20 warm-up cycles: " + start);
		long t0 = System.nanoTime();
		for (int i = 1; i <= cycles; i++) {
			cycle(a);
			if (i % 100 == 0) {
				TestPeer.await("B to close", Duration.ofSeconds(10), () -> count(b) == 0);
				System.out.printf("%5d cycles  %s%n", i, Sample.take());
			}
		}
		Sample end = Sample.take();
		System.out.printf("%d cycles in %.1f s: resident %+.1f kB per cycle, heap %+.2f kB per cycle, threads %+d, "
				+ "fds %+d, UDP sockets %+d, open connections %d%n", cycles, (System.nanoTime() - t0) / 1e9,
				(end.rssKb - start.rssKb) / (double) cycles, (end.heapKb - start.heapKb) / (double) cycles,
				end.threads - start.threads, end.fds - start.fds, end.udpSockets - start.udpSockets,
				a.factory.openConnections());
	}

	/** One connect → message → close, both ends freed. */
	static void cycle(TestPeer a) throws Exception {
		CountDownLatch echoed = new CountDownLatch(1);
		PeerSession s = a.call(() -> a.signaling.offer(B, TestPeer.HINT, new PeerSession.Listener() {
		}, x -> x.openDataChannel("felund-gossip", true, new DataChannelPort.Listener() {
			@Override
			public void opened(DataChannelPort p) {
				p.send("ping");
			}

			@Override
			public void message(DataChannelPort p, byte[] data, boolean binary) {
				echoed.countDown();
			}
		})));
		if (s == null || !echoed.await(10, TimeUnit.SECONDS)) {
			throw new IllegalStateException("a cycle did not connect");
		}
		a.call(() -> {
			s.close("cycle done");
			return null;
		});
	}

	private static void memory(TestPeer a, TestPeer b, int connections) throws Exception {
		for (int i = 0; i < 5; i++) {
			cycle(a);
		}
		TestPeer.await("B idle", Duration.ofSeconds(10), () -> count(b) == 0);
		Sample before = Sample.take();
		List<PeerSession> open = new ArrayList<>();
		for (int i = 0; i < connections; i++) {
			CountDownLatch up = new CountDownLatch(1);
			open.add(a.call(() -> a.signaling.offer(B, TestPeer.HINT, new PeerSession.Listener() {
			}, x -> x.openDataChannel("felund-gossip", true, new DataChannelPort.Listener() {
				@Override
				public void opened(DataChannelPort p) {
					p.send("x".repeat(100));
				}

				@Override
				public void message(DataChannelPort p, byte[] data, boolean binary) {
					up.countDown();
				}
			}))));
			if (!up.await(10, TimeUnit.SECONDS)) {
				throw new IllegalStateException("connection " + i + " did not come up");
			}
		}
		Sample during = Sample.take();
		int pcs = 2 * connections;
		System.out.printf("%d open peer connections (%d sessions, both ends in this JVM): resident %+d kB = %.0f kB "
				+ "per peer connection; Java heap %+d kB = %.1f kB per peer connection; threads %+d%n", pcs,
				connections, during.rssKb - before.rssKb, (during.rssKb - before.rssKb) / (double) pcs,
				during.heapKb - before.heapKb, (during.heapKb - before.heapKb) / (double) pcs,
				during.threads - before.threads);
		a.call(() -> {
			open.forEach(s -> s.close("done"));
			return null;
		});
		TestPeer.await("B to close", Duration.ofSeconds(20), () -> count(b) == 0);
		System.out.println("after closing them: " + Sample.take() + " (before: " + before + ")");
	}

	private static int count(TestPeer p) {
		try {
			return p.sessionCount();
		} catch (Exception e) {
			throw new IllegalStateException(e);
		}
	}

	/** Process-wide numbers from /proc and the JVM. */
	record Sample(long rssKb, long heapKb, int threads, int fds, int udpSockets) {
		static Sample take() throws Exception {
			System.gc();
			Thread.sleep(200);
			long rss = 0;
			for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
				if (line.startsWith("VmRSS:")) {
					rss = Long.parseLong(line.replaceAll("\\D", ""));
				}
			}
			Runtime rt = Runtime.getRuntime();
			int threads;
			try (var s = Files.list(Path.of("/proc/self/task"))) {
				threads = (int) s.count();
			}
			java.util.Set<String> sockets = new java.util.HashSet<>();
			int fds = 0;
			try (var s = Files.list(Path.of("/proc/self/fd"))) {
				for (Path fd : (Iterable<Path>) s::iterator) {
					fds++;
					try {
						String target = Files.readSymbolicLink(fd).toString();
						if (target.startsWith("socket:[")) {
							sockets.add(target.substring(8, target.length() - 1));
						}
					} catch (java.io.IOException closedMeanwhile) {
						// The descriptor went away while listing.
					}
				}
			}
			// Every peer connection binds UDP sockets: the ones still open are the ones not freed.
			int udp = 0;
			for (String table : List.of("/proc/self/net/udp", "/proc/self/net/udp6")) {
				for (String line : Files.readAllLines(Path.of(table), StandardCharsets.US_ASCII)) {
					String[] f = line.trim().split("\\s+");
					if (f.length > 9 && sockets.contains(f[9])) {
						udp++;
					}
				}
			}
			return new Sample(rss, (rt.totalMemory() - rt.freeMemory()) / 1024, threads, fds, udp);
		}

		@Override
		public String toString() {
			return "resident " + rssKb + " kB, heap " + heapKb + " kB, " + threads + " threads, " + fds + " fds ("
					+ udpSockets + " UDP)";
		}
	}
}
