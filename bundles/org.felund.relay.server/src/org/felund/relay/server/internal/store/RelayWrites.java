package org.felund.relay.server.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * What the SQLite and PostgreSQL stores write alike, inside their group-committed transactions: circle keys,
 * key-value settings and presence removal, whose SQL both dialects share but for the names the stores pass in.
 * The writes on the hot paths (messages, signals, nonces) stay in the stores, which cache their statements.
 */
final class RelayWrites {
	private RelayWrites() {
	}

	/**
	 * Extends the binding of the circle's current key (a verified request used it).
	 *
	 * @param greatest the dialect's two-argument maximum ({@code MAX} in SQLite, {@code GREATEST} in PostgreSQL)
	 */
	static void touchCircleKey(Connection c, String greatest, String circleHint, String signingKey, long expiresAt)
			throws SQLException {
		try (PreparedStatement ps = c.prepareStatement("UPDATE circle_keys SET expires_at = " + greatest
				+ "(expires_at, ?) WHERE circle_hint = ? AND signing_key = ?")) {
			ps.setLong(1, expiresAt);
			ps.setString(2, circleHint);
			ps.setString(3, signingKey);
			ps.executeUpdate();
		}
	}

	/** Binds the key whatever was bound before (the operator's rebinding). */
	static void setCircleKey(Connection c, String circleHint, String signingKey, long now, long expiresAt)
			throws SQLException {
		try (PreparedStatement ps = c.prepareStatement("""
				INSERT INTO circle_keys (circle_hint, signing_key, bound_at, expires_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (circle_hint) DO UPDATE SET signing_key = excluded.signing_key,
				  bound_at = excluded.bound_at, expires_at = excluded.expires_at""")) {
			ps.setString(1, circleHint);
			ps.setString(2, signingKey);
			ps.setLong(3, now);
			ps.setLong(4, expiresAt);
			ps.executeUpdate();
		}
	}

	/** Replaces the stored form of a key (e.g. sealed at rest) if it is still {@code expectedStored}. */
	static boolean replaceStoredKey(Connection c, String circleHint, String expectedStored, String newStored)
			throws SQLException {
		try (PreparedStatement ps = c.prepareStatement(
				"UPDATE circle_keys SET signing_key = ? WHERE circle_hint = ? AND signing_key = ?")) {
			ps.setString(1, newStored);
			ps.setString(2, circleHint);
			ps.setString(3, expectedStored);
			return ps.executeUpdate() == 1;
		}
	}

	static boolean deleteCircleKey(Connection c, String circleHint) throws SQLException {
		try (PreparedStatement ps = c.prepareStatement("DELETE FROM circle_keys WHERE circle_hint = ?")) {
			ps.setString(1, circleHint);
			return ps.executeUpdate() > 0;
		}
	}

	static boolean deletePresence(Connection c, String circleHint, String nodeId) throws SQLException {
		try (PreparedStatement ps = c.prepareStatement("DELETE FROM presence WHERE circle_hint = ? AND node_id = ?")) {
			ps.setString(1, circleHint);
			ps.setString(2, nodeId);
			return ps.executeUpdate() > 0;
		}
	}

	/** Sets a value of the store's key-value table ({@code table}: each store names its own). */
	static void putMeta(Connection c, String table, String key, String value) throws SQLException {
		try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
				+ " (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
			ps.setString(1, key);
			ps.setString(2, value);
			ps.executeUpdate();
		}
	}

	/** Sets the value unless one is there; returns the value that is there now. */
	static String putMetaIfAbsent(Connection c, String table, String key, String value) throws SQLException {
		try (PreparedStatement ps = c.prepareStatement(
				"INSERT INTO " + table + " (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING")) {
			ps.setString(1, key);
			ps.setString(2, value);
			ps.executeUpdate();
		}
		try (PreparedStatement ps = c.prepareStatement("SELECT value FROM " + table + " WHERE key = ?")) {
			ps.setString(1, key);
			try (ResultSet rs = ps.executeQuery()) {
				rs.next();
				return rs.getString(1);
			}
		}
	}
}
