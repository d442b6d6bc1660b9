package org.felund.transport.gossip;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.felund.api.model.ChatMessage;
import org.felund.protocol.wire.Json;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Manual interoperability run against the real reference node (Python {@code felundchat.py}), loopback only.
 * Not a unit test: it needs a checkout of the reference that the project does not ship. Usage (class path as in
 * docs/protocol-extensions.md §6):
 *
 * <pre>
 * java -cp bundles/org.felund.transport.gossip.tests/target/classes:&lt;benchmarks class path&gt; \
 *     org.felund.transport.gossip.ReferenceInterop /path/to/felund-core [python3]
 * </pre>
 *
 * Scenarios: (1) a Java node and a Python node exchange messages both ways, each dialling the other; (2) a fresh
 * Python node behind a Java node with 10,000 messages catches up over successive rounds without ever being pushed
 * past its own MSGS_HAVE limit; (3) anchor exchange with a Python anchor and with a Java anchor. Prints a report
 * and exits non-zero on the first failed check.
 */
public final class ReferenceInterop {
	static final String SECRET = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
	static final String CIRCLE = GossipNetworkTest.CIRCLE;

	private final Path reference;
	private final String python;
	private final Path work;
	private final List<Process> processes = new ArrayList<>();

	ReferenceInterop(Path reference, String python) throws IOException {
		this.reference = reference;
		this.python = python;
		this.work = Files.createTempDirectory("felund-interop");
	}

	public static void main(String[] args) throws Exception {
		if (args.length < 1) {
			System.err.println("usage: ReferenceInterop <felund-core checkout> [python3]");
			System.exit(2);
		}
		ReferenceInterop run = new ReferenceInterop(Path.of(args[0]), args.length > 1 ? args[1] : "python3");
		int status = 0;
		try {
			run.basicExchange();
			run.lateReferenceNodeCatchesUp();
			run.anchors();
			System.out.println("INTEROP OK");
		} catch (AssertionError | Exception e) {
			System.out.println("INTEROP FAILED: " + e);
			e.printStackTrace(System.out);
			status = 1;
		} finally {
			run.processes.forEach(Process::destroy);
		}
		System.exit(status);
	}

