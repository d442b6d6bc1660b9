package org.felund.transport.gossip;

import static org.felund.transport.gossip.GossipTestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.felund.api.crypto.CircleSecret;
import org.felund.api.model.ChatMessage;
import org.felund.api.transport.Endpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Java nodes on loopback: real Netty sockets, real Node, SQLite store and JCA crypto. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GossipNetworkTest {
	static final String SECRET = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
	static final String CIRCLE = GossipTestNode.CRYPTO.forCircle(CircleSecret.fromHex(SECRET)).circleId();
	static final long T0 = System.currentTimeMillis() / 1000 - 3600;

	@TempDir
	Path tmp;

	@Test
	void twoNodesConvergeAndThenPushLive() throws Exception {
		try (GossipTestNode a = GossipTestNode.start(tmp.resolve("a"), GossipTestNode.fast());
				GossipTestNode b = GossipTestNode.start(tmp.resolve("b"), GossipTestNode.fast())) {
			a.node.joinCircle(SECRET, "");
			b.node.joinCircle(SECRET, "");
			for (int i = 0; i < 20; i++) {
				a.node.send(CIRCLE, "general", "from a " + i);
				b.node.send(CIRCLE, "general", "from b " + i);
			}
			SyncReport report = b.gossip.syncWith(CIRCLE, a.addr()).get(20, TimeUnit.SECONDS);
			assertNull(report.error());
			assertTrue(report.extended());
			assertTrue(report.live());
			await("convergence", Duration.ofSeconds(20), () -> a.ids(CIRCLE).equals(b.ids(CIRCLE)));
			assertEquals(42, a.count(CIRCLE)); // 40 and each join's CHANNEL_EVT (a member announces itself)
			// The gossip interval is a minute: only the live push can deliver this within the wait.
			String id = a.node.send(CIRCLE, "general", "live one").msgId();
			await("live push", Duration.ofSeconds(5), () -> b.store.messages().contains(CIRCLE, id));
			String back = b.node.send(CIRCLE, "general", "live two").msgId();
			await("live push back", Duration.ofSeconds(5), () -> a.store.messages().contains(CIRCLE, back));
			assertEquals(1, a.gossip.liveSessions());
			assertEquals(1, b.gossip.liveSessions());
			assertTrue(!a.gossip.referencePeersSeen(CIRCLE) && !b.gossip.referencePeersSeen(CIRCLE),
					"only Felund nodes share this circle");
			// Both have each other as peers, and neither recorded itself.
			assertTrue(a.node.peers(CIRCLE).stream().anyMatch(p -> p.nodeId().equals(b.nodeId())));
			assertTrue(b.node.peers(CIRCLE).stream().noneMatch(p -> p.nodeId().equals(b.nodeId())));
		}
	}

	@Test
	void idleLiveConnectionsStayOpenAndDeadOnesAreDropped() throws Exception {
		GossipOptions shortTimeout = GossipTestNode.fast().withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(1500));
		try (GossipTestNode a = GossipTestNode.start(tmp.resolve("a"), shortTimeout);
				GossipTestNode b = GossipTestNode.start(tmp.resolve("b"), shortTimeout)) {
			a.node.joinCircle(SECRET, "");
			b.node.joinCircle(SECRET, "");
			assertTrue(b.gossip.syncWith(CIRCLE, a.addr()).get(10, TimeUnit.SECONDS).live());
			Thread.sleep(4_000); // more than two read timeouts without any message
			assertEquals(1, a.gossip.liveSessions());
			assertEquals(1, b.gossip.liveSessions());
			String id = a.node.send(CIRCLE, "general", "after the quiet").msgId();
			await("push after idling", Duration.ofSeconds(5), () -> b.store.messages().contains(CIRCLE, id));
			// When one side goes away the other notices and stops counting it as live.
			b.detachGossip();
			await("live session dropped", Duration.ofSeconds(5), () -> a.gossip.liveSessions() == 0);
		}
	}

	@Test
	void messagesStoredWhileGossipIsDetachedGoOutWhenItComesBack() throws Exception {
		try (GossipTestNode a = GossipTestNode.start(tmp.resolve("a"), GossipTestNode.fast());
				GossipTestNode b = GossipTestNode.start(tmp.resolve("b"), GossipTestNode.fast())) {
			a.node.joinCircle(SECRET, "");
			b.node.joinCircle(SECRET, "");
			assertTrue(b.gossip.syncWith(CIRCLE, a.addr()).get(10, TimeUnit.SECONDS).live());
			int port = a.gossip.boundPort();
			assertTrue(threadsOf(a) > 0);
			assertEquals(List.of(new Endpoint("gossip", Endpoint.Kind.DIRECT, "127.0.0.1:" + port)), a.context.endpoints());

			// A's gossip goes (its bundle stopped): socket closed, endpoint withdrawn, threads ended.
			a.detachGossip();
			assertEquals(List.of(), a.context.endpoints());
			assertEquals(0, a.gossip.boundPort());
			await("B to drop the live session", Duration.ofSeconds(5), () -> b.gossip.liveSessions() == 0);
			await("A's gossip threads to end", Duration.ofSeconds(5), () -> threadsOf(a) == 0);
			String whileAway = a.node.send(CIRCLE, "general", "written while gossip was stopped").msgId();

			// It comes back (on a new port): reconciliation delivers what was stored meanwhile.
			a.attachGossip();
			assertEquals(1, a.context.endpoints().size());
			SyncReport report = b.gossip.syncWith(CIRCLE, a.addr()).get(10, TimeUnit.SECONDS);
			assertNull(report.error());
			await("the message stored meanwhile", Duration.ofSeconds(5),
					() -> b.store.messages().contains(CIRCLE, whileAway));
		}
	}

	private static long threadsOf(GossipTestNode n) {
		String prefix = org.felund.transport.gossip.internal.GossipEngine.threadPrefix(n.nodeId());
		return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().startsWith(prefix))
				.count();
	}

	@Test
	void liveConnectionsKeepSpreadingPeersAndHealGaps() throws Exception {
		GossipOptions opts = GossipTestNode.fast().withInterval(Duration.ofMillis(100));
		try (GossipTestNode a = GossipTestNode.start(tmp.resolve("a"), opts);
				GossipTestNode b = GossipTestNode.start(tmp.resolve("b"), opts);
				GossipTestNode c = GossipTestNode.start(tmp.resolve("c"), opts)) {
			a.node.joinCircle(SECRET, b.addr());
			b.node.joinCircle(SECRET, "");
			await("a and b live", Duration.ofSeconds(10), () -> a.gossip.liveSessions() == 1);
			// c only knows b; a learns of c only through its live connection's periodic PEERS.
			c.node.joinCircle(SECRET, b.addr());
			await("a learns c", Duration.ofSeconds(15),
					() -> a.node.peers(CIRCLE).stream().anyMatch(p -> p.nodeId().equals(c.nodeId())));
			// A message that reaches b's store without any event (another process writing the same home) is
			// found by the periodic reconciliation rather than pushed.
			ChatMessage quiet = b.seed(CIRCLE, SECRET, 1, T0).get(0);
			await("healed by reconciliation", Duration.ofSeconds(15),
					() -> a.store.messages().contains(CIRCLE, quiet.msgId()));
		}
	}

	@Test
	void fiveNodesConvergeThroughTheGossipLoop() throws Exception {
		List<GossipTestNode> nodes = new ArrayList<>();
		try {
			GossipOptions opts = GossipTestNode.fast().withInterval(Duration.ofMillis(300));
			for (int i = 0; i < 5; i++) {
				GossipTestNode n = GossipTestNode.start(tmp.resolve("n" + i), opts);
				// Each only knows the previous one: the rest must be learned through PEERS.
				n.node.joinCircle(SECRET, i == 0 ? "" : nodes.get(i - 1).addr());
				nodes.add(n);
			}
			for (int i = 0; i < 5; i++) {
				for (int m = 0; m < 10; m++) {
					nodes.get(i).node.send(CIRCLE, "general", "node " + i + " message " + m);
				}
			}
			await("five nodes converge", Duration.ofSeconds(60), () -> {
				Set<String> first = nodes.get(0).ids(CIRCLE);
				return first.size() == 55 && nodes.stream().allMatch(n -> n.ids(CIRCLE).equals(first));
			});
			// Peer exchange reached beyond the bootstrap chain.
			await("peer exchange", Duration.ofSeconds(30),
					() -> nodes.get(0).node.peers(CIRCLE).size() >= 3);
		} finally {
			for (GossipTestNode n : nodes) {
				n.close();
			}
		}
	}

	@Test
	void lateJoinerCatchesUpTenThousandMessages() throws Exception {
		try (GossipTestNode a = GossipTestNode.start(tmp.resolve("a"), GossipTestNode.fast());
				GossipTestNode b = GossipTestNode.start(tmp.resolve("b"), GossipTestNode.fast())) {
			a.node.joinCircle(SECRET, "");
			a.seed(CIRCLE, SECRET, 10_000, T0);
			b.node.joinCircle(SECRET, "");
			// What a holds: the 10,000 and its own join announcement (a joining member announces itself).
			Set<String> aHeld = a.ids(CIRCLE);
			assertEquals(10_001, aHeld.size());
			long start = System.nanoTime();
			SyncReport report = b.gossip.syncWith(CIRCLE, a.addr()).get(90, TimeUnit.SECONDS);
			long millis = (System.nanoTime() - start) / 1_000_000;
			assertNull(report.error());
			assertEquals(10_001, report.stored());
			Set<String> bHeld = b.ids(CIRCLE);
			assertTrue(bHeld.containsAll(aHeld), "b holds everything a held");
			assertEquals(10_002, bHeld.size(), "a's 10,001 and b's own join announcement, nothing else");
			// b's announcement goes the other way in the same reconciliation (a stores it as it arrives).
			await("a to store b's join announcement", Duration.ofSeconds(10), () -> a.ids(CIRCLE).equals(bHeld));
			System.out.println("gossip: late joiner stored 10,000 messages in " + millis + " ms");
		}
	}

	@Test
	void aNodeRestartedMidSyncLosesNothing() throws Exception {
		Path bHome = tmp.resolve("b");
		try (GossipTestNode a = GossipTestNode.start(tmp.resolve("a"), GossipTestNode.fast())) {
			a.node.joinCircle(SECRET, "");
			a.seed(CIRCLE, SECRET, 4_000, T0);
			Set<String> before;
			try (GossipTestNode b = GossipTestNode.start(bHome, GossipTestNode.fast())) {
				b.node.joinCircle(SECRET, "");
				b.node.send(CIRCLE, "general", "written before the restart");
				b.gossip.syncWith(CIRCLE, a.addr());
				await("a partial sync", Duration.ofSeconds(30), () -> b.count(CIRCLE) > 200);
				before = b.ids(CIRCLE);
				// Closing here stops the transport mid-transfer and closes the store under it.
			}
			try (GossipTestNode b = GossipTestNode.start(bHome, GossipTestNode.fast())) {
				Set<String> reopened = b.ids(CIRCLE);
				assertTrue(reopened.containsAll(before), "messages stored before the restart survive");
				assertTrue(b.store.integrityCheck().isEmpty() || b.store.integrityCheck().equals(List.of("ok")),
						b.store.integrityCheck().toString());
				SyncReport report = b.gossip.syncWith(CIRCLE, a.addr()).get(60, TimeUnit.SECONDS);
				assertNull(report.error());
				await("full sync after restart", Duration.ofSeconds(30), () -> a.ids(CIRCLE).equals(b.ids(CIRCLE)));
				assertEquals(4_003, b.count(CIRCLE)); // with the two joins' announcements
			}
		}
	}

	@Test
	void referenceModeSyncStaysWithinTheReferenceLimits() throws Exception {
		GossipOptions plain = GossipTestNode.fast().withExtensions(false);
		try (GossipTestNode a = GossipTestNode.start(tmp.resolve("a"), plain);
				GossipTestNode b = GossipTestNode.start(tmp.resolve("b"), plain)) {
			a.node.joinCircle(SECRET, "");
			b.node.joinCircle(SECRET, "");
			a.seed(CIRCLE, SECRET, 300, T0);
			for (int i = 0; i < 5; i++) {
				b.node.send(CIRCLE, "general", "b " + i);
			}
			Set<String> got = new HashSet<>();
			int rounds = 0;
			while (b.count(CIRCLE) < 307 && rounds < 30) { // 305 and the two joins' announcements
				SyncReport r = b.gossip.syncWith(CIRCLE, a.addr()).get(20, TimeUnit.SECONDS);
				assertNull(r.error());
				assertTrue(!r.extended() && !r.live());
				rounds++;
			}
			got.addAll(b.ids(CIRCLE));
			assertEquals(307, got.size());
			assertTrue(rounds > 1, "a 300-message backlog takes several line-sized rounds");
			assertTrue(a.gossip.referencePeersSeen(CIRCLE) && b.gossip.referencePeersSeen(CIRCLE));
			// a gets b's 5 messages and b's join announcement: both hold the same 307.
			await("a got b's messages", Duration.ofSeconds(5), () -> a.ids(CIRCLE).equals(got));
		}
	}
}
