package org.felund.ui.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneOffset;
import java.util.List;

import org.felund.api.model.ChatMessage;
import org.felund.api.node.SystemNote;
import org.felund.api.store.SyncKey;
import org.junit.jupiter.api.Test;

class ChatTranscriptTest {
	/** 2026-01-01 00:00 UTC, a Thursday. */
	private static final long T0 = 1767225600L;
	private static final String ME = "aaaaaaaaaaaaaaaaaaaaaaaa";
	private static final String BOB = "bbbbbbbbbbbbbbbbbbbbbbbb";

	private static ChatMessage msg(String id, String author, String name, long ts, String text) {
		return new ChatMessage(id, "c1", "general", author, ts, name, text, "", 2, null);
	}

	@Test
	void messagesReadInTimeOrderWithDayDividersTimesAndYourOwnMarked() {
		ChatTranscript t = new ChatTranscript(ME, ZoneOffset.UTC);
		t.addMessages(List.of(msg("m3", BOB, "bob", T0 + 86_400 + 60, "next day"),
				msg("m1", ME, "alice", T0 + 9 * 3600, "hi"), msg("m2", BOB, "", T0 + 9 * 3600 + 120, "hello")));
		String expected = """
				\u2500\u2500 Thursday 1 January 2026 \u2500\u2500
				09:00  alice (you): hi
				09:02  bbbbbbbb\u2026: hello
				\u2500\u2500 Friday 2 January 2026 \u2500\u2500
				00:01  bob: next day
				""";
		ChatTranscript.Rendered r = t.render();
		assertEquals(expected, r.text());
		ChatTranscript.Span own = r.spans().stream().filter(s -> s.style() == ChatTranscript.Style.OWN_AUTHOR)
				.findFirst().orElseThrow();
		assertEquals("alice (you)", r.text().substring(own.start(), own.start() + own.length()));
		assertEquals(ME, own.authorNodeId());
		assertEquals(2, r.spans().stream().filter(s -> s.style() == ChatTranscript.Style.AUTHOR).count());
		assertEquals(Integer.valueOf(1), r.lineOfMessage().get("m1"));
		assertEquals(Integer.valueOf(4), r.lineOfMessage().get("m3"));
	}

	@Test
	void multiLineMessagesIndentTheirContinuationAndDuplicatesAreIgnored() {
		ChatTranscript t = new ChatTranscript(ME, ZoneOffset.UTC);
		assertEquals(1, t.addMessages(List.of(msg("m1", BOB, "bob", T0, "line one\nline two"))));
		assertEquals(0, t.addMessages(List.of(msg("m1", BOB, "bob", T0, "line one\nline two"))));
		assertTrue(t.render().text().endsWith("00:00  bob: line one\n        line two\n"), t.render().text());
		assertEquals(1, t.messageCount());
	}

	@Test
	void systemNotesAndLocalLinesInterleaveByTimeAndPagingStartsAtTheOldestMessage() {
		ChatTranscript t = new ChatTranscript(ME, ZoneOffset.UTC);
		t.addMessages(List.of(msg("m2", BOB, "bob", T0 + 120, "later"), msg("m1", BOB, "bob", T0 + 60, "first")));
		t.addNotes(List.of(new SystemNote("c1", "general", "n1", BOB, T0 + 90, "bob created #dev")));
		t.addLocal("/help output", T0 + 200);
		List<ChatTranscript.Kind> kinds = t.entries().stream().map(ChatTranscript.Entry::kind).toList();
		assertEquals(List.of(ChatTranscript.Kind.MESSAGE, ChatTranscript.Kind.NOTE, ChatTranscript.Kind.MESSAGE,
				ChatTranscript.Kind.LOCAL), kinds);
		assertTrue(t.render().text().contains("00:01  \u2022 bob created #dev\n"));
		assertEquals(new SyncKey(T0 + 60, "m1"), t.oldestMessage());
		t.addMessages(List.of(msg("m0", BOB, "bob", T0, "older page")));
		assertEquals(new SyncKey(T0, "m0"), t.oldestMessage());
		assertEquals("older page", t.entries().get(0).text());
	}

	@Test
	void controlMessagesAreNeverShownAsChat() {
		ChatTranscript t = new ChatTranscript(ME, ZoneOffset.UTC);
		ChatMessage control = new ChatMessage("x", "c1", ChatMessage.CONTROL, BOB, T0, "bob", "{\"t\":\"X\"}", "", 2,
				null);
		assertEquals(0, t.addMessages(List.of(control)));
		assertEquals("", t.render().text());
	}

	@Test
	void linesOfOneSecondReadInTheOrderTheyWereStoredOrArrivedNotByTheirRandomIds() {
		ChatTranscript t = new ChatTranscript(ME, ZoneOffset.UTC);
		// A history page, newest first as the node returns it: typed as one, two, three; ids sort the other way.
		t.addMessages(List.of(msg("a", ME, "alice", T0, "three"), msg("z", ME, "alice", T0, "two"),
				msg("m", ME, "alice", T0, "one")));
		t.addArrived(msg("b", ME, "alice", T0, "four"));
		t.addArrived(msg("0", ME, "alice", T0, "five"));
		List<String> texts = t.entries().stream().map(ChatTranscript.Entry::text).toList();
		assertEquals(List.of("one", "two", "three", "four", "five"), texts);
		assertEquals("m", t.oldestMessage().msgId(), "paging back starts before the first of that second");
		// An older page goes before everything loaded.
		t.addMessages(List.of(msg("y", BOB, "bob", T0, "zero")));
		assertEquals("zero", t.entries().get(0).text());
	}

	@Test
	void addressesInMessagesAreLinksAndTheNewMessagesDividerGoesBeforeWhatArrivedUnseen() {
		ChatTranscript t = new ChatTranscript(ME, ZoneOffset.UTC);
		t.addMessages(List.of(msg("m1", BOB, "bob", T0, "see https://example.org/a?b=1, and www.example.com.")));
		t.markRead();
		t.addArrived(msg("m2", BOB, "bob", T0 + 60, "new"));
		ChatTranscript.Rendered r = t.render();
		List<String> links = r.spans().stream().filter(s -> s.style() == ChatTranscript.Style.LINK)
				.map(ChatTranscript.Span::data).toList();
		assertEquals(List.of("https://example.org/a?b=1", "https://www.example.com"), links);
		ChatTranscript.Span first = r.spans().stream().filter(s -> s.style() == ChatTranscript.Style.LINK).findFirst()
				.orElseThrow();
		assertEquals("https://example.org/a?b=1", r.text().substring(first.start(), first.start() + first.length()));
		assertTrue(r.text().contains("\u2500 new messages \u2500\u2500\u2500\u2500\n00:01  bob: new"), r.text());
		int offset = r.text().indexOf("new\n");
		assertEquals("m2", r.entryAt(offset).orElseThrow().key().msgId());
		t.clearNewMarker();
		assertTrue(!t.render().text().contains("new messages"));
	}
}