	static int freePort() throws IOException {
		try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return s.getLocalPort();
		}
	}

	String py(Path state, String... args) throws Exception {
		List<String> cmd = new ArrayList<>(List.of(python, reference.resolve("chat/felundchat.py").toString(),
				"--state-dir", state.toString()));
		cmd.addAll(List.of(args));
		Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes());
		if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
			throw new AssertionError("python " + String.join(" ", args) + " failed: " + out);
		}
		return out;
	}

	Path pythonNode(String name, int port, String peer) throws Exception {
		Path state = work.resolve(name);
		py(state, "init", "--bind", "127.0.0.1", "--port", Integer.toString(port), "--name", name);
		py(state, "join", "--secret", SECRET, "--peer", peer);
		return state;
	}

	Process runPython(Path state, boolean anchor) throws IOException {
		List<String> cmd = new ArrayList<>(List.of(python, reference.resolve("chat/felundchat.py").toString(),
				"--state-dir", state.toString(), "run", "--interval", "1", "--debug"));
		if (anchor) {
			cmd.add("--anchor");
		}
		Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
				.redirectOutput(state.resolve("run.log").toFile()).start();
		processes.add(p);
		return p;
	}

	static JsonNode state(Path dir) throws IOException {
		return Json.parse(Files.readString(dir.resolve("state.json")));
	}

	static Set<String> pythonIds(Path dir) {
		try {
			Set<String> ids = new HashSet<>();
			Iterator<String> it = state(dir).get("messages").fieldNames();
			it.forEachRemaining(ids::add);
			return ids;
		} catch (IOException | RuntimeException e) {
			return Set.of(); // the node is rewriting its file right now
		}
	}

	static String log(Path dir) throws IOException {
		Path log = dir.resolve("run.log");
		return Files.exists(log) ? Files.readString(log) : "";
	}

	static void check(boolean ok, String what) {
		if (!ok) {
			throw new AssertionError(what);
		}
		System.out.println("  ok: " + what);
	}

	GossipOptions javaOptions() {
		return GossipTestNode.fast().withInterval(Duration.ofSeconds(1));
	}

	void basicExchange() throws Exception {
		System.out.println("1. Java <-> Python message exchange");
		try (GossipTestNode java = GossipTestNode.start(work.resolve("java1"), javaOptions())) {
			java.node.joinCircle(SECRET, "");
			int pyPort = freePort();
			Path py = pythonNode("py1", pyPort, java.addr());
			for (int i = 0; i < 3; i++) {
				py(py, "send", "--circle-id", CIRCLE, "from python " + i);
			}
			Set<String> javaSent = new HashSet<>();
			for (int i = 0; i < 3; i++) {
				javaSent.add(java.node.send(CIRCLE, "general", "from java " + i).msgId());
			}
			Set<String> pySent = new HashSet<>(pythonIds(py));
			runPython(py, false);
			GossipTestNode.await("java gets python's messages", Duration.ofSeconds(40),
					() -> java.ids(CIRCLE).containsAll(pySent));
			check(true, "Java node stored the Python node's " + pySent.size() + " schema-1 messages");
			GossipTestNode.await("python gets java's messages", Duration.ofSeconds(40),
					() -> pythonIds(py).containsAll(javaSent));
			check(true, "Python node stored the Java node's 3 schema-2 messages");
			String late = java.node.send(CIRCLE, "general", "one more from java").msgId();
			GossipTestNode.await("next round", Duration.ofSeconds(20), () -> pythonIds(py).contains(late));
			check(true, "a later Java message reaches the Python node within a few rounds");
			check(java.node.peers(CIRCLE).stream().anyMatch(p -> p.addr().equals("127.0.0.1:" + pyPort)),
					"Java node recorded the Python node's listen address");
			JsonNode peers = state(py).get("peers");
			String pyNodeId = state(py).get("node").get("node_id").asText();
			check(!peers.has(pyNodeId), "the Python node never learned its own record from us (§10 #6)");
			String pyLog = log(py);
			check(!pyLog.contains("Traceback") && !pyLog.contains("Frame too large"),
					"no exceptions or oversized frames in the Python log");
		}
	}

	void lateReferenceNodeCatchesUp() throws Exception {
		System.out.println("2. Python node 10,000 messages behind a Java node");
		try (GossipTestNode java = GossipTestNode.start(work.resolve("java2"), javaOptions())) {
			java.node.joinCircle(SECRET, "");
			long t0 = System.currentTimeMillis() / 1000 - 20_000;
			List<ChatMessage> seeded = java.seed(CIRCLE, SECRET, 10_000, t0);
			Path py = pythonNode("py2", freePort(), java.addr());
			runPython(py, false);
			List<Integer> counts = new ArrayList<>();
			long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
			int last = -1;
			int stable = 0;
			while (System.nanoTime() < end && stable < 8) {
				Thread.sleep(1000);
				int n = pythonIds(py).size();
				counts.add(n);
				stable = n == last ? stable + 1 : 0;
				last = n;
			}
			System.out.println("  python message count per second: " + counts);
			Set<String> got = pythonIds(py);
			check(got.size() >= 600, "the Python node caught up to " + got.size() + " messages over successive rounds");
			check(got.size() < 699, "and was never pushed up to the 699 ids its own MSGS_HAVE can carry");
			Set<String> newest = new HashSet<>();
			seeded.subList(seeded.size() - 699, seeded.size()).forEach(m -> newest.add(m.msgId()));
			check(newest.containsAll(got), "it holds the newest messages, which its retention keeps");
			String pyLog = log(py);
			check(!pyLog.contains("Frame too large") && !pyLog.contains("Traceback"),
					"the Python node's syncs never failed on frame size");
			// The reference CLI writes to the state file, which a running node does not reload: stop it first.
			Process running = processes.remove(processes.size() - 1);
			running.destroy();
			running.waitFor(10, TimeUnit.SECONDS);
			py(py, "send", "--circle-id", CIRCLE, "python still syncs");
			runPython(py, false);
			GossipTestNode.await("python's new message", Duration.ofSeconds(30), () -> java.count(CIRCLE) == 10_001);
			check(true, "the caught-up Python node still delivers a new message of its own (headroom kept)");
			check(!log(py).contains("Frame too large"), "still no oversized frame");
			java.close();
			pullFromAFullReferenceNode(py, got.size() + 1);
		}
	}

	/** A fresh Java node that can reach only the (full) Python node pulls its whole store in line-sized requests. */
	void pullFromAFullReferenceNode(Path py, int expected) throws Exception {
		System.out.println("2b. Fresh Java node pulls " + expected + " messages from the Python node alone");
		String pyAddr = "127.0.0.1:" + state(py).get("node").get("port").asInt();
		int tooLargeBefore = count(log(py), "Frame too large");
		try (GossipTestNode fresh = GossipTestNode.start(work.resolve("java2b"), javaOptions())) {
			fresh.node.joinCircle(SECRET, pyAddr);
			long start = System.nanoTime();
			GossipTestNode.await("pull from python", Duration.ofSeconds(90), () -> fresh.count(CIRCLE) >= expected);
			check(true, "got all " + expected + " in " + (System.nanoTime() - start) / 1_000_000 + " ms");
			int probes = count(log(py), "Frame too large") - tooLargeBefore;
			System.out.println("  reference MSGS_SEND overflows while our request size adapted: " + probes);
			check(probes <= 2, "the request size settles after at most two probes");
		}
	}

	static int count(String text, String needle) {
		int n = 0;
		for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
			n++;
		}
		return n;
	}

	void anchors() throws Exception {
		System.out.println("3. Anchor exchange with a Python anchor and a Java anchor");
		// The Java anchor keeps envelopes in the anchor plugin's SQLite store, as the products do.
		try (GossipTestNode java = GossipTestNode.start(work.resolve("java3"), javaOptions(), null, true);
				org.felund.anchor.SqliteAnchorStore store = org.felund.anchor.SqliteAnchorStore.open(work.resolve("java3"))) {
			java.node.setAnchorStore(store);
			java.node.joinCircle(SECRET, "");
			List<String> own = new ArrayList<>();
			for (int i = 0; i < 60; i++) {
				own.add(java.node.send(CIRCLE, "general", "anchor test " + i).msgId());
			}
			Path anchor = pythonNode("pyanchor", freePort(), java.addr());
			runPython(anchor, true);
			Path client = pythonNode("pyclient", freePort(), java.addr());
			py(client, "send", "--circle-id", CIRCLE, "pushed by python to the java anchor");
			runPython(client, false);
			GossipTestNode.await("python pushes to the java anchor", Duration.ofSeconds(40),
					() -> java.gossip.anchorStore().pull(CIRCLE, 0, 1000).size() > 0);
			check(true, "the Java anchor holds " + java.gossip.anchorStore().pull(CIRCLE, 0, 1000).size()
					+ " envelopes pushed by the Python node");
			String anchorNode = state(anchor).get("node").get("node_id").asText();
			GossipTestNode.await("java pulls from the python anchor", Duration.ofSeconds(40),
					() -> java.gossip.engine().anchorCursor(CIRCLE, anchorNode) > 0);
			check(true, "the Java node pushed to and pulled from the Python anchor (cursor "
					+ java.gossip.engine().anchorCursor(CIRCLE, anchorNode) + ")");
			check(store.size(CIRCLE) > 0 && store.pull(CIRCLE, 0, 1000).stream().allMatch(m -> m.text().isEmpty()),
					"the Java anchor's SQLite store holds " + store.size(CIRCLE) + " ciphertext-only envelopes");
			GossipTestNode.await("the Python anchor's ANCHOR_PUSH_ACK delivers own messages", Duration.ofSeconds(40),
					() -> own.stream().anyMatch(id -> java.node.delivery(CIRCLE, id).orElseThrow().hops().stream()
							.anyMatch(h -> h.route() == org.felund.api.model.Delivery.Route.ANCHOR
									&& h.peer().equals(anchorNode))));
			check(true, "own messages delivered to the Python anchor (route anchor): " + own.stream()
					.filter(id -> java.node.delivery(CIRCLE, id).orElseThrow().hops().stream()
							.anyMatch(h -> h.peer().equals(anchorNode)))
					.count() + " of " + own.size());
			String anchorLog = log(anchor);
			check(!anchorLog.contains("Frame too large") && !anchorLog.contains("Traceback"),
					"no oversized frames or exceptions on the Python anchor");
			check(!log(client).contains("Traceback"), "no exceptions on the Python client");
		}
	}
}
