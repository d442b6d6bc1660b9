package org.felund.store.sqlite.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.felund.api.model.ChatMessage;
import org.felund.api.model.Delivery;
import org.felund.api.model.Envelope;
import org.felund.api.store.MessageStore;
import org.felund.api.store.RetentionPolicy;
import org.felund.api.store.StoreException;
import org.felund.api.store.SyncKey;
import org.felund.store.sqlite.internal.Database.Session;

/**
 * Messages as encrypted envelopes in the {@code messages} table. Every query is a range scan of one of the
 * three indexes (by channel, by time, by insertion sequence), so costs grow with the rows returned, not with
 * the rows stored. Order by (created_ts, msg_id) uses SQLite's binary text order, which equals
 * {@link SyncKey#compareTo} for the reference's hex ids.
 */
public final class SqliteMessageStore implements MessageStore {
	private static final String COLUMNS = "seq, circle_id, msg_id, channel_id, author_node_id, created_ts, mac,"
			+ " schema_version, enc_alg, enc_key_id, enc_nonce, enc_ciphertext";
	private static final String INSERT = "INSERT INTO messages(circle_id, msg_id, channel_id, author_node_id,"
			+ " created_ts, mac, schema_version, enc_alg, enc_key_id, enc_nonce, enc_ciphertext)"
			+ " VALUES(?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(circle_id, msg_id) DO NOTHING";
	private static final String BY_ID = "SELECT " + COLUMNS + " FROM messages WHERE circle_id=? AND msg_id=?";
	private static final String ORDER_DESC = " ORDER BY created_ts DESC, msg_id DESC LIMIT ?";
	private static final int IN_CHUNK = 500;

	/** A channel's order: created_ts, then the order stored here (seq), never the random msg_id. */
	private static final String STORED_ORDER_DESC = " ORDER BY created_ts DESC, seq DESC LIMIT ?";

	// Package-visible so a test can check with EXPLAIN QUERY PLAN that each one is an index range.
	static final String HISTORY_NEWEST = "SELECT " + COLUMNS + " FROM messages WHERE circle_id=? AND channel_id=?"
			+ STORED_ORDER_DESC;
	// The page cursor is the oldest message shown (created_ts, msg_id): its seq is looked up here, and a cursor
	// whose message is gone (pruned) pages from the end of its second.
	static final String HISTORY_BEFORE = "SELECT " + COLUMNS + " FROM messages WHERE circle_id=? AND channel_id=?"
			+ " AND (created_ts, seq) < (?, coalesce((SELECT b.seq FROM messages b WHERE b.circle_id=? AND"
			+ " b.msg_id=?), 9223372036854775807))" + STORED_ORDER_DESC;
	static final String RECENT_ALL = "SELECT " + COLUMNS + " FROM messages WHERE circle_id=?" + ORDER_DESC;
	static final String RECENT_CHAT = "SELECT " + COLUMNS + " FROM messages WHERE circle_id=? AND channel_id <> '"
			+ ChatMessage.CONTROL + "'" + ORDER_DESC;
	// "+circle_id" keeps the planner on the rowid range: the rows since a recent cursor are few.
	static final String SINCE = "SELECT " + COLUMNS + " FROM messages WHERE +circle_id=? AND seq > ? ORDER BY seq"
			+ " LIMIT ?";
	static final String PRUNE_AGE = "DELETE FROM messages WHERE circle_id=? AND created_ts < ?";
	static final String PRUNE_CHANNEL_AGE = "DELETE FROM messages WHERE circle_id=? AND channel_id=? AND created_ts < ?";
	static final String CHANNEL_CUT = "SELECT created_ts, seq FROM messages WHERE circle_id=? AND channel_id=?"
			+ " ORDER BY created_ts DESC, seq DESC LIMIT 1 OFFSET ?";
	static final String PRUNE_CHANNEL = "DELETE FROM messages WHERE circle_id=? AND channel_id=?"
			+ " AND (created_ts, seq) <= (?, ?)";
	static final String CIRCLE_CUT = "SELECT created_ts, msg_id FROM messages WHERE circle_id=?"
			+ " ORDER BY created_ts DESC, msg_id DESC LIMIT 1 OFFSET ?";
	static final String PRUNE_CIRCLE = "DELETE FROM messages WHERE circle_id=? AND (created_ts, msg_id) <= (?, ?)";

