package org.felund.ui.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.felund.api.model.ChatMessage;
import org.junit.jupiter.api.Test;

class MessageIndexTest {
	private static ChatMessage msg(String circle, String id, String channel, long ts, String name, String text) {
		return new ChatMessage(id, circle, channel, "a".repeat(24), ts, name, text, "", 2, null);
	}

	@Test
	void findsWordsByPrefixAcrossCirclesIgnoringAccentsAndCase() {
		try (MessageIndex index = new MessageIndex()) {
			index.add(List.of(msg("c1", "m1", "general", 10, "alice", "Meet at the Caf\u00e9 Central at noon"),
					msg("c1", "m2", "dev", 20, "bob", "the build is green"),
					msg("c2", "m3", "general", 30, "carol", "caffeine first, then the cafe")));
			List<String> ids = index.search("cafe", 10).stream().map(MessageIndex.Hit::msgId).toList();
			assertEquals(2, ids.size(), ids.toString());
			assertTrue(ids.containsAll(List.of("m1", "m3")));
			MessageIndex.Hit hit = index.search("BUILD gre", 10).get(0);
			assertEquals("m2", hit.msgId());
			assertEquals("dev", hit.channelId());
			assertEquals("bob", hit.authorName());
			assertTrue(hit.snippet().contains("[build]"), hit.snippet());
			assertTrue(index.search("build missing", 10).isEmpty(), "every word must match");
		}
	}

	@Test
	void userInputCannotBreakTheQueryAndEmptyInputFindsNothing() {
		try (MessageIndex index = new MessageIndex()) {
			index.add(List.of(msg("c1", "m1", "general", 10, "alice", "say \"hello\" AND NOT (goodbye) -x*")));
			assertEquals(1, index.search("\"hello\" AND", 10).size());
			assertEquals(1, index.search("(goodbye", 10).size());
			assertTrue(index.search("   ", 10).isEmpty());
			assertTrue(index.search("***", 10).isEmpty());
			assertEquals("\"hello\"* \"wor\"* \"ld\"*", MessageIndex.ftsQuery("hello  wor\"ld"),
					"each word is a quoted prefix; punctuation (FTS5 syntax) splits words");
		}
	}

	@Test
	void duplicatesControlMessagesAndLeftCirclesAreNotSearchable() {
		try (MessageIndex index = new MessageIndex()) {
			ChatMessage m = msg("c1", "m1", "general", 10, "alice", "unique words here");
			assertEquals(1, index.add(List.of(m)));
			assertEquals(0, index.add(List.of(m)));
			assertEquals(0, index.add(List.of(msg("c1", "m2", ChatMessage.CONTROL, 11, "", "{\"t\":\"unique\"}"))));
			assertEquals(1, index.size());
			index.removeCircle("c1");
			assertTrue(index.search("unique", 10).isEmpty());
			assertEquals(0, index.size());
		}
	}

	@Test
	void lettersTypedWithoutTheirDiacriticsFindTheWordsThatHaveThem() {
		try (MessageIndex index = new MessageIndex()) {
			index.add(List.of(msg("c1", "m1", "general", 10, "ola", "Za\u017c\u00f3\u0142\u0107 g\u0119\u015bl\u0105 ja\u017a\u0144"),
					msg("c1", "m2", "general", 20, "s\u00f8ren", "Gr\u00fc\u00dfe aus K\u00f8benhavn, \u00e6bler"),
					msg("c1", "m3", "general", 30, "ana", "Caf\u00e9 at noon")));
			assertEquals(List.of("m1"), ids(index, "zazolc"));
			assertEquals(List.of("m1"), ids(index, "ZA\u017b\u00d3\u0141\u0106"), "typed with the letters too");
			assertEquals(List.of("m1"), ids(index, "gesla jazn"));
			assertEquals(List.of("m2"), ids(index, "kobenhavn"));
			assertEquals(List.of("m2"), ids(index, "grusse aebler"));
			assertEquals(List.of("m2"), ids(index, "soren"), "author names fold too");
			assertEquals(List.of("m3"), ids(index, "cafe"));
			assertTrue(index.search("zazolc", 10).get(0).snippet().contains("Za\u017c\u00f3\u0142\u0107"),
					"the hit shows the text as written");
		}
	}

	private static List<String> ids(MessageIndex index, String query) {
		return index.search(query, 10).stream().map(MessageIndex.Hit::msgId).toList();
	}
}
