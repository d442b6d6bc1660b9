package org.felund.transport.gossip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.felund.api.model.ChatMessage;
import org.felund.api.model.Envelope;
import org.junit.jupiter.api.Test;

class MemoryAnchorStoreTest {
	private static final String CIRCLE = "630dcd2966c4336691125448";
	private static final long NOW = 1_767_225_600L;

	static ChatMessage envelope(int i, long createdTs) {
		return envelope(i, createdTs, "AAECAwQFBgcICQoL");
	}

	static ChatMessage envelope(int i, long createdTs, String ciphertext) {
		return new ChatMessage(String.format("%032x", i), CIRCLE, "general", "0123456789abcdef01234567", createdTs, "",
				"", "", 2, Envelope.of("AAECAwQFBgcICQoL", ciphertext));
	}

	@Test
	void keepsTheFirstCopyAndReportsHowManyWereOffered() {
		MemoryAnchorStore store = new MemoryAnchorStore();
		assertEquals(2, store.push(CIRCLE, List.of(envelope(1, NOW), envelope(1, NOW - 5)), NOW));
		assertEquals(1, store.size(CIRCLE));
		assertEquals(NOW, store.pull(CIRCLE, 0, 10).get(0).createdTs());
	}

	@Test
	void refusesPlaintextAndForeignEnvelopes() {
		MemoryAnchorStore store = new MemoryAnchorStore();
		ChatMessage plain = new ChatMessage("aa", CIRCLE, "general", "n", NOW, "alice", "hello", "mac", 1, null);
		ChatMessage foreign = new ChatMessage("bb", "ffffffffffffffffffffffff", "general", "n", NOW, "", "", "", 2,
				Envelope.of("AAECAwQFBgcICQoL", "AAAA"));
		ChatMessage withText = envelope(3, NOW).withPlaintext("alice", "secret");
		store.push(CIRCLE, List.of(plain, foreign, withText), NOW);
		assertEquals(1, store.size(CIRCLE));
		ChatMessage kept = store.pull(CIRCLE, 0, 10).get(0);
		assertEquals("", kept.text());
		assertEquals("", kept.displayName());
	}

	@Test
	void dropsEnvelopesOlderThanADay() {
		MemoryAnchorStore store = new MemoryAnchorStore();
		store.push(CIRCLE, List.of(envelope(1, NOW - 86_401), envelope(2, NOW - 86_400)), NOW);
		assertEquals(1, store.size(CIRCLE));
		assertEquals(String.format("%032x", 2), store.pull(CIRCLE, 0, 10).get(0).msgId());
	}

	@Test
	void keepsTheNewestFiveHundred() {
		MemoryAnchorStore store = new MemoryAnchorStore();
		List<ChatMessage> many = new ArrayList<>();
		for (int i = 0; i < 600; i++) {
			many.add(envelope(i, NOW - 600 + i));
		}
		store.push(CIRCLE, many, NOW);
		assertEquals(500, store.size(CIRCLE));
		assertEquals(NOW - 500, store.pull(CIRCLE, 0, 1).get(0).createdTs());
	}

	@Test
	void boundsTheBytesPerCircle() {
		MemoryAnchorStore store = new MemoryAnchorStore(86_400, 500, 10_000);
		String big = "A".repeat(3000);
		List<ChatMessage> many = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			many.add(envelope(i, NOW - 10 + i, big));
		}
		store.push(CIRCLE, many, NOW);
		assertTrue(store.bytes(CIRCLE) <= 10_000);
		assertEquals(3, store.size(CIRCLE));
		assertEquals(NOW - 3, store.pull(CIRCLE, 0, 10).get(0).createdTs());
	}

	@Test
	void pullsByCreatedTsAfterTheCursorOldestFirst() {
		MemoryAnchorStore store = new MemoryAnchorStore();
		store.push(CIRCLE, List.of(envelope(1, NOW - 1), envelope(2, NOW - 30), envelope(3, NOW - 10)), NOW);
		List<ChatMessage> got = store.pull(CIRCLE, NOW - 20, 10);
		assertEquals(List.of(NOW - 10, NOW - 1), got.stream().map(ChatMessage::createdTs).toList());
		assertEquals(1, store.pull(CIRCLE, 0, 1).size());
		assertTrue(store.pull("unknown", 0, 10).isEmpty());
	}
}