	static String keysSql(SyncKey from, SyncKey to) {
		return "SELECT created_ts, msg_id FROM messages WHERE circle_id=?" + range(from, to)
				+ " ORDER BY created_ts, msg_id LIMIT ?";
	}

	static String countSql(SyncKey from, SyncKey to) {
		return "SELECT count(*) FROM messages WHERE circle_id=?" + range(from, to);
	}

	private final Database db;

	public SqliteMessageStore(Database db) {
		this.db = db;
	}

	@Override
	public boolean put(ChatMessage atRest) {
		requireAtRest(atRest);
		return db.write("storing message " + atRest.msgId(), s -> insert(s, atRest));
	}

	@Override
	public List<ChatMessage> putAll(Collection<ChatMessage> atRest) {
		Objects.requireNonNull(atRest, "messages");
		if (atRest.isEmpty()) {
			return List.of();
		}
		atRest.forEach(SqliteMessageStore::requireAtRest); // all valid, or nothing is stored
		return db.transaction("storing " + atRest.size() + " messages", s -> {
			List<ChatMessage> added = new ArrayList<>();
			for (ChatMessage m : atRest) {
				if (insert(s, m)) {
					added.add(m);
				}
			}
			return added;
		});
	}

	private static boolean insert(Session s, ChatMessage m) throws SQLException {
		PreparedStatement ps = s.prepare(INSERT);
		ps.setString(1, m.circleId());
		ps.setString(2, m.msgId());
		ps.setString(3, m.channelId());
		ps.setString(4, m.authorNodeId());
		ps.setLong(5, m.createdTs());
		ps.setString(6, m.mac());
		ps.setInt(7, m.schemaVersion());
		ps.setString(8, m.enc().alg());
		ps.setString(9, m.enc().keyId());
		ps.setString(10, m.enc().nonce());
		ps.setString(11, m.enc().ciphertext());
		return ps.executeUpdate() == 1;
	}

	/**
	 * What may be stored: a complete header and an {@code enc} envelope of valid base64, and no plaintext.
	 *
	 * @throws IllegalArgumentException naming the message and what is wrong with it
	 */
	static void requireAtRest(ChatMessage m) {
		Objects.requireNonNull(m, "message");
		String problem = headerProblem(m.msgId(), m.circleId(), m.channelId(), m.authorNodeId());
		if (problem == null && m.enc() == null) {
			problem = "it has no enc envelope; the store keeps ciphertext only, so encrypt it first";
		}
		if (problem == null && (!m.text().isEmpty() || !m.displayName().isEmpty())) {
			problem = "it carries plaintext (text or display_name); store message.ciphertextOnly()";
		}
		if (problem == null) {
			problem = envelopeProblem(m.enc());
		}
		if (problem != null) {
			throw new IllegalArgumentException("Cannot store message " + m.msgId() + " of circle " + m.circleId()
					+ ": " + problem);
		}
	}

	private static String headerProblem(String msgId, String circleId, String channelId, String author) {
		if (msgId == null || msgId.isEmpty()) {
			return "msg_id is empty";
		}
		if (circleId == null || circleId.isEmpty()) {
			return "circle_id is empty";
		}
		if (channelId == null || channelId.isEmpty()) {
			return "channel_id is empty";
		}
		if (author == null || author.isEmpty()) {
			return "author_node_id is empty";
		}
		return null;
	}

	private static String envelopeProblem(Envelope enc) {
		if (!isBase64(enc.nonce())) {
			return "enc.nonce is not non-empty standard base64";
		}
		if (!isBase64(enc.ciphertext())) {
			return "enc.ciphertext is not non-empty standard base64";
		}
		return null;
	}

