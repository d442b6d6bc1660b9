package org.felund.relay.server.internal.store;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.felund.relay.server.internal.store.RelayStore.CircleKey;
import org.felund.relay.server.internal.store.RelayStore.Presence;
import org.felund.relay.server.internal.store.RelayStore.Signal;
import org.felund.relay.server.internal.store.RelayStore.StoredMessage;

/**
 * What the SQLite and PostgreSQL stores read alike: the columns and row mapping of messages, presence, signals and
 * circle keys, the queries whose SQL both dialects share, and the page budget (rows and payload bytes) of a read.
 * Only dialect-specific SQL stays in the stores.
 */
final class RelayRows {
	/** The columns {@link #signal} maps, in order. */
	static final String SIGNAL_COLUMNS = "id, session_id, from_node, to_node, type, payload, created_at";
	/**
	 * The conditions of a signal read before its optional filters ({@link #signalFilters}), bound by
	 * {@link #bindSignalRead}: recipient, cursor, expiry.
	 */
	static final String SIGNAL_CONDITIONS = "to_node = ? AND id > ? AND expires_at > ?";

	private RelayRows() {
	}

	@FunctionalInterface
	interface RowMapper<T> {
		T map(ResultSet rs) throws SQLException;
	}

	static StoredMessage message(ResultSet rs) throws SQLException {
		return new StoredMessage(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4));
	}

	static Signal signal(ResultSet rs) throws SQLException {
		return new Signal(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
				rs.getString(6), rs.getLong(7));
	}

	static Presence presence(ResultSet rs) throws SQLException {
		return new Presence(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
				rs.getLong(6));
	}

	/** Every row of the query. */
	static <T> List<T> all(PreparedStatement ps, RowMapper<T> mapper) throws SQLException {
		List<T> out = new ArrayList<>();
		try (ResultSet rs = ps.executeQuery()) {
			while (rs.next()) {
				out.add(mapper.map(rs));
			}
		}
		return out;
	}

	/**
	 * The bytes a payload counts for in a page: its UTF-8 length, which is what PostgreSQL's {@code octet_length}
	 * sums, so both stores cut pages at the same row.
	 */
	static long payloadBytes(String payload) {
		long n = 0;
		for (int i = 0; i < payload.length(); i++) {
			char c = payload.charAt(i);
			if (c < 0x80) {
				n++;
			} else if (c < 0x800) {
				n += 2;
			} else if (Character.isHighSurrogate(c) && i + 1 < payload.length()
					&& Character.isLowSurrogate(payload.charAt(i + 1))) {
				n += 4;
				i++;
			} else {
				n += 3;
			}
		}
		return n;
	}

	/**
	 * The limits of one page: at most {@code maxRows} rows, and a row is taken only while the payload bytes before it
	 * are below {@code maxBytes}, so the first row is always taken, however large. PostgreSQL applies the same rule
	 * in SQL ({@code upto - len < maxBytes} over a running sum); SQLite hands rows over one by one and applies it
	 * here, so a page never holds more than its cap in memory.
	 */
	static final class PageBudget {
		private final int maxRows;
		private final long maxBytes;
		private int rows;
		private long bytes;

		PageBudget(int maxRows, long maxBytes) {
			this.maxRows = maxRows;
			this.maxBytes = maxBytes;
		}

		/** Whether one more row fits. */
		boolean admits() {
			return rows < maxRows && (rows == 0 || bytes < maxBytes);
		}

		void take(String payload) {
			rows++;
			bytes += payloadBytes(payload);
		}
	}

	/** The smallest seq stored after the given second ({@code Long.MAX_VALUE} when there is none). */
	static long firstSeqStoredAfter(Connection c, long second) throws SQLException {
		try (PreparedStatement ps = c.prepareStatement(
				"SELECT seq FROM messages WHERE stored_at > ? ORDER BY stored_at, seq LIMIT 1")) {
			ps.setLong(1, second);
			try (ResultSet rs = ps.executeQuery()) {
				return rs.next() ? rs.getLong(1) : Long.MAX_VALUE;
			}
		}
	}

	/** Unexpired presence rows of a circle, newest observation first, without {@code excludeNodeId}. */
	static List<Presence> peers(Connection c, String circleHint, String excludeNodeId, long now, int limit)
			throws SQLException {
		try (PreparedStatement ps = c.prepareStatement("""
				SELECT node_id, circle_hint, endpoints, capabilities, observed_at, expires_at FROM presence
				WHERE circle_hint = ? AND expires_at > ? AND node_id <> ?
				ORDER BY observed_at DESC, node_id LIMIT ?""")) {
			ps.setString(1, circleHint);
			ps.setLong(2, now);
			ps.setString(3, excludeNodeId == null ? "" : excludeNodeId);
			ps.setInt(4, limit);
			return all(ps, RelayRows::presence);
		}
	}

	/** A circle's unexpired bound key. */
	static Optional<CircleKey> circleKey(Connection c, String circleHint, long now) throws SQLException {
		try (PreparedStatement ps = c.prepareStatement("""
				SELECT signing_key, bound_at, expires_at FROM circle_keys
				WHERE circle_hint = ? AND expires_at > ?""")) {
			ps.setString(1, circleHint);
			ps.setLong(2, now);
			try (ResultSet rs = ps.executeQuery()) {
				return rs.next() ? Optional.of(new CircleKey(circleHint, rs.getString(1), rs.getLong(2), rs.getLong(3)))
						: Optional.empty();
			}
		}
	}

	/** Every bound key, expired or not, by circle hint. */
	static List<CircleKey> circleKeys(Connection c) throws SQLException {
		try (PreparedStatement ps = c.prepareStatement(
				"SELECT circle_hint, signing_key, bound_at, expires_at FROM circle_keys ORDER BY circle_hint")) {
			return all(ps, rs -> new CircleKey(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
		}
	}

	/** A value of the store's key-value table ({@code table}: each store names its own), or {@code null}. */
	static String meta(Connection c, String table, String key) throws SQLException {
		try (PreparedStatement ps = c.prepareStatement("SELECT value FROM " + table + " WHERE key = ?")) {
			ps.setString(1, key);
			try (ResultSet rs = ps.executeQuery()) {
				return rs.next() ? rs.getString(1) : null;
			}
		}
	}

	static boolean nonceSeen(Connection c, String nonce) throws SQLException {
		try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM nonces WHERE nonce = ?")) {
			ps.setString(1, nonce);
			try (ResultSet rs = ps.executeQuery()) {
				return rs.next();
			}
		}
	}

	/** Whether the node has unexpired presence in any circle. */
	static boolean presentAnywhere(Connection c, String nodeId, long now) throws SQLException {
		try (PreparedStatement ps = c.prepareStatement(
				"SELECT 1 FROM presence WHERE node_id = ? AND expires_at > ? LIMIT 1")) {
			ps.setString(1, nodeId);
			ps.setLong(2, now);
			try (ResultSet rs = ps.executeQuery()) {
				return rs.next();
			}
		}
	}

	/** The optional filters of a signal read, after {@link #SIGNAL_CONDITIONS}. */
	static String signalFilters(String circleHintOrNull, String sessionIdOrNull) {
		return (circleHintOrNull != null ? " AND circle_hint = ?" : "")
				+ (sessionIdOrNull != null ? " AND session_id = ?" : "");
	}

	/**
	 * Binds {@link #SIGNAL_CONDITIONS} and {@link #signalFilters} from parameter 1.
	 *
	 * @return the index of the next parameter
	 */
	static int bindSignalRead(PreparedStatement ps, String toNode, long sinceId, long now, String circleHintOrNull,
			String sessionIdOrNull) throws SQLException {
		int i = 1;
		ps.setString(i++, toNode);
		ps.setLong(i++, sinceId);
		ps.setLong(i++, now);
		if (circleHintOrNull != null) {
			ps.setString(i++, circleHintOrNull);
		}
		if (sessionIdOrNull != null) {
			ps.setString(i++, sessionIdOrNull);
		}
		return i;
	}
}
