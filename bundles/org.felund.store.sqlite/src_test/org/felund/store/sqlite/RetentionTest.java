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
import org.felund.api.store.MessageStore;
import org.felund.api.store.RetentionPolicy;
import org.felund.api.store.SyncKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionTest {
	private static final long NOW = 1_700_000_000L;
	private static final long DAY = 86_400L;

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
	void theReferencePolicyDropsWhatIsOlderThanThirtyDays() {
		long limit = NOW - 30 * DAY;
		messages.putAll(List.of(message(CIRCLE, "general", id(1), limit - 1), message(CIRCLE, "general", id(2), limit),
				message(CIRCLE, "general", id(3), NOW), message(OTHER_CIRCLE, "general", id(4), limit - DAY)));
		assertEquals(2, messages.prune(RetentionPolicy.REFERENCE, NOW));
		// like the reference: deleted when now - created_ts > 30 days, so exactly 30 days old stays
		assertEquals(List.of(id(2), id(3)), messages.messageIds(CIRCLE));
		assertEquals(0, messages.count(OTHER_CIRCLE, null, null));
	}

	@Test
	void theCircleCapKeepsTheNewestByTimeThenId() {
		List<ChatMessage> all = new ArrayList<>();
		for (int i = 0; i < 1_050; i++) {
			// several messages per second and all channels count, __control included
			all.add(message(CIRCLE, i % 5 == 0 ? ChatMessage.CONTROL : "general", id(i), NOW - 2_000 + i / 3));
		}
		all.add(message(OTHER_CIRCLE, "general", id(5_000), NOW - 5_000));
		messages.putAll(all);
		assertEquals(50, messages.prune(RetentionPolicy.REFERENCE, NOW));
		assertEquals(1_000, messages.count(CIRCLE, null, null));
		List<SyncKey> kept = messages.keys(CIRCLE, null, null, 1);
		assertEquals(id(50), kept.get(0).msgId(), "the 50 oldest by (created_ts, msg_id) went");
		assertEquals(1, messages.count(OTHER_CIRCLE, null, null), "other circles have their own cap");
		assertEquals(0, messages.prune(RetentionPolicy.REFERENCE, NOW), "pruning again finds nothing");
	}

	@Test
	void perChannelCapsApplyBeforeTheCircleCap() {
		List<ChatMessage> all = new ArrayList<>();
		for (int i = 0; i < 30; i++) {
			all.add(message(CIRCLE, "busy", id(i), NOW - 100 + i));
			all.add(message(CIRCLE, "quiet", id(100 + i), NOW - 200 + i));
		}
		messages.putAll(all);
		RetentionPolicy policy = new RetentionPolicy(0, 40, Map.of("busy", 10, "absent", 1, "quiet", 0));
		// busy loses its 20 oldest; then 10 busy + 30 quiet fit the circle cap of 40, so nothing else goes
		assertEquals(20, messages.prune(policy, NOW));
		assertEquals(10, messages.history(CIRCLE, "busy", null, 100).size());
		assertEquals(id(20), messages.history(CIRCLE, "busy", null, 100).get(9).msgId(), "newest 10 of busy kept");
		assertEquals(30, messages.history(CIRCLE, "quiet", null, 100).size(), "a cap of 0 means no cap");
	}

	@Test
	void theCircleCapRemovesTheOldestWhateverTheirChannel() {
		List<ChatMessage> all = new ArrayList<>();
		for (int i = 0; i < 30; i++) {
			all.add(message(CIRCLE, "busy", id(i), NOW - 100 + i));
			all.add(message(CIRCLE, "quiet", id(100 + i), NOW - 200 + i));
		}
		messages.putAll(all);
		assertEquals(20 + 10, messages.prune(new RetentionPolicy(0, 30, Map.of("busy", 10)), NOW));
		assertEquals(10, messages.history(CIRCLE, "busy", null, 100).size());
		List<ChatMessage> quiet = messages.history(CIRCLE, "quiet", null, 100);
		assertEquals(20, quiet.size());
		assertEquals(id(110), quiet.get(19).msgId(), "the 10 oldest quiet messages went");
	}

	@Test
	void noLimitsMeansNothingIsDeleted() {
		messages.put(message(CIRCLE, "general", id(1), 0));
		assertEquals(0, messages.prune(new RetentionPolicy(0, 0, Map.of()), NOW));
		assertTrue(messages.contains(CIRCLE, id(1)));
	}

	@Test
	void keepAllDeletesNothingHoweverOldOrMany() {
		List<ChatMessage> all = new ArrayList<>();
		for (int i = 0; i < 10_000; i++) {
			all.add(message(CIRCLE, i % 7 == 0 ? ChatMessage.CONTROL : "general", id(i), i));
		}
		messages.putAll(all);
		assertTrue(RetentionPolicy.KEEP_ALL.keepsAll());
		assertEquals(0, messages.prune(RetentionPolicy.KEEP_ALL, NOW));
		assertEquals(0, messages.prune(CIRCLE, RetentionPolicy.KEEP_ALL, NOW));
		assertEquals(10_000, messages.count(CIRCLE, null, null));
	}

	@Test
	void aCirclesOwnPolicyTouchesOnlyThatCircle() {
		messages.putAll(List.of(message(CIRCLE, "general", id(1), NOW - 10 * DAY), message(CIRCLE, "general", id(2), NOW),
				message(OTHER_CIRCLE, "general", id(3), NOW - 10 * DAY)));
		assertEquals(1, messages.prune(CIRCLE, new RetentionPolicy(DAY, 0, Map.of()), NOW));
		assertEquals(List.of(id(2)), messages.messageIds(CIRCLE));
		assertEquals(1, messages.count(OTHER_CIRCLE, null, null), "another circle keeps its history");
	}

	@Test
	void perChannelAgeLimitsLeaveOtherChannelsAndControlAlone() {
		messages.putAll(List.of(message(CIRCLE, "random", id(1), NOW - 8 * DAY), message(CIRCLE, "random", id(2), NOW - DAY),
				message(CIRCLE, "general", id(3), NOW - 8 * DAY), message(CIRCLE, ChatMessage.CONTROL, id(4), NOW - 80 * DAY)));
		RetentionPolicy policy = new RetentionPolicy(0, 0, Map.of(), Map.of("random", 7 * DAY, "general", 0L));
		assertEquals(1, messages.prune(CIRCLE, policy, NOW));
		assertEquals(List.of(id(2), id(3), id(4)), messages.messageIds(CIRCLE));
		assertThrows(IllegalArgumentException.class, () -> new RetentionPolicy(0, 0, Map.of(), Map.of("x", -1L)));
	}

	@Test
	void negativeLimitsAreRejected() {
		assertThrows(IllegalArgumentException.class, () -> new RetentionPolicy(-1, 0, Map.of()));
		var e = assertThrows(IllegalArgumentException.class, () -> new RetentionPolicy(0, 0, Map.of("general", -5)));
		assertTrue(e.getMessage().contains("general"), e.getMessage());
	}

	@Test
	void pruningKeepsTheChangeFeedCursorMonotonic() {
		messages.put(message(CIRCLE, "general", id(1), 0));
		long seq = messages.lastSeq();
		messages.prune(RetentionPolicy.REFERENCE, NOW);
		assertFalse(messages.contains(CIRCLE, id(1)));
		messages.put(message(CIRCLE, "general", id(2), NOW));
		assertTrue(messages.since(CIRCLE, seq, 10).get(0).seq() > seq);
	}
}
