package org.felund.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Five {@code ./felund-node run --anchor} products on loopback elect the same anchor; when it is killed
 * ({@code kill -9}) the others agree on the next one within 20 s; when it comes back nobody switches again during the
 * 60 s cooldown, and the returning node takes the choice the others hold. Each node logs its choice ("anchor of …"),
 * which is what this test reads. Announcements every 5 s (the round of the uptime count) so that a run stays short.
 */
class AnchorElectionProductsTest {
	private static final int NODES = 5;
	private static final Pattern NODE_ID = Pattern.compile("felund node ([0-9a-f]{24}) ");
	private static final Pattern ANCHOR = Pattern.compile("anchor of [^:]+: (none|[0-9a-f]{24})");
	static final long SWITCH_LIMIT_MS = 20_000;
	static final long COOLDOWN_MS = 60_000;

	private final List<Process> running = new ArrayList<>();

	@Test
	void fiveNodesAgreeSwitchWithin20sWhenTheAnchorDiesAndDoNotFlapWhenItReturns(@TempDir Path tmp) throws Exception {
		List<Path> homes = new ArrayList<>();
		List<Path> logs = new ArrayList<>();
		String code = null;
		for (int i = 0; i < NODES; i++) {
			Path home = tmp.resolve("n" + i);
			homes.add(home);
			logs.add(tmp.resolve("n" + i + ".log"));
			ok(Products.run(home, "felund-node", "init", "--name", "n" + i, "--bind", "127.0.0.1", "--port",
					String.valueOf(freePort())));
			ok(Products.run(home, "felund-node", "config", "set", "org.felund.anchor", "announceInterval", "5"));
			if (i == 0) {
				code = field(ok(Products.run(home, "felund-node", "invite", "--json")).out(), "code");
			} else {
				ok(Products.run(home, "felund-node", "join", "--code", code));
			}
		}
		Process[] nodes = new Process[NODES];
		try {
			for (int i = 0; i < NODES; i++) {
				nodes[i] = start(homes.get(i), logs.get(i), i);
			}
			List<String> ids = new ArrayList<>();
			for (Path log : logs) {
				ids.add(awaitNodeId(log));
			}

			String first = awaitAgreement(logs, Set.of(0, 1, 2, 3, 4), 240_000, 15_000);
			assertTrue(ids.contains(first), "the anchor is one of the nodes: " + first);
			int dead = ids.indexOf(first);

			killTree(nodes[dead]);
			long killed = System.nanoTime();
			Set<Integer> alive = new HashSet<>(Set.of(0, 1, 2, 3, 4));
			alive.remove(dead);
			String next = awaitAgreement(logs, alive, 60_000, 0, first);
			long switchMs = (System.nanoTime() - killed) / 1_000_000;
			System.out.println("anchor switch after kill -9 of the anchor: " + switchMs + " ms (all " + alive.size()
					+ " nodes on " + next + ")");
			assertTrue(!next.equals(first) && ids.contains(next), next);
			assertTrue(switchMs < SWITCH_LIMIT_MS, "all nodes switched after " + switchMs + " ms");

			int[] linesBefore = new int[NODES];
			for (int i : alive) {
				linesBefore[i] = choices(logs.get(i)).size();
			}
			Path relog = tmp.resolve("n" + dead + "-again.log");
			nodes[dead] = start(homes.get(dead), relog, dead);
			long back = System.nanoTime();
			List<Path> afterReturn = new ArrayList<>(logs);
			afterReturn.set(dead, relog);
			while ((System.nanoTime() - back) / 1_000_000 < COOLDOWN_MS) {
				Thread.sleep(1000);
				for (int i : alive) {
					List<String> since = choices(logs.get(i)).subList(linesBefore[i], choices(logs.get(i)).size());
					assertTrue(since.stream().allMatch(next::equals),
							"node " + i + " switched within the cooldown after the old anchor returned: " + since);
				}
			}
			assertEquals(next, awaitAgreement(afterReturn, Set.of(0, 1, 2, 3, 4), 30_000, 0),
					"the returning node takes the choice of the others");
		} finally {
			for (Process p : running) {
				p.destroy();
			}
			for (Process p : running) {
				if (!p.waitFor(30, TimeUnit.SECONDS)) {
					killTree(p);
				}
			}
		}
	}

	private Process start(Path home, Path log, int i) throws IOException {
		Process p = Products.start(home, log, "felund-node", "run", "--interval", "1", "--anchor");
		running.add(p);
		return p;
	}

	/** {@code kill -9} of the node's JVM and of its launcher script. */
	private static void killTree(Process launcher) throws InterruptedException {
		launcher.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
		launcher.destroyForcibly();
		launcher.waitFor(30, TimeUnit.SECONDS);
	}

	/**
	 * Waits until every node of {@code which} names the same anchor (and none of {@code not}) as its latest choice, and
	 * has kept naming it for {@code stableMs}.
	 */
	private static String awaitAgreement(List<Path> logs, Set<Integer> which, long timeoutMs, long stableMs,
			String... not) throws Exception {
		long end = System.nanoTime() + timeoutMs * 1_000_000;
		String agreed = null;
		long since = 0;
		Set<String> excluded = Set.of(not);
		while (System.nanoTime() < end) {
			Set<String> latest = new HashSet<>();
			for (int i : which) {
				latest.add(latest(logs.get(i)).orElse("none"));
			}
			String one = latest.size() == 1 ? latest.iterator().next() : null;
			if (one != null && !one.equals("none") && !excluded.contains(one)) {
				if (!one.equals(agreed)) {
					agreed = one;
					since = System.nanoTime();
				}
				if ((System.nanoTime() - since) / 1_000_000 >= stableMs) {
					return one;
				}
			} else {
				agreed = null;
			}
			Thread.sleep(100);
		}
		StringBuilder why = new StringBuilder("no agreement on the anchor within " + timeoutMs + " ms:");
		for (int i : which) {
			why.append("\n").append(i).append(": ").append(choices(logs.get(i)));
		}
		throw new AssertionError(why.toString());
	}

	private static Optional<String> latest(Path log) throws IOException {
		List<String> all = choices(log);
		return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
	}

	private static List<String> choices(Path log) throws IOException {
		List<String> out = new ArrayList<>();
		if (!Files.exists(log)) {
			return out;
		}
		Matcher m = ANCHOR.matcher(Files.readString(log));
		while (m.find()) {
			out.add(m.group(1));
		}
		return out;
	}

	private static String awaitNodeId(Path log) throws Exception {
		long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
		while (System.nanoTime() < end) {
			if (Files.exists(log)) {
				Matcher m = NODE_ID.matcher(Files.readString(log));
				if (m.find()) {
					return m.group(1);
				}
			}
			Thread.sleep(200);
		}
		throw new AssertionError("the node did not start: " + (Files.exists(log) ? Files.readString(log) : "no log"));
	}

	private static Products.Result ok(Products.Result r) {
		assertEquals(0, r.exitCode(), r.out() + r.err());
		return r;
	}

	private static int freePort() throws IOException {
		try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static String field(String json, String name) {
		Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
		assertTrue(m.find(), name + " missing in " + json);
		return m.group(1);
	}
}
