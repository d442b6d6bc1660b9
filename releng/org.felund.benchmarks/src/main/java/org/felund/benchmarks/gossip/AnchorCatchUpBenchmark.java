package org.felund.benchmarks.gossip;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.felund.api.control.AnchorAnnounce;
import org.felund.api.model.ChatMessage;
import org.felund.transport.gossip.SyncReport;

/**
 * Catch-up through an anchor (docs/benchmarks.md, "Anchors"): a member was away while {@code n} messages were said;
 * the author has gone too, no relay runs, and the only node online is the circle's anchor. The member comes back and
 * syncs with the anchor; measured is the time until it has every message (checked by id: nothing lost, nothing
 * twice). Three real nodes in one JVM (SQLite on a temp dir, gossip on loopback with the Felund extensions). Usage:
 *
 * <pre>
 * java -cp releng/org.felund.benchmarks/target/classes:$(cat releng/org.felund.benchmarks/target/benchmark.classpath) \
 *     org.felund.benchmarks.gossip.AnchorCatchUpBenchmark [messages=10000] [history=1000] [runs=3]
 * </pre>
 */
public final class AnchorCatchUpBenchmark {
	static final String SECRET = GossipBenchmark.SECRET;
	static final String CIRCLE = GossipBenchmark.CIRCLE;

	public static void main(String[] args) throws Exception {
		int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
		int history = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
		int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
		Path dir = Files.createTempDirectory("felund-anchor-bench");
		for (int run = 1; run <= runs; run++) {
			catchUp(dir.resolve("run" + run), n, history);
		}
		System.exit(0);
	}

	private static long processCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
				.getOperatingSystemMXBean()).getProcessCpuTime();
	}

	static void catchUp(Path dir, int n, int history) throws Exception {
		long now = System.currentTimeMillis() / 1000;
		try (BenchNode anchor = new BenchNode(dir.resolve("anchor"));
				BenchNode member = new BenchNode(dir.resolve("member"))) {
			anchor.node.joinCircle(SECRET, "");
			member.node.joinCircle(SECRET, "");
			anchor.node.controlEvents().send(CIRCLE, new AnchorAnnounce(anchor.nodeId(), now, true, false, false));
			Set<String> said;
			try (BenchNode author = new BenchNode(dir.resolve("author"))) {
				author.node.joinCircle(SECRET, "");
				// What everyone had before the member went away.
				List<ChatMessage> before = author.seed(CIRCLE, SECRET, history, now - 2 * (history + n));
				for (int i = 0; i < before.size(); i += 5000) {
					List<ChatMessage> part = before.subList(i, Math.min(before.size(), i + 5000));
					anchor.store.messages().putAll(part);
					member.store.messages().putAll(part);
				}
				// Said while the member was away: it reaches the anchor, then the author leaves.
				said = new HashSet<>();
				for (int i = 0; i < n; i += 5000) {
					author.seed(CIRCLE, SECRET, Math.min(5000, n - i), now - n + i).forEach(m -> said.add(m.msgId()));
				}
				SyncReport toAnchor = null;
				int rounds = 0;
				while (rounds < 20 && !anchor.node.context().messages().messageIds(CIRCLE).containsAll(said)) {
					toAnchor = author.gossip.syncWith(CIRCLE, anchor.addr()).get(10, TimeUnit.MINUTES);
					rounds++;
					System.out.printf("setup round %d: anchor holds %,d, error=%s%n", rounds,
							anchor.node.context().messages().messageIds(CIRCLE).size(), toAnchor.error());
				}
				if (!anchor.node.context().messages().messageIds(CIRCLE).containsAll(said)) {
					throw new AssertionError("the anchor did not get the messages: " + toAnchor.error());
				}
			}
			anchor.gossip.engine().warmIndex(CIRCLE);
			member.gossip.engine().warmIndex(CIRCLE);
			long before = member.store.messages().count(CIRCLE, null, null);
			long start = System.nanoTime();
			long cpuStart = processCpuNanos();
			SyncReport r = member.gossip.syncWith(CIRCLE, anchor.addr()).get(10, TimeUnit.MINUTES);
			double secs = (System.nanoTime() - start) / 1e9;
			double cpu = (processCpuNanos() - cpuStart) / 1e9;
			Set<String> has = new HashSet<>(member.store.messages().messageIds(CIRCLE));
			long missing = said.stream().filter(id -> !has.contains(id)).count();
			long gained = member.store.messages().count(CIRCLE, null, null) - before;
			// CPU time of both nodes stays comparable on a shared machine, where wall time does not.
			System.out.printf("catch-up through the anchor: %,d messages (behind a history of %,d) in %.2f s"
					+ " (%,.0f msg/s), %.2f s CPU (both nodes), stored %,d (with the anchor's announcement), missing %d,"
					+ " %,d bytes in, error=%s%n", n, history, secs, n / secs, cpu, gained, missing, r.bytesIn(), r.error());
			if (missing != 0) {
				throw new AssertionError(missing + " messages missing after the catch-up");
			}
		}
	}
}
