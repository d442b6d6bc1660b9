package org.felund.store.sqlite;

import static org.felund.store.sqlite.Fixtures.CIRCLE;
import static org.felund.store.sqlite.Fixtures.OTHER_CIRCLE;
import static org.felund.store.sqlite.Fixtures.id;
import static org.felund.store.sqlite.Fixtures.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.felund.api.model.ChatMessage;
import org.felund.api.model.Delivery;
import org.felund.api.store.RetentionPolicy;
import org.felund.api.model.Envelope;
import org.felund.api.store.MessageStore;
import org.felund.api.store.MessageStore.StoredMessage;
import org.felund.api.store.SyncKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MessageStoreTest {
	@TempDir
	Path home;
	SqliteNodeStore store;
	MessageStore messages;

	@BeforeEach
	void open() {
		store = Fixtures.open(home);
		messages = store.messages();
	}

	@AfterEach
	void close() {
		store.close();
	}

	@Test
	void putStoresTheEnvelopeAndReturnsItUnchanged() {
		ChatMessage m = message(CIRCLE, "general", id(1), 1_700_000_000L).withMac("abc123");
		assertTrue(messages.put(m));
		assertEquals(m, messages.get(CIRCLE, id(1)).orElseThrow());
		assertTrue(messages.contains(CIRCLE, id(1)));
		assertFalse(messages.contains(OTHER_CIRCLE, id(1)), "msg ids are scoped per circle");
	}

	@Test
	void deliveriesAreKeptPerHopSurviveReopeningAndGoWithTheirMessage() {
		messages.put(message(CIRCLE, "general", id(1), 100));
		messages.put(message(CIRCLE, "general", id(2), 200));
		Delivery.Hop peer = new Delivery.Hop("gossip", "bob", Delivery.Route.DIRECT, 101);
		Delivery.Hop relay = new Delivery.Hop("relay", "http://127.0.0.1:1/", Delivery.Route.RELAY, 102);
		assertTrue(messages.recordDelivery(CIRCLE, id(1), peer));
		assertFalse(messages.recordDelivery(CIRCLE, id(1), new Delivery.Hop("gossip", "bob", Delivery.Route.DIRECT, 150)),
				"a hop already known is kept as it was");
		assertTrue(messages.recordDelivery(CIRCLE, id(1), relay));
		assertThrows(IllegalArgumentException.class, () -> messages.recordDelivery(CIRCLE, "", peer));
		store.close();
		store = Fixtures.open(home);
		messages = store.messages();
		assertEquals(Map.of(id(1), List.of(peer, relay)), messages.deliveries(CIRCLE, List.of(id(1), id(2), id(3))));
		assertEquals(Map.of(), messages.deliveries(OTHER_CIRCLE, List.of(id(1))));
		messages.prune(new RetentionPolicy(0, 1, Map.of()), 300);
		assertEquals(Map.of(), messages.deliveries(CIRCLE, List.of(id(1))), "pruned with its message");
		messages.recordDelivery(CIRCLE, id(2), peer);
		messages.deleteCircle(CIRCLE);
		assertEquals(Map.of(), messages.deliveries(CIRCLE, List.of(id(2))), "deleted with its circle");
	}

	@Test
	void firstCopyWinsAndADuplicateIsReportedAsNotNew() {
		ChatMessage first = message(CIRCLE, "general", id(1), 100);
		ChatMessage second = message(CIRCLE, "general", id(1), 100); // same id, another nonce
		assertTrue(messages.put(first));
		assertFalse(messages.put(second));
		assertEquals(first.enc(), messages.get(CIRCLE, id(1)).orElseThrow().enc());
		assertEquals(1, messages.count(CIRCLE, null, null));
	}

	@Test
	void theSameIdInAnotherCircleIsADifferentMessage() {
		assertTrue(messages.put(message(CIRCLE, "general", id(1), 100)));
		assertTrue(messages.put(message(OTHER_CIRCLE, "general", id(1), 100)));
		assertEquals(1, messages.count(CIRCLE, null, null));
		assertEquals(1, messages.count(OTHER_CIRCLE, null, null));
	}

	@Test
	void putRejectsAMessageWithoutEnvelope() {
		ChatMessage clear = message(CIRCLE, "general", id(1), 100).withEnvelope(null);
		var e = assertThrows(IllegalArgumentException.class, () -> messages.put(clear));
		assertTrue(e.getMessage().contains(id(1)) && e.getMessage().contains("no enc"), e.getMessage());
		assertFalse(messages.contains(CIRCLE, id(1)));
	}

	@Test
	void putRejectsPlaintextEvenBesideAnEnvelope() {
		ChatMessage withText = message(CIRCLE, "general", id(1), 100).withPlaintext("", "secret words");
		ChatMessage withName = message(CIRCLE, "general", id(2), 100).withPlaintext("alice", "");
		for (ChatMessage m : List.of(withText, withName)) {
			var e = assertThrows(IllegalArgumentException.class, () -> messages.put(m));
			assertTrue(e.getMessage().contains("plaintext"), e.getMessage());
		}
		assertEquals(0, messages.count(CIRCLE, null, null));
	}

	@Test
	void putRejectsAnEnvelopeThatIsNotBase64AndEmptyIds() {
		ChatMessage badNonce = message(CIRCLE, "general", id(1), 100).withEnvelope(Envelope.of("not base64!", "AAAA"));
		ChatMessage emptyCiphertext = message(CIRCLE, "general", id(2), 100).withEnvelope(Envelope.of("AAAA", ""));
		ChatMessage emptyId = message(CIRCLE, "general", "", 100);
		assertTrue(assertThrows(IllegalArgumentException.class, () -> messages.put(badNonce)).getMessage()
				.contains("enc.nonce"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> messages.put(emptyCiphertext)).getMessage()
				.contains("enc.ciphertext"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> messages.put(emptyId)).getMessage()
				.contains("msg_id is empty"));
	}

	@Test
	void putAllReturnsOnlyTheNewOnesAndStoresNothingWhenOneIsInvalid() {
		messages.put(message(CIRCLE, "general", id(1), 100));
		List<ChatMessage> batch = List.of(message(CIRCLE, "general", id(1), 100), message(CIRCLE, "general", id(2), 101),
				message(CIRCLE, "general", id(3), 102));
		List<ChatMessage> added = messages.putAll(batch);
		assertEquals(List.of(id(2), id(3)), added.stream().map(ChatMessage::msgId).toList());

		List<ChatMessage> poisoned = List.of(message(CIRCLE, "general", id(4), 103),
				message(CIRCLE, "general", id(5), 104).withPlaintext("bob", "hi"));
		assertThrows(IllegalArgumentException.class, () -> messages.putAll(poisoned));
		assertFalse(messages.contains(CIRCLE, id(4)), "a rejected batch stores nothing");
		assertEquals(List.of(), messages.putAll(List.of()));
	}

	@Test
	void historyPagesNewestFirstWithinOneChannel() {
		List<ChatMessage> all = new ArrayList<>();
		for (int i = 0; i < 25; i++) {
			// two messages per second, so pages must break ties by msg_id
			all.add(message(CIRCLE, "general", id(i), 1000 + i / 2));
			all.add(message(CIRCLE, "games", id(100 + i), 1000 + i));
		}
		messages.putAll(all);
		List<String> seen = new ArrayList<>();
		SyncKey before = null;
		while (true) {
			List<ChatMessage> page = messages.history(CIRCLE, "general", before, 10);
			if (page.isEmpty()) {
				break;
			}
			page.forEach(m -> seen.add(m.msgId()));
			ChatMessage last = page.get(page.size() - 1);
			before = new SyncKey(last.createdTs(), last.msgId());
		}
		List<String> expected = new ArrayList<>();
		for (int i = 24; i >= 0; i--) {
			expected.add(id(i));
		}
		assertEquals(expected, seen);
		assertEquals(3, messages.history(CIRCLE, "general", null, 3).size());
		assertEquals(List.of(), messages.history(CIRCLE, "general", null, 0));
		assertThrows(IllegalArgumentException.class, () -> messages.history(CIRCLE, "general", null, -1));
	}

	@Test
	void linesOfOneSecondComeBackInTheOrderTheyWereStoredNotByTheirRandomIds() {
		// Twenty lines typed within two seconds, their random ids sorting against the order they were typed.
		List<String> typed = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			String id = id(1000 - i);
			typed.add(id);
			assertTrue(messages.put(message(CIRCLE, "general", id, 5000 + i / 10)));
		}
		List<String> seen = new ArrayList<>();
		SyncKey before = null;
		for (int page = 0; page < 10; page++) {
			List<ChatMessage> p = messages.history(CIRCLE, "general", before, 3); // pages cut through each second
			if (p.isEmpty()) {
				break;
			}
			p.forEach(m -> seen.add(0, m.msgId()));
			ChatMessage last = p.get(p.size() - 1);
			before = new SyncKey(last.createdTs(), last.msgId());
		}
		assertEquals(typed, seen);
		// A cursor whose message is gone pages on from the end of its second (nothing is skipped).
		assertEquals(20, messages.history(CIRCLE, "general", new SyncKey(5001, id(1)), 50).size());
		assertEquals(10, messages.history(CIRCLE, "general", new SyncKey(5000, id(1)), 50).size());
	}

	@Test
	void recentCanLeaveOutControlMessages() {
		messages.putAll(List.of(message(CIRCLE, "general", id(1), 10), message(CIRCLE, ChatMessage.CONTROL, id(2), 20),
				message(CIRCLE, "games", id(3), 30), message(OTHER_CIRCLE, "general", id(4), 40)));
		assertEquals(List.of(id(3), id(2), id(1)), ids(messages.recent(CIRCLE, true, 10)));
		assertEquals(List.of(id(3), id(1)), ids(messages.recent(CIRCLE, false, 10)));
		assertEquals(List.of(id(3)), ids(messages.recent(CIRCLE, false, 1)));
	}

	@Test
	void getManyReturnsTheExistingOnesInTheOrderAskedFor() {
		List<ChatMessage> all = new ArrayList<>();
		for (int i = 0; i < 1200; i++) {
			all.add(message(CIRCLE, "general", id(i), i));
		}
		messages.putAll(all);
		List<String> asked = new ArrayList<>(List.of(id(7), "missing", id(3), id(1199)));
		for (int i = 1100; i >= 400; i--) {
			asked.add(id(i)); // beyond one IN chunk
		}
		List<String> got = ids(messages.get(CIRCLE, asked));
		List<String> expected = new ArrayList<>(asked);
		expected.remove("missing");
		assertEquals(expected, got);
		assertEquals(List.of(), messages.get(OTHER_CIRCLE, List.of(id(7))));
	}

	@Test
	void messageIdsAreAllIdsOfTheCircleAscending() {
		messages.putAll(List.of(message(CIRCLE, "general", "c", 1), message(CIRCLE, "x", "a", 3),
				message(CIRCLE, "general", "b", 2), message(OTHER_CIRCLE, "general", "d", 1)));
		assertEquals(List.of("a", "b", "c"), messages.messageIds(CIRCLE));
	}

	@Test
	void keysAndCountCoverHalfOpenRangesOrderedByTimeThenId() {
		List<ChatMessage> all = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			all.add(message(CIRCLE, i % 2 == 0 ? "general" : "games", id(i), 100 + i / 4));
		}
		all.add(message(OTHER_CIRCLE, "general", id(99), 101));
		messages.putAll(all);
		List<SyncKey> everything = messages.keys(CIRCLE, null, null, 100);
		assertEquals(20, everything.size());
		List<SyncKey> sorted = new ArrayList<>(everything);
		sorted.sort(null);
		assertEquals(sorted, everything, "ascending by (created_ts, msg_id)");

		SyncKey from = new SyncKey(101, id(5)); // inclusive
		SyncKey to = new SyncKey(103, id(12)); // exclusive
		List<SyncKey> range = messages.keys(CIRCLE, from, to, 100);
		assertEquals(everything.subList(5, 12), range);
		assertEquals(7, messages.count(CIRCLE, from, to));
		assertEquals(everything.subList(5, 8), messages.keys(CIRCLE, from, to, 3));
		assertEquals(everything.subList(0, 12), messages.keys(CIRCLE, null, to, 100));
		assertEquals(15, messages.count(CIRCLE, from, null));
		assertEquals(20, messages.count(CIRCLE, null, null));
		assertEquals(0, messages.count(CIRCLE, to, from));
	}

	@Test
	void sinceIsAChangeFeedInInsertionOrderPerCircle() {
		long start = messages.lastSeq();
		assertEquals(0, start);
		messages.put(message(CIRCLE, "general", id(3), 300));
		messages.put(message(OTHER_CIRCLE, "general", id(9), 50));
		messages.put(message(CIRCLE, "general", id(1), 100)); // older timestamp, inserted later
		List<StoredMessage> feed = messages.since(CIRCLE, 0, 10);
		assertEquals(List.of(id(3), id(1)), feed.stream().map(s -> s.message().msgId()).toList());
		assertTrue(feed.get(0).seq() < feed.get(1).seq());
		assertEquals(3, messages.lastSeq());
		assertEquals(List.of(id(1)), feed(messages.since(CIRCLE, feed.get(0).seq(), 10)));
		assertEquals(List.of(id(3)), feed(messages.since(CIRCLE, 0, 1)));
		assertEquals(List.of(), messages.since(CIRCLE, messages.lastSeq(), 10));
	}

	@Test
	void sequenceNumbersAreNeverReusedAfterTheNewestRowIsDeleted() {
		messages.put(message(CIRCLE, "general", id(1), 100));
		messages.put(message(CIRCLE, "general", id(2), 200));
		long cursor = messages.lastSeq();
		messages.deleteCircle(CIRCLE);
		assertEquals(cursor, messages.lastSeq(), "the cursor does not go back");
		messages.put(message(CIRCLE, "general", id(3), 300));
		assertEquals(List.of(id(3)), feed(messages.since(CIRCLE, cursor, 10)));
	}

	@Test
	void deleteCircleRemovesOnlyThatCircle() {
		messages.putAll(List.of(message(CIRCLE, "general", id(1), 1), message(OTHER_CIRCLE, "general", id(2), 1)));
		messages.deleteCircle(CIRCLE);
		assertEquals(0, messages.count(CIRCLE, null, null));
		assertEquals(1, messages.count(OTHER_CIRCLE, null, null));
	}

	@Test
	void messagesSurviveClosingAndReopening() {
		messages.put(message(CIRCLE, "general", id(1), 1));
		store.close();
		store = Fixtures.open(home);
		assertTrue(store.messages().contains(CIRCLE, id(1)));
		assertEquals(List.of("ok"), store.integrityCheck());
	}

	@Test
	void aClosedStoreSaysSo() {
		store.close();
		var e = assertThrows(IllegalStateException.class, () -> messages.contains(CIRCLE, id(1)));
		assertTrue(e.getMessage().contains("closed"), e.getMessage());
	}

	private static List<String> ids(List<ChatMessage> list) {
		return list.stream().map(ChatMessage::msgId).toList();
	}

	private static List<String> feed(List<StoredMessage> list) {
		return list.stream().map(s -> s.message().msgId()).toList();
	}
}
