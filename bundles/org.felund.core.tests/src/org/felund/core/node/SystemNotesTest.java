package org.felund.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.felund.api.model.AccessMode;
import org.felund.api.model.ChatMessage;
import org.felund.api.node.NodeIdentity;
import org.felund.api.node.SystemNote;
import org.felund.api.control.CallEvent;
import org.felund.api.control.ChannelEvent;
import org.felund.api.control.ControlEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemNotesTest {
	private static final long T0 = 1767225600L;

	@TempDir
	Path tmp;

	/** The notes of a circle's control history, oldest first. */
	private static List<SystemNote> notes(Node node, String circleId) {
		List<ChatMessage> control = new ArrayList<>(node.history(circleId, ChatMessage.CONTROL, null, 100));
		java.util.Collections.reverse(control);
		List<SystemNote> out = new ArrayList<>();
		for (ChatMessage m : control) {
			node.describe(m).ifPresent(out::add);
		}
		return out;
	}

	@Test
	void channelAndCircleEventsReadAsLinesInTheChannelTheyConcern() {
		try (TestHome home = new TestHome(tmp.resolve("a"), T0)) {
			Node node = home.node;
			NodeIdentity me = node.identity();
			node.setDisplayName("alice");
			// One second apart: history is ordered by time, then by random message id.
			String circle = node.createCircle("Book Club").circle().circleId();
			home.clock.incrementAndGet();
			node.createChannel(circle, "dev", AccessMode.KEY, "hunter2");
			home.clock.incrementAndGet();
			node.createChannel(circle, "ops", AccessMode.INVITE, null);
			home.clock.incrementAndGet();
			node.createChannel(circle, "fun", AccessMode.PUBLIC, null);
			home.clock.incrementAndGet();
			node.leaveChannel(circle, "fun");
			home.clock.incrementAndGet();
			node.joinChannel(circle, "fun", null);

			List<SystemNote> notes = notes(node, circle);
			List<String> lines = notes.stream().map(n -> n.channelId() + ": " + n.text()).toList();
			assertEquals(List.of( //
					"general: alice named the circle \u201cBook Club\u201d", //
					"general: alice created #dev (joined with a key)", //
					"general: alice created #ops (invite only)", //
					"general: alice created #fun", //
					"fun: alice left #fun", //
					"fun: alice joined #fun"), lines);
			assertTrue(notes.stream().allMatch(n -> n.circleId().equals(circle) && n.createdTs() >= T0
					&& n.authorNodeId().equals(me.nodeId())));
			assertEquals(T0 + 5, notes.get(5).createdTs());
		}
	}

	@Test
	void pluginsHaveTheirSayOnTheEventTypesTheyNameInRankingOrder() {
		try (TestHome home = new TestHome(tmp.resolve("c"), T0)) {
			Node node = home.node;
			node.setDisplayName("alice");
			String circle = node.createCircle("").circle().circleId();
			home.clock.incrementAndGet();
			String self = node.identity().nodeId();
			node.controlEvents().send(circle, CallEvent.create("s1", self, circle, "general", T0));
			home.clock.incrementAndGet();
			node.controlEvents().send(circle, CallEvent.end("s1", self));
			node.addNoteContributor((message, proposed) -> ((CallEvent) message.event()).op() == CallEvent.Op.END
					? proposed.map(n -> new SystemNote(n.circleId(), n.channelId(), n.msgId(), n.authorNodeId(),
							n.createdTs(), n.text() + " \u2014 ignored"))
					: proposed, java.util.Set.of(CallEvent.TYPE), 0);
			org.felund.api.node.SystemNoteContributor later = (message, proposed) -> proposed
					.map(n -> new SystemNote(n.circleId(), n.channelId(), n.msgId(), n.authorNodeId(), n.createdTs(),
							"[" + n.text() + "]"));
			node.addNoteContributor(later, java.util.Set.of(CallEvent.TYPE), -1);
			node.addNoteContributor((message, proposed) -> {
				throw new IllegalStateException("a broken plugin");
			}, java.util.Set.of(CallEvent.TYPE), 5);
			node.addNoteContributor((message, proposed) -> Optional.empty(), java.util.Set.of("CHANNEL_EVT"), 9);

			List<String> calls = notes(node, circle).stream().map(SystemNote::text).filter(t -> t.contains("call"))
					.toList();
			assertEquals(List.of("[alice started a call in #general]", "[alice ended the call \u2014 ignored]"), calls,
					"the higher ranking goes first, the failing one is skipped");
			node.removeNoteContributor(later);
			List<SystemNote> after = notes(node, circle);
			assertEquals("alice ended the call \u2014 ignored", after.get(after.size() - 1).text());
		}
	}

	@Test
	void eventsOfOthersUseTheNamesTheNodeKnowsAndAShortIdOtherwise() {
		ChatMessage carrier = new ChatMessage("m1", "c1", ChatMessage.CONTROL, "aaaaaaaaaaaaaaaaaaaaaaaa", T0, "bob",
				"", "", 2, null);
		ControlEvent approve = ChannelEvent.approve("c1", "ops", "bbbbbbbbbbbbbbbbbbbbbbbb", "aaaaaaaaaaaaaaaaaaaaaaaa",
				T0);
		Optional<SystemNote> note = SystemNotes.describe(carrier, approve,
				id -> id.startsWith("b") ? "carol" : SystemNotes.shortId(id), s -> Optional.empty(),
				(node, name) -> Optional.empty());
		assertEquals("bob let carol into #ops", note.orElseThrow().text());
		assertEquals("ops", note.get().channelId());

		ControlEvent rename = ChannelEvent.rename("c1", "cccccccccccccccccccccccc", "Dave", "cccccccccccccccccccccccc",
				T0);
		assertEquals("A member is now called Dave", SystemNotes.describe(carrier, rename, SystemNotes::shortId,
				s -> Optional.empty(), (node, name) -> Optional.empty()).orElseThrow().text(),
				"no name is known from before: no hex id either");
		assertEquals("Davy is now called Dave", SystemNotes.describe(carrier, rename, SystemNotes::shortId,
				s -> Optional.empty(), (node, name) -> Optional.of("Davy")).orElseThrow().text());
	}

	@Test
	void aRenameNamesTheOldNameAndTheNewOneAtEveryNode() throws Exception {
		try (TestHome a = new TestHome(tmp.resolve("a"), T0); TestHome b = new TestHome(tmp.resolve("b"), T0)) {
			a.node.setDisplayName("alice");
			b.node.setDisplayName("bob");
			a.node.addDetached(StubTransport.direct("127.0.0.1:9999"));
			String circle = a.node.createCircle("Book Club").circle().circleId();
			b.node.joinCircle(a.node.inviteCode(circle, null));
			a.clock.incrementAndGet();
			a.node.send(circle, null, "hello");
			a.clock.incrementAndGet();
			a.node.setDisplayName("Alice W.");
			deliver(a, b, circle);
			deliver(b, a, circle);
			for (Node node : List.of(a.node, b.node)) {
				assertTrue(notes(node, circle).stream().anyMatch(n -> n.text().equals("alice is now called Alice W.")),
						() -> notes(node, circle).toString());
			}
			assertEquals("Alice W.", b.node.members(circle).stream().filter(m -> m.nodeId().equals(a.node.nodeId()))
					.findFirst().orElseThrow().displayName(), "the event's name wins over the carrier's");
		}
	}

	@Test
	void aReferenceRenameCarryingTheNewNameFindsTheOldOneInTheHistory() throws Exception {
		try (TestHome a = new TestHome(tmp.resolve("a"), T0)) {
			String circle = a.node.createCircle("").circle().circleId();
			var cc = TestHome.CRYPTO.forCircle(a.store.secrets().get(circle).orElseThrow());
			String ref = "0123456789abcdef01234567";
			a.node.context().receive(circle, MessageFactory.create(TestHome.CRYPTO, cc, "general", ref, "rob", "hi", T0),
					"test", ref);
			String event = org.felund.protocol.control.ControlEvents
					.toText(ChannelEvent.rename(circle, ref, "Robert", ref, T0 + 1));
			a.node.context().receive(circle,
					MessageFactory.create(TestHome.CRYPTO, cc, ChatMessage.CONTROL, ref, "Robert", event, T0 + 1), "test",
					ref);
			assertTrue(notes(a.node, circle).stream().anyMatch(n -> n.text().equals("rob is now called Robert")),
					() -> notes(a.node, circle).toString());
		}
	}

	@Test
	void someoneJoiningACircleIsToldByNameBeforeTheyWriteAnything() throws Exception {
		try (TestHome a = new TestHome(tmp.resolve("a"), T0); TestHome b = new TestHome(tmp.resolve("b"), T0)) {
			a.node.setDisplayName("alice");
			b.node.setDisplayName("bob");
			a.node.addDetached(StubTransport.direct("127.0.0.1:9999"));
			String circle = a.node.createCircle("Book Club").circle().circleId();
			b.node.joinCircle(a.node.inviteCode(circle, null));
			deliver(b, a, circle);
			assertTrue(notes(a.node, circle).stream().anyMatch(n -> n.text().equals("bob joined the circle")
					&& n.channelId().equals("general")), () -> notes(a.node, circle).toString());
			assertEquals("bob", a.node.members(circle).stream().filter(m -> m.nodeId().equals(b.node.nodeId()))
					.findFirst().orElseThrow().displayName(), "a member's name before their first message");
			assertTrue(a.node.history(circle, "general", null, 10).isEmpty(), "no chat message was needed");
		}
	}

	/** Delivers every message {@code from} announced to {@code to}, as a transport would. */
	private static void deliver(TestHome from, TestHome to, String circleId) throws InterruptedException {
		from.settle();
		for (int i = 0; i < from.announced.size(); i++) {
			if (from.circles.get(i).equals(circleId)) {
				to.node.context().receive(circleId, from.announced.get(i), "test", from.node.nodeId());
			}
		}
		from.clearAnnounced();
		to.settle();
	}

	@Test
	void callsAreToldInTheirChannelAndSignallingIsNot() {
		ChatMessage carrier = new ChatMessage("m1", "c1", ChatMessage.CONTROL, "host00000000000000000000", T0, "ann",
				"", "", 2, null);
		var start = SystemNotes.describe(carrier, CallEvent.create("s1", "host00000000000000000000", "c1", "dev", T0),
				id -> "ann", s -> Optional.empty(), (node, name) -> Optional.empty()).orElseThrow();
		assertEquals("dev", start.channelId());
		assertEquals("ann started a call in #dev", start.text());

		var join = SystemNotes.describe(carrier,
				CallEvent.participation(CallEvent.Op.JOIN, "s1", "host00000000000000000000", "host00000000000000000000"),
				id -> "ann", s -> Optional.of("dev"), (node, name) -> Optional.empty()).orElseThrow();
		assertEquals("dev", join.channelId(), "the channel of a known session");
		assertEquals("ann joined the call", join.text());

		CallEvent offer = new CallEvent(CallEvent.Op.SIGNAL_OFFER, "s1", "x", null, null, null, null, null, "y", null);
		assertTrue(SystemNotes.describe(carrier, offer, id -> id, s -> Optional.empty(), (node, name) -> Optional.empty())
				.isEmpty());
	}

	@Test
	void ordinaryAndMalformedMessagesAreNotDescribed() {
		try (TestHome home = new TestHome(tmp.resolve("a"), T0)) {
			String circle = home.node.createCircle("").circle().circleId();
			ChatMessage chat = home.node.send(circle, "general", "hello");
			assertTrue(home.node.describe(chat).isEmpty());
			assertTrue(home.node.describe(new ChatMessage("m", circle, ChatMessage.CONTROL, "a", T0, "", "{not json",
					"", 2, null)).isEmpty());
			assertTrue(home.node.describe(null).isEmpty());
		}
	}
}