	private static boolean isBase64(String s) {
		if (s == null || s.isEmpty()) {
			return false;
		}
		try {
			Base64.getDecoder().decode(s);
			return true;
		} catch (IllegalArgumentException e) {
			return false;
		}
	}

	@Override
	public boolean contains(String circleId, String msgId) {
		return db.read("looking up message " + msgId, s -> {
			PreparedStatement ps = s.prepare("SELECT 1 FROM messages WHERE circle_id=? AND msg_id=?");
			ps.setString(1, circleId);
			ps.setString(2, msgId);
			try (ResultSet rs = ps.executeQuery()) {
				return rs.next();
			}
		});
	}

	@Override
	public Optional<ChatMessage> get(String circleId, String msgId) {
		return db.read("reading message " + msgId, s -> {
			PreparedStatement ps = s.prepare(BY_ID);
			ps.setString(1, circleId);
			ps.setString(2, msgId);
			try (ResultSet rs = ps.executeQuery()) {
				return rs.next() ? Optional.of(row(rs).message()) : Optional.<ChatMessage>empty();
			}
		});
	}

	@Override
	public List<ChatMessage> get(String circleId, List<String> msgIds) {
		if (msgIds.isEmpty()) {
			return List.of();
		}
		Map<String, ChatMessage> found = db.read("reading " + msgIds.size() + " messages", s -> {
			Map<String, ChatMessage> byId = new HashMap<>();
			for (int from = 0; from < msgIds.size(); from += IN_CHUNK) {
				List<String> chunk = msgIds.subList(from, Math.min(msgIds.size(), from + IN_CHUNK));
				String sql = "SELECT " + COLUMNS + " FROM messages WHERE circle_id=? AND msg_id IN ("
						+ String.join(",", Collections.nCopies(chunk.size(), "?")) + ")";
				try (PreparedStatement ps = s.prepareOnce(sql)) {
					ps.setString(1, circleId);
					for (int i = 0; i < chunk.size(); i++) {
						ps.setString(i + 2, chunk.get(i));
					}
					try (ResultSet rs = ps.executeQuery()) {
						while (rs.next()) {
							ChatMessage m = row(rs).message();
							byId.put(m.msgId(), m);
						}
					}
				}
			}
			return byId;
		});
		List<ChatMessage> out = new ArrayList<>(found.size());
		for (String id : msgIds) {
			ChatMessage m = found.remove(id); // remove: an id asked for twice is returned once
			if (m != null) {
				out.add(m);
			}
		}
		return out;
	}

	@Override
	public List<String> messageIds(String circleId) {
		return db.read("listing message ids", s -> {
			PreparedStatement ps = s.prepare("SELECT msg_id FROM messages WHERE circle_id=? ORDER BY msg_id");
			ps.setString(1, circleId);
			List<String> ids = new ArrayList<>();
			try (ResultSet rs = ps.executeQuery()) {
				while (rs.next()) {
					ids.add(rs.getString(1));
				}
			}
			return ids;
		});
	}

	@Override
	public List<ChatMessage> history(String circleId, String channelId, SyncKey before, int limit) {
		requireLimit(limit);
		return db.read("reading the history of " + circleId + "/" + channelId, s -> {
			PreparedStatement ps;
			if (before == null) {
				ps = s.prepare(HISTORY_NEWEST);
				ps.setString(1, circleId);
				ps.setString(2, channelId);
				ps.setInt(3, limit);
			} else {
				ps = s.prepare(HISTORY_BEFORE);
				ps.setString(1, circleId);
				ps.setString(2, channelId);
				ps.setLong(3, before.createdTs());
				ps.setString(4, circleId);
				ps.setString(5, before.msgId());
				ps.setInt(6, limit);
			}
			return messages(ps);
		});
	}

	@Override
	public List<ChatMessage> recent(String circleId, boolean includeControl, int limit) {
		requireLimit(limit);
		return db.read("reading recent messages of " + circleId, s -> {
			PreparedStatement ps = s.prepare(includeControl ? RECENT_ALL : RECENT_CHAT);
			ps.setString(1, circleId);
			ps.setInt(2, limit);
			return messages(ps);
		});
	}

