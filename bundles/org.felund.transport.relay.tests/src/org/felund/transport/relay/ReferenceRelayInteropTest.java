package org.felund.transport.relay;

import static org.felund.transport.relay.RelayTestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.felund.api.model.ChatMessage;
import org.felund.api.transport.TransportState.Mode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a relay with the reference's cursor semantics (§7.5): the client pulls with {@code server_time − 1}, so a
 * message stored in the same second as a previous pull is not lost, and the re-read rows are dropped as duplicates
 * (§8.7). Without a WebSocket endpoint the transport keeps polling.
 */
class ReferenceRelayInteropTest {
	private static final Duration WAIT = Duration.ofSeconds(15);

	@TempDir
	Path tmp;

	@Test
	void sameSecondInsertsAreNotLostAndRereadRowsAreDroppedAsDuplicates() throws Exception {
		try (ReferenceStyleRelay relay = new ReferenceStyleRelay();
				RelayTestNode a = RelayTestNode.create(tmp.resolve("a"));
				RelayTestNode b = RelayTestNode.create(tmp.resolve("b"))) {
			String circle = a.node.createCircle("").circle().circleId();
			b.node.joinCircle(a.node.inviteCode(circle, "127.0.0.1:1"));
			a.attach(RelayTestNode.fast(relay.url()));
			b.attach(RelayTestNode.fast(relay.url()));
			long t = relay.clock.get();

			ChatMessage first = a.node.send(circle, ChatMessage.GENERAL, "first");
			await("B to get the first message", WAIT, () -> b.has(circle, first.msgId()));
			// B has pulled at second t; the next message is stored in that same second.
			await("B to pull again after receiving", WAIT, () -> sinceOf(relay, b).contains(t - 1));
			ChatMessage sameSecond = a.node.send(circle, ChatMessage.GENERAL, "same second");
			await("B to get the same-second message", WAIT, () -> b.has(circle, sameSecond.msgId()));
			assertTrue(b.relay.stats().duplicates() > 0, () -> b.relay.stats().toString());

			relay.clock.addAndGet(5);
			ChatMessage later = b.node.send(circle, ChatMessage.GENERAL, "later, from B");
			await("A to get B's message", WAIT, () -> a.has(circle, later.msgId()));
			await("B's cursor to follow the relay clock", WAIT, () -> sinceOf(relay, b).contains(t + 4));
			assertEquals(Set.of(0L, t - 1, t + 4), sinceOf(relay, b), "since is 0, then server_time - 1");
			assertEquals(a.count(circle), b.count(circle));

			// No WebSocket on this relay: both keep polling and say why.
			assertEquals(Mode.POLL, a.mode());
			assertTrue(a.relay.state().detail().contains("HTTP 404"), a.relay.state().detail());
		}
	}

	@Test
	void presenceIsRefreshedWithinTheLifetimeTheRelayGrants() throws Exception {
		try (ReferenceStyleRelay relay = new ReferenceStyleRelay();
				RelayTestNode a = RelayTestNode.create(tmp.resolve("a"))) {
			a.node.createCircle("");
			relay.grantSeconds.set(2);
			a.attach(RelayTestNode.fast(relay.url()).withWebSocket(false));
			await("the first registration", WAIT, () -> relay.registrations.size() == 1);
			long started = System.nanoTime();
			await("two refreshes", WAIT, () -> relay.registrations.size() >= 3);
			long elapsedMs = (System.nanoTime() - started) / 1_000_000;
			// Refreshed at half the granted 2 s, long before the presence would expire.
			assertTrue(elapsedMs >= 1_500 && elapsedMs < 4_000, "two refreshes took " + elapsedMs + " ms");
			assertEquals(Set.of(a.nodeId()), Set.copyOf(relay.registrations));
		}
	}

	private static Set<Long> sinceOf(ReferenceStyleRelay relay, RelayTestNode n) {
		Set<Long> out = new TreeSet<>();
		for (String[] pull : List.copyOf(relay.pulls)) {
			if (n.nodeId().equals(pull[0])) {
				out.add(Long.parseLong(pull[1]));
			}
		}
		return out;
	}
}
