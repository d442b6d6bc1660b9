package org.felund.relay.server.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The relay's tables in PostgreSQL and their migrations. {@link #migrate} runs every step the database has not
 * seen yet, in one transaction under an advisory lock, so relay instances that start at the same time neither
 * race nor half-apply a step; a database newer than this relay is refused.
 *
 * <p>{@code message_clock} and {@code signal_clock} hold the last message seq and signal id handed out. A
 * writing transaction locks its clock row until it commits, so ids are handed out in commit order across all
 * instances and a poll cursor never skips a row that commits later (sequences would not guarantee that).
 */
final class PostgresSchema {
	/** Key of the advisory lock held while migrating (any constant that other applications do not use). */
	private static final long MIGRATION_LOCK = 0x66656c756e64L; // "felund"

	private static final List<String> V1 = List.of("""
			CREATE TABLE relay_meta (key text PRIMARY KEY, value text NOT NULL)""", """
			CREATE TABLE message_clock (
			  id int PRIMARY KEY CHECK (id = 1),
			  seq bigint NOT NULL,
			  stored_at bigint NOT NULL)""", """
			CREATE TABLE messages (
			  seq bigint PRIMARY KEY,
			  circle_hint text NOT NULL,
			  msg_id text NOT NULL,
			  stored_at bigint NOT NULL,
			  created_ts bigint NOT NULL,
			  sender_node text,
			  payload text NOT NULL,
			  UNIQUE (circle_hint, msg_id))""",
			"CREATE INDEX messages_by_hint_seq ON messages (circle_hint, seq)",
			"CREATE INDEX messages_by_stored ON messages (stored_at)", """
			CREATE TABLE presence (
			  circle_hint text NOT NULL,
			  node_id text NOT NULL,
			  endpoints text NOT NULL,
			  capabilities text NOT NULL,
			  observed_at bigint NOT NULL,
			  expires_at bigint NOT NULL,
			  PRIMARY KEY (circle_hint, node_id))""",
			"CREATE INDEX presence_by_expiry ON presence (expires_at)", """
			CREATE TABLE circle_keys (
			  circle_hint text PRIMARY KEY,
			  signing_key text NOT NULL,
			  bound_at bigint NOT NULL,
			  expires_at bigint NOT NULL)""", """
			CREATE TABLE nonces (nonce text PRIMARY KEY, ts bigint NOT NULL)""",
			"CREATE INDEX nonces_by_ts ON nonces (ts)", """
			CREATE TABLE signal_clock (id int PRIMARY KEY CHECK (id = 1), last_id bigint NOT NULL)""", """
			CREATE TABLE signals (
			  id bigint PRIMARY KEY,
			  session_id text NOT NULL,
			  from_node text NOT NULL,
			  to_node text NOT NULL,
			  type text NOT NULL,
			  payload text NOT NULL,
			  created_at bigint NOT NULL,
			  expires_at bigint NOT NULL)""",
			"CREATE INDEX signals_by_to ON signals (to_node, id)",
			"CREATE INDEX signals_by_expiry ON signals (expires_at)", """
			CREATE TABLE signal_rate (
			  node_id text PRIMARY KEY,
			  window_start bigint NOT NULL,
			  count int NOT NULL)""",
			"CREATE INDEX signal_rate_by_start ON signal_rate (window_start)",
			// Seqs of a new database start at its creation time in milliseconds, as with SQLite, so cursors it
			// hands out are larger than those of any database it replaces.
			"INSERT INTO message_clock (id, seq, stored_at) VALUES (1, (extract(epoch from now()) * 1000)::bigint, 0)",
			"INSERT INTO signal_clock (id, last_id) VALUES (1, 0)",
			"INSERT INTO relay_meta (key, value) VALUES ('last_prune', '0')");

	/** Signals remember their circle; each circle's stored messages and bytes, the measure of its quota. */
	private static final List<String> V2 = List.of(
			"ALTER TABLE signals ADD COLUMN circle_hint text NOT NULL DEFAULT ''", """
			CREATE TABLE hint_usage (
			  circle_hint text PRIMARY KEY,
			  messages bigint NOT NULL,
			  bytes bigint NOT NULL)""", """
			INSERT INTO hint_usage (circle_hint, messages, bytes)
			SELECT circle_hint, count(*), sum(octet_length(payload)) FROM messages GROUP BY circle_hint""");

	/** Migration steps; step {@code i} takes the schema from version {@code i} to {@code i + 1}. */
	static final List<List<String>> STEPS = List.of(V1, V2);

	static int currentVersion() {
		return STEPS.size();
	}

	private PostgresSchema() {
	}

	/** Brings the schema to {@link #currentVersion()}. */
	static void migrate(Connection c) throws SQLException {
		boolean autoCommit = c.getAutoCommit();
		c.setAutoCommit(false);
		try {
			try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
				lock.setLong(1, MIGRATION_LOCK);
				lock.execute();
			}
			int version = version(c);
			if (version > currentVersion()) {
				throw new SQLException("the relay database has schema version " + version + ", this relay knows up to "
						+ currentVersion() + ": update the relay");
			}
			try (Statement s = c.createStatement()) {
				for (int v = version; v < currentVersion(); v++) {
					for (String sql : STEPS.get(v)) {
						s.execute(sql);
					}
				}
			}
			if (version < currentVersion()) {
				try (PreparedStatement ps = c.prepareStatement("""
						INSERT INTO relay_meta (key, value) VALUES ('schema_version', ?)
						ON CONFLICT (key) DO UPDATE SET value = excluded.value""")) {
					ps.setString(1, Integer.toString(currentVersion()));
					ps.executeUpdate();
				}
			}
			c.commit();
		} catch (SQLException | RuntimeException e) {
			c.rollback();
			throw e;
		} finally {
			c.setAutoCommit(autoCommit);
		}
	}

	private static int version(Connection c) throws SQLException {
		try (Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("SELECT to_regclass('relay_meta') IS NOT NULL")) {
			rs.next();
			if (!rs.getBoolean(1)) {
				return 0;
			}
		}
		try (Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("SELECT value FROM relay_meta WHERE key = 'schema_version'")) {
			return rs.next() ? Integer.parseInt(rs.getString(1)) : 0;
		}
	}
}