	@Override
	public List<SyncKey> keys(String circleId, SyncKey from, SyncKey to, int limit) {
		requireLimit(limit);
		return db.read("listing sync keys of " + circleId, s -> {
			PreparedStatement ps = s.prepare(keysSql(from, to));
			int i = bindRange(ps, circleId, from, to);
			ps.setInt(i, limit);
			List<SyncKey> keys = new ArrayList<>();
			try (ResultSet rs = ps.executeQuery()) {
				while (rs.next()) {
					keys.add(new SyncKey(rs.getLong(1), rs.getString(2)));
				}
			}
			return keys;
		});
	}

	@Override
	public long count(String circleId, SyncKey from, SyncKey to) {
		return db.read("counting messages of " + circleId, s -> {
			PreparedStatement ps = s.prepare(countSql(from, to));
			bindRange(ps, circleId, from, to);
			try (ResultSet rs = ps.executeQuery()) {
				return rs.next() ? rs.getLong(1) : 0L;
			}
		});
	}

	private static String range(SyncKey from, SyncKey to) {
		return (from == null ? "" : " AND (created_ts, msg_id) >= (?, ?)")
				+ (to == null ? "" : " AND (created_ts, msg_id) < (?, ?)");
	}

	/** Binds circle id and the non-null bounds; returns the next parameter index. */
	private static int bindRange(PreparedStatement ps, String circleId, SyncKey from, SyncKey to) throws SQLException {
		int i = 1;
		ps.setString(i++, circleId);
		for (SyncKey k : new SyncKey[] { from, to }) {
			if (k != null) {
				ps.setLong(i++, k.createdTs());
				ps.setString(i++, k.msgId());
			}
		}
		return i;
	}

	@Override
	public void deleteCircle(String circleId) {
		db.transaction("deleting the messages of circle " + circleId, s -> {
			PreparedStatement ps = s.prepare("DELETE FROM messages WHERE circle_id=?");
			ps.setString(1, circleId);
			int n = ps.executeUpdate();
			PreparedStatement d = s.prepare("DELETE FROM deliveries WHERE circle_id=?");
			d.setString(1, circleId);
			d.executeUpdate();
			return n;
		});
	}

	@Override
	public boolean recordDelivery(String circleId, String msgId, Delivery.Hop hop) {
		Objects.requireNonNull(hop, "hop");
		if (circleId == null || circleId.isEmpty() || msgId == null || msgId.isEmpty()) {
			throw new IllegalArgumentException("A delivery needs a circle and a message id");
		}
		return db.write("recording a delivery of " + msgId, s -> {
			PreparedStatement ps = s.prepare("INSERT INTO deliveries(circle_id, msg_id, transport_id, peer, route, ts)"
					+ " VALUES(?,?,?,?,?,?) ON CONFLICT DO NOTHING");
			ps.setString(1, circleId);
			ps.setString(2, msgId);
			ps.setString(3, hop.transportId());
			ps.setString(4, hop.peer());
			ps.setString(5, hop.route().name());
			ps.setLong(6, hop.ts());
			return ps.executeUpdate() == 1;
		});
	}

