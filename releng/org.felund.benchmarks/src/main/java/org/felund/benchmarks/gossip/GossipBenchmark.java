package org.felund.benchmarks.gossip;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.felund.api.model.ChatMessage;
import org.felund.api.node.NodeListener;
import org.felund.transport.gossip.SyncReport;

/**
 * The gossip benchmarks of docs/benchmarks.md, on loopback with two real nodes in one JVM (SQLite on a temp dir). A
 * {@code main} program, not JMH: each scenario is one long operation. Usage (after {@code run.sh}'s build, or
 * {@code ./mvnw -o -pl releng/org.felund.benchmarks -am -DskipTests package}):
 *
 * <pre>
 * java -cp releng/org.felund.benchmarks/target/classes:$(cat releng/org.felund.benchmarks/target/benchmark.classpath) \
 *     org.felund.benchmarks.gossip.GossipBenchmark [messages=100000] [all|fresh|diff|live]
 * </pre>
 */
public final class GossipBenchmark {
	static final String SECRET = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
	static final String CIRCLE = BenchNode.CRYPTO.forCircle(org.felund.api.crypto.CircleSecret.fromHex(SECRET)).circleId();

	public static void main(String[] args) throws Exception {
		int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
		Path dir = Files.createTempDirectory("felund-gossip-bench");
		String only = args.length > 1 ? args[1] : "all";
		if (only.equals("all") || only.equals("fresh")) {
			freshSync(dir.resolve("fresh"), n);
		}
		if (only.equals("all") || only.equals("diff")) {
			oneDifference(dir.resolve("diff"), n);
		}
		if (only.equals("all") || only.equals("live")) {
			liveLatency(dir.resolve("live"), 1000);
		}
		System.exit(0);
	}

	static void freshSync(Path dir, int n) throws Exception {
		try (BenchNode a = new BenchNode(dir.resolve("a"));
				BenchNode b = new BenchNode(dir.resolve("b"))) {
			a.node.joinCircle(SECRET, "");
			b.node.joinCircle(SECRET, "");
			a.seed(CIRCLE, SECRET, n, System.currentTimeMillis() / 1000 - n);
			long start = System.nanoTime();
			long cpuStart = processCpuNanos();
			SyncReport r = b.gossip.syncWith(CIRCLE, a.addr()).get(10, TimeUnit.MINUTES);
			double secs = (System.nanoTime() - start) / 1e9;
			double cpu = (processCpuNanos() - cpuStart) / 1e9;
			// CPU time of both nodes stays comparable on a shared machine, where wall time does not.
			System.out.printf("fresh sync: %,d messages stored in %.2f s (%,.0f msg/s), %.2f s CPU (both nodes), "
					+ "%,d bytes in, error=%s%n", r.stored(), secs, r.stored() / secs, cpu, r.bytesIn(), r.error());
		}
	}

	private static long processCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
				.getOperatingSystemMXBean()).getProcessCpuTime();
	}

	static void oneDifference(Path dir, int n) throws Exception {
		try (BenchNode a = new BenchNode(dir.resolve("a"));
				BenchNode b = new BenchNode(dir.resolve("b"))) {
			a.node.joinCircle(SECRET, "");
			b.node.joinCircle(SECRET, "");
			List<ChatMessage> common = a.seed(CIRCLE, SECRET, n, System.currentTimeMillis() / 1000 - n);
			for (int i = 0; i < common.size(); i += 5000) {
				b.store.messages().putAll(common.subList(i, Math.min(common.size(), i + 5000)));
			}
			a.node.send(CIRCLE, "general", "the one difference");
			// Warm both sides' key indexes as a long-running node has them.
			a.gossip.engine().warmIndex(CIRCLE);
			b.gossip.engine().warmIndex(CIRCLE);
			long start = System.nanoTime();
			SyncReport r = b.gossip.syncWith(CIRCLE, a.addr()).get(1, TimeUnit.MINUTES);
			double ms = (System.nanoTime() - start) / 1e6;
			System.out.printf("1 of %,d differing: stored %d, %d X_RECON frames (%.1f round trips) of %,d bytes on the wire;"
					+ " whole connection %,d bytes in + %,d out (handshake, PEERS, the message); %.0f ms, error=%s%n", n + 1,
					r.stored(), r.reconFrames(), r.reconFrames() / 2.0, r.reconBytes(), r.bytesIn(), r.bytesOut(), ms,
					r.error());
		}
	}

	static void liveLatency(Path dir, int count) throws Exception {
		try (BenchNode a = new BenchNode(dir.resolve("a"));
				BenchNode b = new BenchNode(dir.resolve("b"))) {
			a.node.joinCircle(SECRET, "");
			b.node.joinCircle(SECRET, "");
			b.gossip.syncWith(CIRCLE, a.addr()).get(30, TimeUnit.SECONDS);
			Map<String, Long> arrived = new ConcurrentHashMap<>();
			b.node.addListener(new NodeListener() {
				@Override
				public void messageAdded(ChatMessage message) {
					arrived.put(message.msgId(), System.nanoTime());
				}
			});
			Map<String, Long> sentAt = new ConcurrentHashMap<>();
			for (int i = 0; i < count; i++) {
				long t = System.nanoTime();
				sentAt.put(a.node.send(CIRCLE, "general", "latency " + i).msgId(), t);
				Thread.sleep(5);
			}
			BenchNode.await("all arrived", Duration.ofSeconds(60), () -> arrived.keySet().containsAll(sentAt.keySet()));
			List<Double> ms = new ArrayList<>();
			sentAt.forEach((id, t) -> ms.add((arrived.get(id) - t) / 1e6));
			Collections.sort(ms);
			System.out.printf("send -> stored on a connected peer (%d messages): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
					count, ms.get(ms.size() / 2), ms.get((int) (ms.size() * 0.99)), ms.get(ms.size() - 1));
		}
	}
}
