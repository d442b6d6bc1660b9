package org.felund.transport.relay;

import static org.felund.transport.relay.RelayTestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.felund.api.model.AccessMode;
import org.felund.api.model.ChatMessage;
import org.felund.api.transport.TransportState.Mode;
import org.felund.relay.server.SignaturePolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two real nodes that reach each other only through the real relay (strict signatures). */
class RelayMessagingTest {
	private static final Duration WAIT = Duration.ofSeconds(20);

	@TempDir
	Path tmp;

	@Test
	void nodesExchangeChatAndControlMessagesBothWaysByPolling() throws Exception {
		try (TestRelay relay = new TestRelay(tmp.resolve("relay.db"), SignaturePolicy.STRICT, Duration.ofSeconds(15))
				.start();
				RelayTestNode a = RelayTestNode.start(tmp.resolve("a"),
						RelayTestNode.fast(relay.url()).withWebSocket(false));
				RelayTestNode b = RelayTestNode.start(tmp.resolve("b"),
						RelayTestNode.fast(relay.url()).withWebSocket(false))) {
			// Circles created and joined after attaching: the transport picks them up by itself.
			String circle = a.node.createCircle("club").circle().circleId();
			b.node.joinCircle(a.node.inviteCode(circle, "127.0.0.1:1"));

			ChatMessage fromA = a.node.send(circle, ChatMessage.GENERAL, "hello from A");
			ChatMessage fromB = b.node.send(circle, ChatMessage.GENERAL, "hello from B, ünïcødé ✓");
			a.node.createChannel(circle, "ops", AccessMode.PUBLIC, null);
			b.node.createChannel(circle, "dev", AccessMode.PUBLIC, null);

			await("B to receive A's message and channel", WAIT,
					() -> b.has(circle, fromA.msgId()) && hasChannel(b, circle, "ops"));
			await("A to receive B's message and channel", WAIT,
					() -> a.has(circle, fromB.msgId()) && hasChannel(a, circle, "dev"));
			assertEquals("hello from B, ünïcødé ✓", text(a, circle, fromB.msgId()));
			assertEquals("hello from A", text(b, circle, fromA.msgId()));
			// The circle name (a CIRCLE_NAME_EVT on __control) crossed as well.
			await("B to learn the circle name", WAIT, () -> "club".equals(b.node.circle(circle).orElseThrow().name()));
			assertEquals(a.count(circle), b.count(circle), "every message of the circle, __control included");
			assertEquals(Mode.POLL, a.mode());
			assertEquals(0, a.relay.stats().liveMessages());
		}
	}

	@Test
	void webSocketDeliversLiveAndStaysUpByAnsweringPings() throws Exception {
		// Pings every 300 ms, closed 300 ms after an unanswered one: a client that does not pong loses the socket.
		try (TestRelay relay = new TestRelay(tmp.resolve("relay.db"), SignaturePolicy.STRICT, Duration.ofMillis(300))
				.start();
				RelayTestNode a = RelayTestNode.create(tmp.resolve("a"));
				RelayTestNode b = RelayTestNode.create(tmp.resolve("b"))) {
			String circle = a.node.createCircle("").circle().circleId();
			b.node.joinCircle(a.node.inviteCode(circle, "127.0.0.1:1"));
			// Polls every 30 s: anything faster than that came over the socket.
			RelayOptions slowPolls = RelayTestNode.fast(relay.url()).withPollIntervals(Duration.ofSeconds(30),
					Duration.ofSeconds(30));
			a.attach(slowPolls);
			b.attach(slowPolls);
			await("both sockets up", WAIT, () -> a.mode() == Mode.LIVE && b.mode() == Mode.LIVE);
			// B's join announcement (a joining member announces itself) crosses first, by pull and, if A's socket was
			// up when B pushed it, live as well: counting starts after it.
			await("A to hold B's join announcement", WAIT, () -> a.count(circle) == b.count(circle));
			long opened = a.relay.stats().socketsOpened() + b.relay.stats().socketsOpened();
			long bLive = b.relay.stats().liveMessages();

			long started = System.nanoTime();
			ChatMessage m = a.node.send(circle, ChatMessage.GENERAL, "live");
			await("B to receive the message live", Duration.ofSeconds(5), () -> b.has(circle, m.msgId()));
			long latencyMs = (System.nanoTime() - started) / 1_000_000;
			assertTrue(latencyMs < 5_000, "latency " + latencyMs + " ms");
			// More than before: A's message came over the socket (B's own announcement may also come back on it, late).
			assertTrue(b.relay.stats().liveMessages() > bLive, () -> b.relay.stats().toString());
			ChatMessage reply = b.node.send(circle, ChatMessage.GENERAL, "live reply");
			await("A to receive the reply live", Duration.ofSeconds(5), () -> a.has(circle, reply.msgId()));
			// The relay does not echo a node's own pushes back to its socket.
			long aLive = a.relay.stats().liveMessages();
			ChatMessage again = a.node.send(circle, ChatMessage.GENERAL, "not echoed");
			await("B to receive A's second message live", Duration.ofSeconds(5), () -> b.has(circle, again.msgId()));
			assertEquals(aLive, a.relay.stats().liveMessages(), () -> a.relay.stats().toString());

			// Several ping periods later the sockets are still the same ones.
			Thread.sleep(1500);
			assertEquals(Mode.LIVE, a.mode());
			assertEquals(Mode.LIVE, b.mode());
			assertEquals(opened, a.relay.stats().socketsOpened() + b.relay.stats().socketsOpened());
			System.out.println("relay live latency A->B: " + latencyMs + " ms");
		}
	}