	@Override
	public Map<String, List<Delivery.Hop>> deliveries(String circleId, Collection<String> msgIds) {
		if (circleId == null || msgIds == null || msgIds.isEmpty()) {
			return Map.of();
		}
		List<String> ids = List.copyOf(new java.util.LinkedHashSet<>(msgIds));
		return db.read("reading deliveries", s -> {
			Map<String, List<Delivery.Hop>> out = new java.util.LinkedHashMap<>();
			for (int from = 0; from < ids.size(); from += IN_CHUNK) {
				List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IN_CHUNK));
				try (PreparedStatement ps = s.prepareOnce("SELECT msg_id, transport_id, peer, route, ts FROM deliveries"
						+ " WHERE circle_id=? AND msg_id IN (" + "?,".repeat(chunk.size() - 1) + "?) ORDER BY ts, rowid")) {
				ps.setString(1, circleId);
				for (int i = 0; i < chunk.size(); i++) {
					ps.setString(i + 2, chunk.get(i));
				}
				try (ResultSet r = ps.executeQuery()) {
					while (r.next()) {
						Delivery.Route route;
						try {
							route = Delivery.Route.valueOf(r.getString(4));
						} catch (IllegalArgumentException e) {
							continue; // a route a newer version wrote
						}
						out.computeIfAbsent(r.getString(1), k -> new ArrayList<>())
								.add(new Delivery.Hop(r.getString(2), r.getString(3), route, r.getLong(5)));
					}
				}
				}
			}
			return out;
		});
	}

	/**
	 * Per circle, in one short transaction each (so a running node and a CLI never wait long for each other):
	 * first messages older than the age limit, then per-channel caps, then the per-circle cap, each removing the
	 * oldest by (created_ts, msg_id). Every DELETE is a range of an index, bounded by the first key to keep.
	 */
	@Override
	public int prune(RetentionPolicy policy, long nowSeconds) {
		Objects.requireNonNull(policy, "policy");
		if (policy.keepsAll()) {
			return 0;
		}
		int deleted = 0;
		for (String circleId : circleIds()) {
			deleted += db.transaction("pruning circle " + circleId, s -> pruneCircle(s, circleId, policy, nowSeconds));
		}
		return deleted;
	}

	@Override
	public int prune(String circleId, RetentionPolicy policy, long nowSeconds) {
		Objects.requireNonNull(circleId, "circleId");
		Objects.requireNonNull(policy, "policy");
		if (policy.keepsAll()) {
			return 0;
		}
		return db.transaction("pruning circle " + circleId, s -> pruneCircle(s, circleId, policy, nowSeconds));
	}

	private static int pruneCircle(Session s, String circleId, RetentionPolicy policy, long now) throws SQLException {
		int deleted = 0;
		if (policy.maxAgeSeconds() > 0) {
			PreparedStatement ps = s.prepare(PRUNE_AGE);
			ps.setString(1, circleId);
			ps.setLong(2, now - policy.maxAgeSeconds());
			deleted += ps.executeUpdate();
		}
		for (Map.Entry<String, Long> age : policy.maxAgePerChannel().entrySet()) {
			if (age.getValue() == 0) {
				continue;
			}
			PreparedStatement ps = s.prepare(PRUNE_CHANNEL_AGE);
			ps.setString(1, circleId);
			ps.setString(2, age.getKey());
			ps.setLong(3, now - age.getValue());
			deleted += ps.executeUpdate();
		}
		for (Map.Entry<String, Integer> cap : policy.maxPerChannel().entrySet()) {
			if (cap.getValue() == 0) {
				continue; // 0 = no cap, as for the per-circle limit
			}
			PreparedStatement ps = s.prepare(CHANNEL_CUT);
			ps.setString(1, circleId);
			ps.setString(2, cap.getKey());
			ps.setInt(3, cap.getValue());
			long[] newestToDrop = null;
			try (ResultSet r = ps.executeQuery()) {
				if (r.next()) {
					newestToDrop = new long[] { r.getLong(1), r.getLong(2) };
				}
			}
			if (newestToDrop != null) {
				PreparedStatement del = s.prepare(PRUNE_CHANNEL);
				del.setString(1, circleId);
				del.setString(2, cap.getKey());
				del.setLong(3, newestToDrop[0]);
				del.setLong(4, newestToDrop[1]);
				deleted += del.executeUpdate();
			}
		}
		if (policy.maxPerCircle() > 0) {
			PreparedStatement ps = s.prepare(CIRCLE_CUT);
			ps.setString(1, circleId);
			ps.setInt(2, policy.maxPerCircle());
			SyncKey newestToDrop = firstKey(ps);
			if (newestToDrop != null) {
				PreparedStatement del = s.prepare(PRUNE_CIRCLE);
				del.setString(1, circleId);
				del.setLong(2, newestToDrop.createdTs());
				del.setString(3, newestToDrop.msgId());
				deleted += del.executeUpdate();
			}
		}
		if (deleted > 0) {
			PreparedStatement orphans = s.prepare("DELETE FROM deliveries WHERE circle_id=? AND NOT EXISTS"
					+ " (SELECT 1 FROM messages m WHERE m.circle_id=deliveries.circle_id AND m.msg_id=deliveries.msg_id)");
			orphans.setString(1, circleId);
			orphans.executeUpdate();
		}
		return deleted;
	}

	private static SyncKey firstKey(PreparedStatement ps) throws SQLException {
		try (ResultSet rs = ps.executeQuery()) {
			return rs.next() ? new SyncKey(rs.getLong(1), rs.getString(2)) : null;
		}
	}

	/** Distinct circle ids by skipping through the unique index (one seek per circle, not a scan of all rows). */
	private List<String> circleIds() {
		return db.read("listing circles with messages", s -> s.queryStrings("""
				WITH RECURSIVE c(id) AS (
				  SELECT min(circle_id) FROM messages
				  UNION ALL
				  SELECT (SELECT min(circle_id) FROM messages WHERE circle_id > c.id) FROM c WHERE c.id IS NOT NULL)
				SELECT id FROM c WHERE id IS NOT NULL"""));
	}

	@Override
	public List<StoredMessage> since(String circleId, long afterSeq, int limit) {
		requireLimit(limit);
		return db.read("reading the change feed of " + circleId, s -> {
			PreparedStatement ps = s.prepare(SINCE);
			ps.setString(1, circleId);
			ps.setLong(2, afterSeq);
			ps.setInt(3, limit);
			List<StoredMessage> out = new ArrayList<>();
			try (ResultSet rs = ps.executeQuery()) {
				while (rs.next()) {
					out.add(row(rs));
				}
			}
			return out;
		});
	}

	/** The highest sequence ever assigned (kept by AUTOINCREMENT even after that row is pruned). */
	@Override
	public long lastSeq() {
		return db.read("reading the last sequence number",
				s -> s.queryLong("SELECT seq FROM sqlite_sequence WHERE name='messages'"));
	}

	private static List<ChatMessage> messages(PreparedStatement ps) throws SQLException {
		List<ChatMessage> out = new ArrayList<>();
		try (ResultSet rs = ps.executeQuery()) {
			while (rs.next()) {
				out.add(row(rs).message());
			}
		}
		return out;
	}

	/** Decodes one row of {@link #COLUMNS}; a row that could never have been stored is reported by name. */
	private static StoredMessage row(ResultSet rs) throws SQLException {
		long seq = rs.getLong(1);
		String circleId = rs.getString(2);
		String msgId = rs.getString(3);
		String channelId = rs.getString(4);
		String author = rs.getString(5);
		long createdTs = rs.getLong(6);
		String mac = rs.getString(7);
		long schema = rs.getLong(8); // read whole: getInt would silently cut a damaged value to some other int
		String alg = rs.getString(9);
		String keyId = rs.getString(10);
		String nonce = rs.getString(11);
		String ciphertext = rs.getString(12);
		String problem = headerProblem(msgId, circleId, channelId, author);
		if (problem == null && (alg == null || keyId == null || nonce == null || ciphertext == null || mac == null)) {
			problem = "a column is NULL";
		}
		if (problem == null && (schema < Integer.MIN_VALUE || schema > Integer.MAX_VALUE)) {
			problem = "schema_version " + schema + " is out of range";
		}
		Envelope enc = null;
		if (problem == null) {
			enc = new Envelope(alg, keyId, nonce, ciphertext);
			problem = envelopeProblem(enc);
		}
		if (problem != null) {
			throw new StoreException("Malformed stored message (seq " + seq + ", circle " + circleId + ", msg_id "
					+ msgId + "): " + problem + ". The row was left as it is.");
		}
		return new StoredMessage(seq,
				new ChatMessage(msgId, circleId, channelId, author, createdTs, "", "", mac, (int) schema, enc));
	}

	private static void requireLimit(int limit) {
		if (limit < 0) {
			throw new IllegalArgumentException("A limit must not be negative, got " + limit);
		}
	}
}
