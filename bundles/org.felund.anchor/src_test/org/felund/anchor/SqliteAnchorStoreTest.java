package org.felund.anchor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.felund.api.model.ChatMessage;
import org.felund.api.model.Envelope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteAnchorStoreTest {
	private static final String C = "630dcd2966c4336691125448";
	private static final String OTHER = "0123456789abcdef01234567";
	private static final long NOW = 1_800_000_000L;

	@TempDir
	Path home;

	/** An envelope as a member pushes it; {@code text} is what a careless sender might leave in clear. */
	private static ChatMessage envelope(String circle, int n, long ts, String text, int cipherBytes) {
		byte[] ct = new byte[cipherBytes];
		ct[0] = (byte) n;
		return new ChatMessage(String.format("%032x", n), circle, "general", "bbf62e8177bf53f94c4c67fd", ts, text,
				"alice", "mac", 2, Envelope.of("AAAAAAAAAAAAAAAA", Base64.getEncoder().encodeToString(ct)));
	}

	private static List<String> ids(List<ChatMessage> list) {
		return list.stream().map(ChatMessage::msgId).toList();
	}

	@Test
	void keepsOnlyCiphertextAndSurvivesARestart() throws Exception {
		String secret = "meet me at the old mill at nine";
		try (SqliteAnchorStore s = SqliteAnchorStore.open(home)) {
			List<ChatMessage> push = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				push.add(envelope(C, i, NOW - 100 + i, secret, 64));
			}
			push.add(new ChatMessage("plain", C, "general", "x", NOW, secret, "bob", "mac", 1, null));
			push.add(envelope(OTHER, 99, NOW, secret, 64));
			assertEquals(22, s.push(C, push, NOW), "the count of what was offered, as the reference acks");
			assertEquals(20, s.size(C), "no plaintext-only envelope, none of another circle");
			for (Path f : List.of(home.resolve("anchor.db"), home.resolve("anchor.db-wal"))) {
				if (Files.exists(f)) {
					String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
					assertFalse(bytes.contains(secret), f + " holds the text");
					assertFalse(bytes.contains("alice"), f + " holds a display name");
				}
			}
		}
		try (SqliteAnchorStore again = SqliteAnchorStore.open(home)) {
			List<ChatMessage> pulled = again.pull(C, NOW - 91, 100);
			assertEquals(10, pulled.size(), "created_ts > since, after a restart");
			ChatMessage first = pulled.get(0);
			assertEquals(String.format("%032x", 10), first.msgId());
			assertEquals("", first.text());
			assertEquals("", first.displayName());
			assertEquals("", first.mac());
			assertEquals(envelope(C, 10, 0, "", 64).enc(), first.enc());
			assertEquals(3, again.pull(C, 0, 3).size(), "at most the limit, oldest first");
		}
	}

	@Test
	void aPushBeyondTheLimitsIsTrimmedOldestFirst() {
		try (SqliteAnchorStore s = SqliteAnchorStore.open(home, 86_400, 500, 50L * 1024 * 1024)) {
			List<ChatMessage> push = new ArrayList<>();
			for (int i = 0; i < 620; i++) {
				push.add(envelope(C, i, NOW - 1000 + i, "", 32));
			}
			push.add(envelope(C, 5000, NOW - 86_401, "", 32)); // older than 24 h
			s.push(C, push, NOW);
			assertEquals(500, s.size(C));
			List<ChatMessage> kept = s.pull(C, 0, 1000);
			assertEquals(String.format("%032x", 120), kept.get(0).msgId(), "the 120 oldest went");
			assertEquals(String.format("%032x", 619), kept.get(kept.size() - 1).msgId());
		}
	}

	@Test
	void theByteLimitDropsTheOldestUntilTheRestFits() {
		try (SqliteAnchorStore s = SqliteAnchorStore.open(home, 86_400, 500, 20_000)) {
			List<ChatMessage> push = new ArrayList<>();
			for (int i = 0; i < 10; i++) {
				push.add(envelope(C, i, NOW - 10 + i, "", 3000)); // ~4 KB of base64 each
			}
			s.push(C, push, NOW);
			assertTrue(s.bytes(C) <= 20_000, String.valueOf(s.bytes(C)));
			List<String> kept = ids(s.pull(C, 0, 100));
			assertEquals(String.format("%032x", 9), kept.get(kept.size() - 1));
			assertTrue(kept.size() == 4, kept.toString());
		}
	}

	@Test
	void theSizeIsTheCompactJsonOfTheRelayEnvelope() {
		ChatMessage m = envelope(C, 1, 1700000000, "", 4);
		String json = "{\"msg_id\":\"" + m.msgId() + "\",\"circle_id\":\"" + C + "\",\"channel_id\":\"general\","
				+ "\"author_node_id\":\"bbf62e8177bf53f94c4c67fd\",\"created_ts\":1700000000,\"enc\":{\"alg\":\"AES-256-GCM\","
				+ "\"key_id\":\"epoch-0\",\"nonce\":\"AAAAAAAAAAAAAAAA\",\"ciphertext\":\"" + m.enc().ciphertext() + "\"}}";
		assertEquals(json.length(), EnvelopeSize.of(m));
		assertEquals(11, EnvelopeSize.quoted("a\"\u00e9"), "quotes, a, \\\" and \\u00e9");
	}
}
