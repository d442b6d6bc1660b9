package org.felund.anchor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.felund.api.anchor.AnchorStore;
import org.felund.api.model.ChatMessage;
import org.felund.api.model.Envelope;
import org.felund.api.store.StoreException;

/**
 * The ciphertext an anchor keeps for members who are offline (protocol §6.2/§6.3), in an SQLite file of its own
 * ({@code anchor.db} in the node's home), so that it survives a restart.
 * <p>
 * Only envelopes with {@code enc} are kept, and only their routing header and ciphertext: no text, no display name,
 * no MAC. Limits per circle, applied after every push with deletes over an index (the file is never rewritten): older
 * than 24 h by {@code created_ts}, beyond 500 envelopes, beyond 50 MiB of summed compact-JSON envelope sizes; the
 * oldest by {@code created_ts} (then arrival) go first. Each push is one transaction. Thread-safe.
 */
public final class SqliteAnchorStore implements AnchorStore, AutoCloseable {
	public static final long MAX_AGE_SECONDS = 86_400;
	public static final int MAX_ENVELOPES = 500;
	public static final long MAX_BYTES = 50L * 1024 * 1024;
	public static final String FILE_NAME = "anchor.db";

	private static final int SCHEMA_VERSION = 1;

	private final Connection db;
	private final long maxAgeSeconds;
	private final int maxEnvelopes;
	private final long maxBytes;

	/** Opens (or creates) {@code anchor.db} in {@code home} with the protocol's limits. */
	public static SqliteAnchorStore open(Path home) {
		return open(home, MAX_AGE_SECONDS, MAX_ENVELOPES, MAX_BYTES);
	}

	public static SqliteAnchorStore open(Path home, long maxAgeSeconds, int maxEnvelopes, long maxBytes) {
		try {
			Files.createDirectories(home);
			return new SqliteAnchorStore(home.resolve(FILE_NAME), maxAgeSeconds, maxEnvelopes, maxBytes);
		} catch (java.io.IOException | SQLException e) {
			throw new StoreException("Cannot open the anchor store in " + home + ": " + e.getMessage(), e);
		}
	}

	private SqliteAnchorStore(Path file, long maxAgeSeconds, int maxEnvelopes, long maxBytes) throws SQLException {
		this.maxAgeSeconds = maxAgeSeconds;
		this.maxEnvelopes = maxEnvelopes;
		this.maxBytes = maxBytes;
		try {
			Class.forName("org.sqlite.JDBC"); // the driver registers itself; under OSGi the service loader may not see it
		} catch (ClassNotFoundException e) {
			throw new SQLException("The SQLite driver is missing", e);
		}
		this.db = DriverManager.getConnection("jdbc:sqlite:" + file);
		try (Statement s = db.createStatement()) {
			s.execute("PRAGMA journal_mode=WAL");
			s.execute("PRAGMA synchronous=NORMAL");
			s.execute("PRAGMA busy_timeout=5000");
			int version;
			try (ResultSet r = s.executeQuery("PRAGMA user_version")) {
				version = r.next() ? r.getInt(1) : 0;
			}
			if (version > SCHEMA_VERSION) {
				db.close();
				throw new SQLException(file + " has schema version " + version + ", written by a newer Felund");
			}
			if (version < 1) {
				// seq keeps arrival order; created_ts is the author's clock and only whole seconds.
				s.execute("""
						CREATE TABLE IF NOT EXISTS envelopes(
						  seq INTEGER PRIMARY KEY AUTOINCREMENT,
						  circle_id TEXT NOT NULL,
						  msg_id TEXT NOT NULL,
						  channel_id TEXT NOT NULL,
						  author_node_id TEXT NOT NULL,
						  created_ts INTEGER NOT NULL,
						  enc_alg TEXT NOT NULL,
						  enc_key_id TEXT NOT NULL,
						  enc_nonce TEXT NOT NULL,
						  enc_ciphertext TEXT NOT NULL,
						  size INTEGER NOT NULL,
						  UNIQUE(circle_id, msg_id)
						) STRICT""");
				s.execute("CREATE INDEX IF NOT EXISTS envelopes_by_time ON envelopes(circle_id, created_ts, seq)");
				s.execute("PRAGMA user_version=" + SCHEMA_VERSION);
			}
		}
		db.setAutoCommit(false);
	}

	@Override
	public synchronized int push(String circleId, List<ChatMessage> envelopes, long nowSeconds) {
		Objects.requireNonNull(circleId, "circleId");
		try {
			try (PreparedStatement ins = db.prepareStatement("INSERT INTO envelopes(circle_id, msg_id, channel_id,"
					+ " author_node_id, created_ts, enc_alg, enc_key_id, enc_nonce, enc_ciphertext, size)"
					+ " VALUES(?,?,?,?,?,?,?,?,?,?) ON CONFLICT(circle_id, msg_id) DO NOTHING")) {
				for (ChatMessage e : envelopes) {
					Envelope enc = e.enc();
					if (e.msgId().isEmpty() || enc == null || !circleId.equals(e.circleId())) {
						continue; // plaintext is never kept for others, nor another circle's envelope
					}
					ins.setString(1, circleId);
					ins.setString(2, e.msgId());
					ins.setString(3, e.channelId());
					ins.setString(4, e.authorNodeId());
					ins.setLong(5, e.createdTs());
					ins.setString(6, enc.alg());
					ins.setString(7, enc.keyId());
					ins.setString(8, enc.nonce());
					ins.setString(9, enc.ciphertext());
					ins.setLong(10, EnvelopeSize.of(e));
					ins.addBatch();
				}
				ins.executeBatch();
			}
			prune(circleId, nowSeconds);
			db.commit();
			return envelopes.size();
		} catch (SQLException e) {
			rollback();
			throw new StoreException("Cannot store envelopes for circle " + circleId + ": " + e.getMessage(), e);
		}
	}

