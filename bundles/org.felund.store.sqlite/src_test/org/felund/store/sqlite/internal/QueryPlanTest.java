package org.felund.store.sqlite.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.felund.api.store.SyncKey;
import org.felund.store.sqlite.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every message query must be a range of an index: its cost follows the rows returned, not the rows stored. */
class QueryPlanTest {
	@TempDir
	Path home;

	@Test
	void historyUsesTheChannelIndex() throws Exception {
		assertPlan(SqliteMessageStore.HISTORY_NEWEST, "messages_by_channel");
		assertPlan(SqliteMessageStore.HISTORY_BEFORE, "messages_by_channel");
		assertPlan(SqliteMessageStore.CHANNEL_CUT, "messages_by_channel");
		assertPlan(SqliteMessageStore.PRUNE_CHANNEL, "messages_by_channel");
		assertPlan(SqliteMessageStore.PRUNE_CHANNEL_AGE, "messages_by_channel");
	}

	@Test
	void syncRangesRecentAndPruningUseTheTimeIndex() throws Exception {
		SyncKey k = new SyncKey(1, "a");
		for (String sql : List.of(SqliteMessageStore.keysSql(null, null), SqliteMessageStore.keysSql(k, null),
				SqliteMessageStore.keysSql(null, k), SqliteMessageStore.keysSql(k, k), SqliteMessageStore.countSql(k, k),
				SqliteMessageStore.RECENT_ALL, SqliteMessageStore.RECENT_CHAT,
				SqliteMessageStore.PRUNE_AGE, SqliteMessageStore.CIRCLE_CUT, SqliteMessageStore.PRUNE_CIRCLE)) {
			assertPlan(sql, "messages_by_time");
		}
	}

	@Test
	void countingACircleUsesTheSmallestIndex() throws Exception {
		assertPlan(SqliteMessageStore.countSql(null, null), "COVERING INDEX");
	}

	@Test
	void theChangeFeedUsesTheSequenceRange() throws Exception {
		assertPlan(SqliteMessageStore.SINCE, "INTEGER PRIMARY KEY (rowid>?)");
	}

	private void assertPlan(String sql, String expected) throws Exception {
		Fixtures.open(home).close();
		List<String> plan = new ArrayList<>();
		try (Connection c = Fixtures.rawConnection(home); Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("EXPLAIN QUERY PLAN " + sql.replace("?", "1"))) {
			while (rs.next()) {
				plan.add(rs.getString(4));
			}
		}
		String text = String.join(" / ", plan);
		assertTrue(text.contains(expected), sql + " -> " + text);
		assertFalse(text.contains("SCAN messages"), sql + " scans the table: " + text);
		assertFalse(text.contains("TEMP B-TREE"), sql + " sorts in memory: " + text);
	}
}
