package org.felund.ui.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.felund.api.model.ChatMessage;
import org.felund.api.model.Delivery;
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

	@Test
	void yourMessagesEndWithTheirDeliveryStateAndTheirPathWhenPathsAreShown() {
		ChatTranscript t = new ChatTranscript(ME, ZoneOffset.UTC);
		t.names(Map.of(BOB + "00000000", "bob")::get);
		t.addMessages(List.of(msg("m3", BOB, "bob", T0 + 120, "theirs"),
				msg("m2", ME, "alice", T0 + 60, "see http://example.org\nsecond line"), msg("m1", ME, "alice", T0, "first")));
		assertTrue(t.delivery(Delivery.sent("c1", "m1")));
		assertTrue(t.delivery(Delivery.sent("c1", "m2")));
		assertFalse(t.delivery(Delivery.sent("c1", "m1")), "the same state again changes nothing");
		assertFalse(t.delivery(Delivery.sent("c1", "m3")), "others' messages have no delivery state");
		assertFalse(t.delivery(Delivery.sent("c1", "not-loaded")), "a message not loaded is left to its page");
		String sent = t.render().text();
		assertTrue(sent.contains("00:00  alice (you): first  \u25cb\n"), sent);
		assertTrue(sent.contains("        second line  \u25cb\n"), "the mark ends the message's last line: " + sent);
		assertTrue(sent.contains("00:02  bob: theirs\n"), sent);

		Delivery.Hop direct = new Delivery.Hop("gossip", BOB + "00000000", Delivery.Route.DIRECT, T0 + 5);
		Delivery.Hop relay = new Delivery.Hop("relay", "http://127.0.0.1:8080", Delivery.Route.RELAY, T0 + 7);
		assertTrue(t.delivery(Delivery.sent("c1", "m1").with(direct).with(relay)));
		ChatTranscript.Rendered r = t.render();
		assertTrue(r.text().contains("00:00  alice (you): first  \u2713\n"), r.text());
		List<ChatTranscript.Style> marks = r.spans().stream().map(ChatTranscript.Span::style)
				.filter(s -> s == ChatTranscript.Style.SENT || s == ChatTranscript.Style.DELIVERED).toList();
		assertEquals(List.of(ChatTranscript.Style.DELIVERED, ChatTranscript.Style.SENT), marks);
		assertEquals("\u2713 Delivered. Path:\ngossip \u2192 bbbbbbbb (direct) bob 00:00:05\n"
				+ "relay \u2192 http://127.0.0.1:8080 (relay) 00:00:07", t.deliveryTooltip("m1"));
		assertTrue(t.deliveryTooltip("m2").startsWith("\u25cb Sent: no peer, anchor or relay has accepted it yet."));
		assertEquals(null, t.deliveryTooltip("m3"));

		t.showPaths(true);
		r = t.render();
		String expected = """
				00:00  alice (you): first  \u2713
				        \u21b3 delivered: gossip \u2192 bbbbbbbb (direct) bob 00:00:05, relay \u2192 http://127.0.0.1:8080 (relay) 00:00:07
				00:01  alice (you): see http://example.org
				        second line  \u25cb
				        \u21b3 sent: no peer, anchor or relay has it yet
				00:02  bob: theirs
				""";
		assertTrue(r.text().endsWith(expected), r.text());
		assertEquals(Integer.valueOf(3), r.lineOfMessage().get("m2"), "the path line counts as a line");
		assertEquals(Integer.valueOf(6), r.lineOfMessage().get("m3"));
		// The relay's address in a path is not a link, and only the body's address is: no spans overlap.
		assertEquals(List.of("http://example.org"), r.spans().stream()
				.filter(s -> s.style() == ChatTranscript.Style.LINK).map(ChatTranscript.Span::data).toList());
		List<ChatTranscript.Span> sorted = r.spans().stream()
				.sorted(java.util.Comparator.comparingInt(ChatTranscript.Span::start)).toList();
		for (int i = 1; i < sorted.size(); i++) {
			assertTrue(sorted.get(i).start() >= sorted.get(i - 1).start() + sorted.get(i - 1).length(),
					"overlap at " + sorted.get(i));
		}
		// The path line belongs to its message (the context menu's "Copy path" finds it there).
		assertEquals("m1", r.entryAt(r.text().indexOf("delivered: gossip")).orElseThrow().key().msgId());
	}
}