	/** Age, then count, then bytes; each a range delete bounded by the first row to keep. */
	private void prune(String circleId, long now) throws SQLException {
		if (maxAgeSeconds > 0) {
			try (PreparedStatement ps = db.prepareStatement("DELETE FROM envelopes WHERE circle_id=? AND created_ts < ?")) {
				ps.setString(1, circleId);
				ps.setLong(2, now - maxAgeSeconds);
				ps.executeUpdate();
			}
		}
		try (PreparedStatement cut = db.prepareStatement("SELECT created_ts, seq FROM envelopes WHERE circle_id=?"
				+ " ORDER BY created_ts DESC, seq DESC LIMIT 1 OFFSET ?")) {
			cut.setString(1, circleId);
			cut.setInt(2, maxEnvelopes);
			deleteUpTo(circleId, cut);
		}
		long bytes;
		try (PreparedStatement sum = db.prepareStatement("SELECT coalesce(sum(size), 0) FROM envelopes WHERE circle_id=?")) {
			sum.setString(1, circleId);
			try (ResultSet r = sum.executeQuery()) {
				bytes = r.next() ? r.getLong(1) : 0;
			}
		}
		if (bytes <= maxBytes) {
			return;
		}
		// Walk from the oldest until enough has gone; the rows walked are exactly those deleted.
		long excess = bytes - maxBytes;
		long[] last = null;
		try (PreparedStatement oldest = db.prepareStatement("SELECT created_ts, seq, size FROM envelopes WHERE circle_id=?"
				+ " ORDER BY created_ts, seq")) {
			oldest.setString(1, circleId);
			try (ResultSet r = oldest.executeQuery()) {
				while (excess > 0 && r.next()) {
					excess -= r.getLong(3);
					last = new long[] { r.getLong(1), r.getLong(2) };
				}
			}
		}
		if (last != null) {
			try (PreparedStatement del = db.prepareStatement(
					"DELETE FROM envelopes WHERE circle_id=? AND (created_ts, seq) <= (?, ?)")) {
				del.setString(1, circleId);
				del.setLong(2, last[0]);
				del.setLong(3, last[1]);
				del.executeUpdate();
			}
		}
	}

	private void deleteUpTo(String circleId, PreparedStatement cut) throws SQLException {
		long ts;
		long seq;
		try (ResultSet r = cut.executeQuery()) {
			if (!r.next()) {
				return;
			}
			ts = r.getLong(1);
			seq = r.getLong(2);
		}
		try (PreparedStatement del = db.prepareStatement(
				"DELETE FROM envelopes WHERE circle_id=? AND (created_ts, seq) <= (?, ?)")) {
			del.setString(1, circleId);
			del.setLong(2, ts);
			del.setLong(3, seq);
			del.executeUpdate();
		}
	}

	/**
	 * Envelopes with {@code created_ts > since} (the reference anchor's filter), oldest {@code created_ts} first, ties
	 * in arrival order, so that a caller who cuts the list can move its cursor without skipping any.
	 */
	@Override
	public synchronized List<ChatMessage> pull(String circleId, long since, int limit) {
		if (circleId == null || limit <= 0) {
			return List.of();
		}
		try (PreparedStatement ps = db.prepareStatement("SELECT msg_id, channel_id, author_node_id, created_ts, enc_alg,"
				+ " enc_key_id, enc_nonce, enc_ciphertext FROM envelopes WHERE circle_id=? AND created_ts > ?"
				+ " ORDER BY created_ts, seq LIMIT ?")) {
			ps.setString(1, circleId);
			ps.setLong(2, since);
			ps.setInt(3, limit);
			List<ChatMessage> out = new ArrayList<>();
			try (ResultSet r = ps.executeQuery()) {
				while (r.next()) {
					out.add(new ChatMessage(r.getString(1), circleId, r.getString(2), r.getString(3), r.getLong(4), "",
							"", "", 2, new Envelope(r.getString(5), r.getString(6), r.getString(7), r.getString(8))));
				}
			}
			db.commit();
			return out;
		} catch (SQLException e) {
			rollback();
			throw new StoreException("Cannot read envelopes of circle " + circleId + ": " + e.getMessage(), e);
		}
	}

	/** How many envelopes a circle holds now. */
	public synchronized int size(String circleId) {
		return (int) aggregate("count(*)", circleId);
	}

	/** The summed compact-JSON size of a circle's envelopes. */
	public synchronized long bytes(String circleId) {
		return aggregate("coalesce(sum(size), 0)", circleId);
	}

	private long aggregate(String what, String circleId) {
		try (PreparedStatement ps = db.prepareStatement("SELECT " + what + " FROM envelopes WHERE circle_id=?")) {
			ps.setString(1, circleId);
			try (ResultSet r = ps.executeQuery()) {
				long v = r.next() ? r.getLong(1) : 0;
				db.commit();
				return v;
			}
		} catch (SQLException e) {
			rollback();
			throw new StoreException("Cannot count envelopes of circle " + circleId + ": " + e.getMessage(), e);
		}
	}

	private void rollback() {
		try {
			db.rollback();
		} catch (SQLException ignored) {
			// the connection is gone; the next call reports it
		}
	}

	@Override
	public synchronized void close() {
		try {
			db.close();
		} catch (SQLException e) {
			throw new StoreException("Cannot close the anchor store: " + e.getMessage(), e);
		}
	}
}
