package org.felund.store.sqlite;

import static org.felund.store.sqlite.Fixtures.CIRCLE;
import static org.felund.store.sqlite.Fixtures.OTHER_CIRCLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.felund.api.model.AccessMode;
import org.felund.api.model.AnchorRecord;
import org.felund.api.model.Channel;
import org.felund.api.model.Circle;
import org.felund.api.model.Peer;
import org.felund.api.store.CircleStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CircleStoreTest {
	@TempDir
	Path home;
	SqliteNodeStore store;
	CircleStore state;

	@BeforeEach
	void open() {
		store = Fixtures.open(home);
		state = store.state();
	}

	@AfterEach
	void close() {
		store.close();
	}

	@Test
	void circlesAreStoredReplacedAndListedByJoinTime() {
		state.putCircle(new Circle(CIRCLE, "hint1", "", 200, "127.0.0.1:9000"));
		state.putCircle(new Circle(OTHER_CIRCLE, "hint2", "Book club", 100, ""));
		state.putCircle(new Circle(CIRCLE, "hint1", "Renamed", 200, "127.0.0.1:9001"));
		assertEquals(List.of(new Circle(OTHER_CIRCLE, "hint2", "Book club", 100, ""),
				new Circle(CIRCLE, "hint1", "Renamed", 200, "127.0.0.1:9001")), state.circles());
		assertEquals(Optional.empty(), state.circle("nope"));
		assertThrows(IllegalArgumentException.class, () -> state.putCircle(new Circle("", "", "", 0, "")));
	}

	@Test
	void removeCircleForgetsEverythingOfThatCircleButPeerRecords() {
		state.putCircle(new Circle(CIRCLE, "h", "n", 1, ""));
		state.putChannel(new Channel(CIRCLE, "general", AccessMode.PUBLIC, "", 1, "", Set.of("a"), Set.of("b")));
		state.mergePeer(CIRCLE, new Peer("a", "127.0.0.1:1", 5));
		state.setDisplayName(CIRCLE, "a", "Ann");
		state.putAnchor(new AnchorRecord(CIRCLE, "a", true, false, false, 1, 2));
		state.putCircle(new Circle(OTHER_CIRCLE, "h2", "", 1, ""));
		state.addMember(OTHER_CIRCLE, "a");
		state.removeCircle(CIRCLE);
		assertEquals(Optional.empty(), state.circle(CIRCLE));
		assertEquals(List.of(), state.channels(CIRCLE));
		assertEquals(List.of(), state.members(CIRCLE));
		assertEquals(Optional.empty(), state.displayName(CIRCLE, "a"));
		assertEquals(List.of(), state.anchors(CIRCLE));
		assertEquals(List.of(new Peer("a", "127.0.0.1:1", 5)), state.peers(OTHER_CIRCLE), "peer records are global");
	}

	@Test
	void aChannelIsStoredWithExactlyTheGivenMembersAndRequests() {
		Channel games = new Channel(CIRCLE, "games", AccessMode.INVITE, "owner", 123, "", Set.of("owner", "x"),
				Set.of("y", "z"));
		state.putChannel(games);
		assertEquals(games, state.channel(CIRCLE, "games").orElseThrow());
		Channel approved = new Channel(CIRCLE, "games", AccessMode.INVITE, "owner", 123, "", Set.of("owner", "x", "y"),
				Set.of("z"));
		state.putChannel(approved);
		assertEquals(approved, state.channel(CIRCLE, "games").orElseThrow());
		Channel keyed = new Channel(CIRCLE, "vault", AccessMode.KEY, "owner", 5, "abc", Set.of(), Set.of());
		state.putChannel(keyed);
		state.putChannel(new Channel(OTHER_CIRCLE, "general", AccessMode.PUBLIC, "", 1, "", Set.of(), Set.of()));
		assertEquals(List.of(approved, keyed), state.channels(CIRCLE));
		assertEquals(Optional.empty(), state.channel(CIRCLE, "general"));
	}

	@Test
	void peersFollowTheReferenceMergeRule() {
		state.mergePeer(CIRCLE, new Peer("n1", "127.0.0.1:1000", 100));
		state.mergePeer(CIRCLE, new Peer("n1", "127.0.0.1:2000", 100)); // not newer: kept
		assertEquals(List.of(new Peer("n1", "127.0.0.1:1000", 100)), state.peers(CIRCLE));
		state.mergePeer(CIRCLE, new Peer("n1", "127.0.0.1:3000", 99)); // older: kept
		assertEquals("127.0.0.1:1000", state.peers(CIRCLE).get(0).addr());
		state.mergePeer(CIRCLE, new Peer("n1", "127.0.0.1:4000", 101)); // strictly newer: replaced
		assertEquals(List.of(new Peer("n1", "127.0.0.1:4000", 101)), state.peers(CIRCLE));
		state.mergePeer(CIRCLE, new Peer("n2", "127.0.0.1:5000", 500));
		state.mergePeer(OTHER_CIRCLE, new Peer("n3", "127.0.0.1:6000", 50));
		assertEquals(List.of("n2", "n1"), state.peers(CIRCLE).stream().map(Peer::nodeId).toList(), "newest first");
		assertEquals(List.of("n1", "n2"), state.members(CIRCLE), "merging adds the node to the circle's members");
		assertThrows(IllegalArgumentException.class, () -> state.mergePeer(CIRCLE, new Peer("n4", "", 1)));
		assertThrows(IllegalArgumentException.class, () -> state.mergePeer(CIRCLE, new Peer("", "127.0.0.1:1", 1)));
	}

	@Test
	void membersAreASetPerCircle() {
		state.addMember(CIRCLE, "b");
		state.addMember(CIRCLE, "a");
		state.addMember(CIRCLE, "a");
		state.addMember(OTHER_CIRCLE, "c");
		assertEquals(List.of("a", "b"), state.members(CIRCLE));
		assertEquals(List.of(), state.peers(CIRCLE), "members without a peer record are not dialable");
	}

	@Test
	void displayNamesArePerCircleAndNode() {
		state.setDisplayName(CIRCLE, "n1", "Ann");
		state.setDisplayName(CIRCLE, "n1", "Annie ☕");
		state.setDisplayName(OTHER_CIRCLE, "n1", "A.");
		assertEquals(Optional.of("Annie ☕"), state.displayName(CIRCLE, "n1"));
		assertEquals(Optional.of("A."), state.displayName(OTHER_CIRCLE, "n1"));
		assertEquals(Optional.empty(), state.displayName(CIRCLE, "n2"));
	}

	@Test
	void anchorRecordsAreReplacedPerNode() {
		state.putAnchor(new AnchorRecord(CIRCLE, "b", true, false, true, 10, 11));
		state.putAnchor(new AnchorRecord(CIRCLE, "a", true, true, false, 20, 21));
		state.putAnchor(new AnchorRecord(CIRCLE, "b", false, true, false, 30, 31));
		assertEquals(List.of(new AnchorRecord(CIRCLE, "a", true, true, false, 20, 21),
				new AnchorRecord(CIRCLE, "b", false, true, false, 30, 31)), state.anchors(CIRCLE));
		assertEquals(List.of(), state.anchors(OTHER_CIRCLE));
	}

	@Test
	void settingsRoundTripAndOverwrite() {
		assertEquals(Optional.empty(), state.setting("node_id"));
		state.putSetting("node_id", "abc");
		state.putSetting("port", "9999");
		state.putSetting("node_id", "def");
		assertEquals(Optional.of("def"), state.setting("node_id"));
		assertEquals(Optional.of("9999"), state.setting("port"));
		state.putSetting("empty", "");
		assertEquals(Optional.of(""), state.setting("empty"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> state.putSetting("", "x")).getMessage()
				.contains("setting key"));
	}

	@Test
	void stateWrittenWithFullDurabilityIsReadBackAfterReopening() {
		store.close();
		try (SqliteNodeStore s = SqliteNodeStore.open(home, null,
				StoreOptions.DEFAULT.withDurability(StoreOptions.Durability.POWER_LOSS))) {
			s.state().putSetting("k", "v");
			s.state().putCircle(new Circle(CIRCLE, "h", "n", 1, ""));
		}
		store = Fixtures.open(home);
		state = store.state();
		assertEquals(Optional.of("v"), state.setting("k"));
		assertEquals("n", state.circle(CIRCLE).orElseThrow().name());
	}
}