	@Test
	void relayRestartFallsBackToPollingAndOfflineThenReturnsLiveWithoutLoss() throws Exception {
		try (TestRelay relay = new TestRelay(tmp.resolve("relay.db"), SignaturePolicy.STRICT, Duration.ofSeconds(15))
				.start();
				RelayTestNode a = RelayTestNode.create(tmp.resolve("a"));
				RelayTestNode b = RelayTestNode.create(tmp.resolve("b"))) {
			String circle = a.node.createCircle("").circle().circleId();
			b.node.joinCircle(a.node.inviteCode(circle, "127.0.0.1:1"));
			RelayOptions options = RelayTestNode.fast(relay.url());
			a.attach(options);
			b.attach(options);
			await("both live", WAIT, () -> a.mode() == Mode.LIVE && b.mode() == Mode.LIVE);
			ChatMessage before = a.node.send(circle, ChatMessage.GENERAL, "before the outage");
			await("B to have the first message", WAIT, () -> b.has(circle, before.msgId()));

			relay.stop();
			await("both offline", WAIT, () -> a.mode() == Mode.OFFLINE && b.mode() == Mode.OFFLINE);
			List<String> sentByA = new ArrayList<>();
			List<String> sentByB = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				sentByA.add(a.node.send(circle, ChatMessage.GENERAL, "A during outage " + i).msgId());
				sentByB.add(b.node.send(circle, ChatMessage.GENERAL, "B during outage " + i).msgId());
			}
			Thread.sleep(300);
			// Delivery state: nobody accepted what was written during the outage.
			assertTrue(sentByA.stream().allMatch(id -> a.node.delivery(circle, id).orElseThrow()
					.status() == org.felund.api.model.Delivery.Status.SENT));
			assertTrue(a.node.delivery(circle, before.msgId()).orElseThrow().hops().stream()
					.anyMatch(h -> h.route() == org.felund.api.model.Delivery.Route.RELAY && h.peer().equals(relay.url())),
					() -> a.node.delivery(circle, before.msgId()).toString());

			long down = System.nanoTime();
			relay.restart();
			await("both live again", WAIT, () -> a.mode() == Mode.LIVE && b.mode() == Mode.LIVE);
			long recoveryMs = (System.nanoTime() - down) / 1_000_000;
			await("B to have everything A sent", WAIT, () -> sentByA.stream().allMatch(id -> b.has(circle, id)));
			await("A to have everything B sent", WAIT, () -> sentByB.stream().allMatch(id -> a.has(circle, id)));
			await("A's outage messages delivered to the relay", WAIT, () -> sentByA.stream().allMatch(id -> a.node
					.delivery(circle, id).orElseThrow().status() == org.felund.api.model.Delivery.Status.DELIVERED));
			assertEquals(a.count(circle), b.count(circle));

			ChatMessage after = b.node.send(circle, ChatMessage.GENERAL, "after");
			await("A to get a message live after the restart", Duration.ofSeconds(5), () -> a.has(circle, after.msgId()));

			// The status line saw the whole story: live, losing the socket, offline, back to live.
			for (RelayTestNode n : List.of(a, b)) {
				int live = n.modes.indexOf(Mode.LIVE);
				int offline = live < 0 ? -1 : n.modes.subList(live, n.modes.size()).indexOf(Mode.OFFLINE) + live;
				assertTrue(live >= 0 && offline > live && n.modes.lastIndexOf(Mode.LIVE) > offline,
						() -> "mode history " + n.modes);
			}
			System.out.println("relay restart: live again " + recoveryMs + " ms after the relay came back");
		}
	}

	@Test
	void historyIsPushedInBatchesOfAtMostFiftyAndNotAgainAfterARestart() throws Exception {
		try (TestRelay relay = new TestRelay(tmp.resolve("relay.db"), SignaturePolicy.STRICT, Duration.ofSeconds(15))
				.start();
				RelayTestNode a = RelayTestNode.create(tmp.resolve("a"));
				RelayTestNode b = RelayTestNode.create(tmp.resolve("b"))) {
			String circle = a.node.createCircle("history").circle().circleId();
			for (int i = 0; i < 120; i++) {
				a.node.send(circle, ChatMessage.GENERAL, "message " + i);
			}
			long total = a.count(circle);
			assertTrue(total > 120, "the circle name event is part of the history");
			long started = System.nanoTime();
			RelayTransport first = a.attach(RelayTestNode.fast(relay.url()).withWebSocket(false));
			await("A to push its history", WAIT, () -> first.stats().pushedMessages() == total);
			long pushMs = (System.nanoTime() - started) / 1_000_000;
			RelayStats pushed = first.stats();
			assertTrue(pushed.largestBatch() <= 50, pushed::toString);
			assertEquals((total + 49) / 50, pushed.pushBatches(), pushed::toString);

			// A newcomer pulling 20 per page gets all of it: the relay's cursor loses nothing behind a full page.
			b.node.joinCircle(a.node.inviteCode(circle, "127.0.0.1:1"));
			b.attach(RelayTestNode.fast(relay.url()).withWebSocket(false).withPullLimit(20));
			Set<String> history = new HashSet<>(a.store.messages().messageIds(circle));
			await("B to pull the whole history", WAIT,
					() -> b.store.messages().messageIds(circle).containsAll(history));
			// B holds A's history and its own join announcement, nothing else.
			Set<String> onlyB = new HashSet<>(b.store.messages().messageIds(circle));
			onlyB.removeAll(history);
			assertEquals(1, onlyB.size(), onlyB::toString);
			ChatMessage join = b.store.messages().get(circle, onlyB.iterator().next()).orElseThrow();
			assertTrue(join.isControl() && join.authorNodeId().equals(b.node.identity().nodeId()), join::toString);

			// A restart of A's transport resumes from the persisted cursor: A's history is not pushed again. Only B's
			// join announcement, which A stored from its pulls after the cursor, may go up once if the first transport
			// was detached before its next push round (the relay drops the duplicate).
			a.detachRelay();
			RelayTransport second = a.attach(RelayTestNode.fast(relay.url()).withWebSocket(false));
			await("the new transport to answer", WAIT, () -> second.state().mode() == Mode.POLL);
			Thread.sleep(600);
			long again = second.stats().pushedMessages();
			assertTrue(again <= 1, () -> second.stats().toString());
			ChatMessage next = a.node.send(circle, ChatMessage.GENERAL, "one more");
			await("B to receive the new message", WAIT, () -> b.has(circle, next.msgId()));
			assertEquals(again + 1, second.stats().pushedMessages(), () -> second.stats().toString());
			System.out.println("relay push of " + total + " messages: " + pushMs + " ms, " + pushed);
		}
	}

	@Test
	void aRelayRestoredFromAnOlderBackupIsGivenTheMissingHistoryAgain() throws Exception {
		Path db = tmp.resolve("relay.db");
		Path backup = tmp.resolve("backup");
		try (TestRelay relay = new TestRelay(db, SignaturePolicy.STRICT, Duration.ofSeconds(15)).start();
				RelayTestNode a = RelayTestNode.create(tmp.resolve("a"));
				RelayTestNode c = RelayTestNode.create(tmp.resolve("c"))) {
			String circle = a.node.createCircle("").circle().circleId();
			Set<String> ids = new HashSet<>();
			ids.add(a.node.send(circle, ChatMessage.GENERAL, "in the backup").msgId());
			a.attach(RelayTestNode.fast(relay.url()).withWebSocket(false));
			// Pushed and read back: A's pull cursor is past its own messages.
			await("A to push and read back", WAIT, () -> a.relay.stats().duplicates() >= 1);

			relay.stop();
			copyDatabase(db, backup);
			relay.restart();
			for (int i = 0; i < 2; i++) {
				ids.add(a.node.send(circle, ChatMessage.GENERAL, "after the backup " + i).msgId());
			}
			await("A to push and read back the rest", WAIT, () -> a.relay.stats().duplicates() >= 3);

			relay.stop();
			copyDatabase(backup, db);
			relay.restart();
			c.node.joinCircle(a.node.inviteCode(circle, "127.0.0.1:1"));
			c.attach(RelayTestNode.fast(relay.url()).withWebSocket(false));
			await("the newcomer to get the history A pushed again", WAIT,
					() -> ids.stream().allMatch(id -> c.has(circle, id)),
					() -> "A: " + a.relay.state() + " " + a.relay.stats() + "; C: " + c.relay.state() + " "
							+ c.relay.stats());
		}
	}

	/** Copies a stopped relay's SQLite database with its WAL files (or their absence). */
	private static void copyDatabase(Path from, Path to) throws IOException {
		for (String suffix : List.of("", "-wal", "-shm")) {
			Path source = from.resolveSibling(from.getFileName() + suffix);
			Path target = to.resolveSibling(to.getFileName() + suffix);
			if (Files.exists(source)) {
				Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
			} else {
				Files.deleteIfExists(target);
			}
		}
	}

	private static boolean hasChannel(RelayTestNode n, String circle, String channel) {
		return n.node.channels(circle).stream().anyMatch(c -> c.channelId().equals(channel));
	}

	private static String text(RelayTestNode n, String circle, String msgId) {
		return n.node.history(circle, ChatMessage.GENERAL, null, 100).stream().filter(m -> m.msgId().equals(msgId))
				.map(ChatMessage::text).findFirst().orElse(null);
	}
}
