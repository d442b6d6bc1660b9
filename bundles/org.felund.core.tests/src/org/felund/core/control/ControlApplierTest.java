package org.felund.core.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.felund.api.control.AnchorAnnounce;
import org.felund.api.control.CallEvent;
import org.felund.api.control.ChannelEvent;
import org.felund.api.control.CircleNameEvent;
import org.felund.api.control.ControlMessage;
import org.felund.api.model.AccessMode;
import org.felund.api.model.AnchorRecord;
import org.felund.api.model.Channel;
import org.felund.api.model.Circle;
import org.felund.protocol.control.ControlEvents;
import org.felund.core.InMemoryCircleStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ControlApplierTest {
	private static final String C = "630dcd2966c4336691125448";
	private static final String ALICE = "6bcb32dbbbb6b4e48a83ed0b";
	private static final String BOB = "ad5ea04dac0fcd74dce5128d";
	private static final String CAROL = "cbf98fd76a33e3bafa5fc47a";
	private static final String S = "5e555e555e555e555e555e555e555e55";

	private InMemoryCircleStore store;
	private ControlApplier applier;
	private long now = 2_000_000_000L;

	@BeforeEach
	void setUp() {
		store = new InMemoryCircleStore();
		store.putCircle(new Circle(C, "e03c84dccc271635", "", 1, ""));
		applier = new ControlApplier(store, () -> now);
	}

	private boolean apply(String text) {
		return apply(ALICE, text);
	}

	private boolean apply(String author, String text) {
		return applier.apply(C, new ControlMessage(C, "m" + text.hashCode(), author, "x", 1767225600L,
				ControlEvents.parse(text).orElseThrow()));
	}

	private Channel channel(String id) {
		return store.channel(C, id).orElseThrow();
	}

	@Test
	void createMakesTheChannelOnceAndFirstCreateWins() {
		assertTrue(apply(ControlEvents.toText(ChannelEvent.create(C, "games", AccessMode.INVITE, "ignored", ALICE, 100))));
		Channel games = channel("games");
		assertEquals(AccessMode.INVITE, games.accessMode());
		assertEquals(ALICE, games.ownerNodeId());
		assertEquals(100, games.createdTs());
		assertEquals("", games.keyHash(), "key_hash is kept only in key mode");
		assertEquals(Set.of(ALICE), games.members());
		assertTrue(store.channel(C, "general").isPresent(), "general is ensured first");

		// A later create by BOB does not change metadata, but its owner becomes a member.
		assertTrue(apply(BOB, ControlEvents.toText(ChannelEvent.create(C, "games", AccessMode.PUBLIC, "", BOB, 200))));
		assertEquals(AccessMode.INVITE, channel("games").accessMode());
		assertEquals(ALICE, channel("games").ownerNodeId());
		assertEquals(Set.of(ALICE, BOB), channel("games").members());
	}

	@Test
	void createNormalizesValidatesAndFallsBack() {
		assertTrue(apply(BOB, "{\"t\":\"CHANNEL_EVT\",\"op\":\"create\",\"channel_id\":\" Café \",\"access_mode\":\"weird\","
				+ "\"actor_node_id\":\"\",\"created_by\":\"" + BOB + "\"}"));
		Channel cafe = channel("café");
		assertEquals(AccessMode.PUBLIC, cafe.accessMode());
		assertEquals(BOB, cafe.ownerNodeId());
		assertEquals(now, cafe.createdTs(), "missing created_ts becomes now");
		assertFalse(apply("{\"t\":\"CHANNEL_EVT\",\"op\":\"create\",\"channel_id\":\"__control\"}"));
		assertFalse(apply("{\"t\":\"CHANNEL_EVT\",\"op\":\"create\",\"channel_id\":\"a b\"}"));
		assertFalse(store.channel(C, "__control").isPresent());
		assertTrue(apply(ControlEvents.toText(ChannelEvent.create(C, "vault", AccessMode.KEY, "abc", ALICE, 5))));
		assertEquals("abc", channel("vault").keyHash());
	}

	@Test
	void membershipOpsFollowTheReference() {
		apply(ControlEvents.toText(ChannelEvent.create(C, "vip", AccessMode.INVITE, "", ALICE, 1)));
		assertTrue(apply(CAROL, ControlEvents.toText(ChannelEvent.membership(ChannelEvent.Op.REQUEST, C, "vip", CAROL, CAROL, 2))));
		assertEquals(Set.of(CAROL), channel("vip").pendingRequests());
		assertTrue(apply(ControlEvents.toText(ChannelEvent.approve(C, "vip", CAROL, ALICE, 3))));
		assertEquals(Set.of(ALICE, CAROL), channel("vip").members());
		assertEquals(Set.of(), channel("vip").pendingRequests());
		assertFalse(apply(ControlEvents.toText(ChannelEvent.approve(C, "vip", CAROL, ALICE, 3))), "idempotent");

		assertTrue(apply(BOB, ControlEvents.toText(ChannelEvent.membership(ChannelEvent.Op.REQUEST, C, "vip", BOB, BOB, 4))));
		assertTrue(apply(BOB, ControlEvents.toText(ChannelEvent.membership(ChannelEvent.Op.JOIN, C, "vip", BOB, BOB, 5))));
		assertEquals(Set.of(ALICE, BOB, CAROL), channel("vip").members());
		assertEquals(Set.of(), channel("vip").pendingRequests(), "join clears a pending request");

		assertTrue(apply(BOB, ControlEvents.toText(ChannelEvent.membership(ChannelEvent.Op.LEAVE, C, "vip", BOB, BOB, 6))));
		assertEquals(Set.of(ALICE, CAROL), channel("vip").members());

		apply(BOB, ControlEvents.toText(ChannelEvent.membership(ChannelEvent.Op.JOIN, C, "general", BOB, BOB, 7)));
		assertFalse(apply(BOB, ControlEvents.toText(ChannelEvent.membership(ChannelEvent.Op.LEAVE, C, "general", BOB, BOB, 8))),
				"nobody leaves general");
		assertTrue(channel("general").members().contains(BOB));
	}

	@Test
	void opOnUnknownChannelAutoCreatesItPublic() {
		assertTrue(apply(BOB, ControlEvents.toText(ChannelEvent.membership(ChannelEvent.Op.JOIN, C, "lobby", BOB, BOB, 2))));
		Channel lobby = channel("lobby");
		assertEquals(AccessMode.PUBLIC, lobby.accessMode());
		assertEquals(BOB, lobby.ownerNodeId());
		assertEquals(Set.of(BOB), lobby.members());
	}

	@Test
	void renameSetsTheLiveNameTruncatedTo40() {
		assertTrue(apply(BOB, ControlEvents.toText(ChannelEvent.rename(C, BOB, "  " + "b".repeat(45) + " ", BOB, 1))));
		assertEquals("b".repeat(40), store.displayName(C, BOB).orElseThrow());
		assertFalse(apply(BOB, "{\"t\":\"CHANNEL_EVT\",\"op\":\"rename\",\"node_id\":\"" + BOB + "\",\"display_name\":\" \"}"));
		// TUI form without circle_id and actor is applied too.
		assertTrue(apply(BOB, "{\"t\":\"CHANNEL_EVT\",\"op\":\"rename\",\"node_id\":\"" + BOB + "\",\"display_name\":\"Bob\"}"));
		assertEquals("Bob", store.displayName(C, BOB).orElseThrow());
	}

	@Test
	void circleNameFromEitherClientReplacesADifferentName() {
		assertTrue(apply(ControlEvents.toText(new CircleNameEvent(C, "  Book Club  "))));
		assertEquals("Book Club", store.circle(C).orElseThrow().name());
		assertFalse(apply(ControlEvents.toText(new CircleNameEvent(C, "Book Club"))));
		assertTrue(apply("{\"t\":\"CIRCLE_NAME_EVT\",\"name\":\"Web Name\"}"), "web form without circle_id");
		assertEquals("Web Name", store.circle(C).orElseThrow().name());
		assertTrue(apply(ControlEvents.toText(new CircleNameEvent("some-other-circle", "x".repeat(50)))),
				"applied to the carrying circle");
		assertEquals("x".repeat(40), store.circle(C).orElseThrow().name());
	}

	@Test
	void anchorAnnounceKeepsNewestAndRefreshesLastSeen() {
		long t0 = now - 5;
		assertTrue(apply(BOB, ControlEvents.toText(new AnchorAnnounce(BOB, t0, true, false, true))));
		AnchorRecord a = store.anchors(C).get(0);
		assertEquals(new AnchorRecord(C, BOB, true, true, false, t0, now), a);
		now += 10;
		assertFalse(apply(BOB, "{\"t\":\"ANCHOR_ANNOUNCE\",\"node_id\":\"" + BOB + "\",\"announced_at\":" + (t0 - 10)
				+ ",\"capabilities\":{\"can_anchor\":false}}"));
		assertEquals(new AnchorRecord(C, BOB, true, true, false, t0, now), store.anchors(C).get(0));
		assertTrue(apply(BOB, "{\"t\":\"ANCHOR_ANNOUNCE\",\"node_id\":\"" + BOB + "\",\"announced_at\":" + (t0 + 1)
				+ ",\"capabilities\":{\"can_anchor\":1,\"is_mobile\":\"yes\",\"bandwidth_hint\":9}}"));
		assertEquals(new AnchorRecord(C, BOB, true, false, true, t0 + 1, now), store.anchors(C).get(0));
	}

	@Test
	void anOldAnnouncementArrivingLateDoesNotMakeAnAnchorLookAlive() {
		long then = now - 3600;
		assertTrue(apply(BOB, ControlEvents.toText(new AnchorAnnounce(BOB, then, true, false, false))));
		assertEquals(then, store.anchors(C).get(0).lastSeenTs(), "seen when it announced, not now");
		now += 30;
		assertFalse(apply(BOB, ControlEvents.toText(new AnchorAnnounce(BOB, then - 60, true, false, false))));
		assertEquals(then, store.anchors(C).get(0).lastSeenTs());
	}

	@Test
	void callEventsLeaveTheCoreStateAloneButTellChatsToShowTheirLine() {
		assertTrue(apply(ControlEvents.toText(CallEvent.create(S, ALICE, C, "general", 50))),
				"call state is the calls plugin's, the line is news for a chat");
		assertTrue(apply(BOB, ControlEvents.toText(CallEvent.participation(CallEvent.Op.JOIN, S, BOB, BOB))));
		assertTrue(apply(BOB, ControlEvents.toText(CallEvent.end(S, ALICE))), "also an event the calls plugin ignores");
		assertTrue(store.channels(C).stream().allMatch(c -> c.channelId().equals("general")));
	}

	@Test
	void eventsActingForSomeoneElseChangeNothingHere() {
		apply(ControlEvents.toText(ChannelEvent.create(C, "vip", AccessMode.INVITE, "", ALICE, 1)));
		apply(CAROL, ControlEvents.toText(ChannelEvent.membership(ChannelEvent.Op.REQUEST, C, "vip", CAROL, CAROL, 2)));

		assertFalse(apply(BOB, ControlEvents.toText(ChannelEvent.approve(C, "vip", CAROL, ALICE, 3))),
				"BOB's message claiming ALICE approved");
		assertFalse(apply(BOB, ControlEvents.toText(ChannelEvent.approve(C, "vip", CAROL, BOB, 3))),
				"BOB does not own #vip (the reference would let CAROL in)");
		assertEquals(Set.of(ALICE), channel("vip").members());
		assertTrue(apply(ControlEvents.toText(ChannelEvent.approve(C, "vip", CAROL, ALICE, 3))), "the owner approves");
		assertEquals(Set.of(ALICE, CAROL), channel("vip").members());

		assertFalse(apply(BOB, ControlEvents.toText(ChannelEvent.membership(ChannelEvent.Op.LEAVE, C, "vip", CAROL, BOB, 4))),
				"BOB cannot take CAROL out");
		assertFalse(apply(BOB, ControlEvents.toText(ChannelEvent.membership(ChannelEvent.Op.JOIN, C, "vip", "dave", BOB, 4))),
				"nor put someone in");
		assertEquals(Set.of(ALICE, CAROL), channel("vip").members());

		assertFalse(apply(BOB, ControlEvents.toText(ChannelEvent.rename(C, ALICE, "Mallory", BOB, 5))),
				"nobody renames another node here");
		assertFalse(apply(BOB, "{\"t\":\"CHANNEL_EVT\",\"op\":\"rename\",\"node_id\":\"" + ALICE
				+ "\",\"display_name\":\"Mallory\"}"));
		assertTrue(store.displayName(C, ALICE).isEmpty());

		assertFalse(apply(BOB, ControlEvents.toText(ChannelEvent.create(C, "fake", AccessMode.PUBLIC, "", ALICE, 6))),
				"a create claiming another owner");
		assertTrue(store.channel(C, "fake").isEmpty());

		assertFalse(apply(ControlEvents.toText(new AnchorAnnounce(BOB, 100, true, false, true))),
				"ALICE announcing BOB as an anchor");
		assertTrue(store.anchors(C).isEmpty());
	}
}
