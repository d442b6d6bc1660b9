package org.felund.relay.server.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The relay's storage in a shared PostgreSQL database: any number of relay instances may use one database at
 * the same time, and everything they share lives there (messages, presence, signing keys, nonces, signals and
 * the signal rate limit). Replication and failover are PostgreSQL's business, not the relay's.
 *
 * <p>Writes of one instance share transactions on its one write connection ({@link GroupCommitter}); reads use
 * a small pool ({@link PostgresConnections}). Message seqs and signal ids come from clock rows locked until
 * commit (see {@link PostgresSchema}), so they grow in commit order across the cluster. Every message commit
 * sends {@code NOTIFY felund_messages}; {@link PostgresMessageFeed} on every instance then reads the new rows
 * and pushes them to that instance's WebSocket subscribers.
 */
public final class PostgresRelayStore implements RelayStore {
	static final String MESSAGES_CHANNEL = "felund_messages";
	/** The key-value table (schema version, last prune, the relay's id), named apart from other tables in a shared database. */
	private static final String META_TABLE = "relay_meta";
	private static final Object PENDING_INSERT = new Object();
	private static final Object SIGNAL_CLOCK = new Object();

	private final PostgresConnections connections;
	private final GroupCommitter commits;
	private final PostgresMessageFeed feed;
	private volatile boolean closed;

	/** The clock row as locked by one transaction. */
	private static final class Clock {
		long last;
	}

	private PostgresRelayStore(PostgresConnections connections, long deliveredSeq) {
		this.connections = connections;
		this.commits = new GroupCommitter("felund-relay-pg-writer", new WriterConnection(connections), () -> {
		});
		this.feed = new PostgresMessageFeed(connections, deliveredSeq);
	}

	/**
	 * Connects, migrates the schema and prepares the writer; the listener starts with {@link #startDelivery}.
	 *
	 * @param poolSize read connections (the writer and the listener have one each)
	 */
	public static PostgresRelayStore open(String url, int poolSize) throws SQLException {
		PostgresConnections connections = new PostgresConnections(PostgresUrl.parse(url), Math.max(2, poolSize));
		long high;
		try (Connection c = connections.open()) {
			PostgresSchema.migrate(c);
			high = messageHigh(c);
		} catch (SQLException e) {
			connections.close();
			throw e;
		}
		return new PostgresRelayStore(connections, high);
	}

	/** The URL without its password. */
	public static String describe(String url) {
		try {
			return PostgresUrl.parse(url).display();
		} catch (IllegalArgumentException e) {
			return "(unparseable PostgreSQL URL)";
		}
	}

	static long messageHigh(Connection c) throws SQLException {
		try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT seq FROM message_clock WHERE id = 1")) {
			if (!rs.next()) {
				throw new SQLException("message_clock has no row: the relay schema is damaged");
			}
			return rs.getLong(1);
		}
	}

	@Override
	public String backend() {
		return "postgresql";
	}

	/** Returns once the feed listens (or after a few seconds, when it is still connecting: it catches up then). */
	@Override
	public void startDelivery(MessageListener listener) {
		feed.start(listener);
		feed.awaitListening(10_000);
	}

	// ---------------------------------------------------------------- messages

	/**
	 * Queues the messages into the transaction's one insert: every post of a group commit adds its rows, and just
	 * before the commit one statement advances the message clock, inserts all rows with their seqs (skipping
	 * duplicates) and notifies the other instances. A batch of posts costs two round trips (that statement and
	 * the commit), however many posts it holds.
	 */
	@Override
	public CompletableFuture<Inserted> insertMessages(String circleHint, String senderNodeId, List<NewMessage> messages,
			long now, CircleQuota quota, java.util.concurrent.Executor completeOn) {
		if (messages.isEmpty()) {
			return CompletableFuture.completedFuture(Inserted.NOTHING);
		}
		return commits.submit((c, tx) -> {
			PendingInsert insert = tx.state(PENDING_INSERT);
			if (insert == null) {
				PendingInsert created = new PendingInsert();
				tx.state(PENDING_INSERT, created);
				tx.beforeCommit(created::run);
				insert = created;
			}
			PendingInsert.Post post = new PendingInsert.Post(circleHint, senderNodeId, messages, quota);
			insert.add(post, now);
			// Filled in by the insert just before the commit; read by the caller only after the commit.
			return post;
		}, completeOn).thenApply(PendingInsert.Post::outcome);
	}

	/**
	 * All messages of one transaction, inserted by one statement. Before it, one read of the circles' usage decides
	 * which posts fit their quota (posts in order; a post that does not fit stores nothing); the statement itself
	 * adds what it inserted to the usage. Several instances may each let one batch pass a quota at the same moment,
	 * so a circle may exceed its quota by that much.
	 */
	private static final class PendingInsert {
		static final class Post {
			final String circleHint;
			final String sender;
			final List<NewMessage> messages;
			final CircleQuota quota;
			final List<StoredMessage> inserted;
			boolean overQuota;

			Post(String circleHint, String sender, List<NewMessage> messages, CircleQuota quota) {
				this.circleHint = circleHint;
				this.sender = sender;
				this.messages = messages;
				this.quota = quota;
				this.inserted = new ArrayList<>(messages.size());
			}

			Inserted outcome() {
				return new Inserted(inserted, overQuota);
			}
		}

		private final List<Post> posts = new ArrayList<>();
		private long now;

		void add(Post post, long postNow) {
			posts.add(post);
			now = Math.max(now, postNow);
		}

		void run(Connection c) throws SQLException {
			applyQuotas(c);
			int rows = 0;
			for (Post p : posts) {
				rows += p.overQuota ? 0 : p.messages.size();
			}
			if (rows == 0) {
				return;
			}
			String[] hints = new String[rows];
			String[] ids = new String[rows];
			Long[] created = new Long[rows];
			String[] senders = new String[rows];
			String[] payloads = new String[rows];
			int i = 0;
			for (Post p : posts) {
				if (p.overQuota) {
					continue;
				}
				for (NewMessage m : p.messages) {
					hints[i] = p.circleHint;
					ids[i] = m.msgId();
					created[i] = m.createdTs();
					senders[i] = p.sender;
					payloads[i] = m.payload();
					i++;
				}
			}
			// Row i (1-based ordinality) gets seq base + i; stored_at never goes backwards. Locking the clock row
			// here, just before the commit, keeps it locked as briefly as possible. The circles' usage rows are
			// changed in hint order (the prune locks them in the same order).
			try (PreparedStatement ps = c.prepareStatement("""
					WITH clock AS (
					  UPDATE message_clock SET seq = seq + ?, stored_at = GREATEST(stored_at, ?) WHERE id = 1
					  RETURNING seq - ? AS base, stored_at),
					ins AS (
					  INSERT INTO messages (seq, circle_hint, msg_id, stored_at, created_ts, sender_node, payload)
					  SELECT clock.base + r.ord, r.hint, r.msg_id, clock.stored_at, r.created_ts, r.sender, r.payload
					  FROM clock, unnest(?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[])
					    WITH ORDINALITY AS r(hint, msg_id, created_ts, sender, payload, ord)
					  ON CONFLICT (circle_hint, msg_id) DO NOTHING
					  RETURNING seq, circle_hint, octet_length(payload) AS len),
					used AS (
					  INSERT INTO hint_usage AS u (circle_hint, messages, bytes)
					  SELECT circle_hint, count(*), sum(len) FROM ins GROUP BY circle_hint ORDER BY circle_hint
					  ON CONFLICT (circle_hint) DO UPDATE SET messages = u.messages + excluded.messages,
					    bytes = u.bytes + excluded.bytes)
					SELECT clock.base, clock.stored_at, ins.seq, pg_notify(?, '') FROM clock LEFT JOIN ins ON true""")) {
				ps.setInt(1, rows);
				ps.setLong(2, now);
				ps.setInt(3, rows);
				ps.setArray(4, c.createArrayOf("text", hints));
				ps.setArray(5, c.createArrayOf("text", ids));
				ps.setArray(6, c.createArrayOf("bigint", created));
				ps.setArray(7, c.createArrayOf("text", senders));
				ps.setArray(8, c.createArrayOf("text", payloads));
				ps.setString(9, MESSAGES_CHANNEL);
				boolean[] stored = new boolean[rows];
				long base = 0;
				long storedAt = 0;
				try (ResultSet rs = ps.executeQuery()) {
					while (rs.next()) {
						base = rs.getLong(1);
						storedAt = rs.getLong(2);
						long seq = rs.getLong(3);
						if (!rs.wasNull()) {
							stored[(int) (seq - base - 1)] = true;
						}
					}
				}
				int row = 0;
				for (Post p : posts) {
					if (p.overQuota) {
						continue;
					}
					for (NewMessage m : p.messages) {
						if (stored[row]) {
							p.inserted.add(new StoredMessage(base + row + 1, m.msgId(), storedAt, m.payload()));
						}
						row++;
					}
				}
			}
		}

		/** Marks the posts that would take their circle over its quota, in post order. */
		private void applyQuotas(Connection c) throws SQLException {
			java.util.Map<String, long[]> usage = new java.util.HashMap<>();
			for (Post p : posts) {
				usage.putIfAbsent(p.circleHint, new long[2]);
			}
			try (PreparedStatement ps = c.prepareStatement(
					"SELECT circle_hint, messages, bytes FROM hint_usage WHERE circle_hint = ANY(?)")) {
				ps.setArray(1, c.createArrayOf("text", usage.keySet().toArray()));
				try (ResultSet rs = ps.executeQuery()) {
					while (rs.next()) {
						long[] u = usage.get(rs.getString(1));
						u[0] = rs.getLong(2);
						u[1] = rs.getLong(3);
					}
				}
			}
			for (Post p : posts) {
				long[] u = usage.get(p.circleHint);
				long bytes = 0;
				for (NewMessage m : p.messages) {
					bytes += m.payload().length();
				}
				if (u[0] + p.messages.size() > p.quota.messages() || u[1] + bytes > p.quota.bytes()) {
					p.overQuota = true;
				} else {
					u[0] += p.messages.size();
					u[1] += bytes;
				}
			}
		}
	}

	@Override
	public CircleUsage usage(String circleHint) throws SQLException {
		return connections.read(c -> {
			try (PreparedStatement ps = c.prepareStatement("SELECT messages, bytes FROM hint_usage WHERE circle_hint = ?")) {
				ps.setString(1, circleHint);
				try (ResultSet rs = ps.executeQuery()) {
					return rs.next() ? new CircleUsage(rs.getLong(1), rs.getLong(2)) : new CircleUsage(0, 0);
				}
			}
		});
	}

	/**
	 * A page cut by rows or bytes in the database: a running sum of the payload sizes decides which rows are sent
	 * with their payload; the driver never holds more than the page (plus one row without payload that says the
	 * page was cut).
	 */
	@Override
	public MessagePage readMessages(String circleHint, long afterSeq, long afterStoredAt, int limit, long validAfter,
			long maxBytes) throws SQLException {
		return connections.read(c -> {
			// The clock first: every row at or below it has committed (it is written in the same transaction).
			long high = messageHigh(c);
			long after = afterStoredAt >= 0 ? RelayRows.firstSeqStoredAfter(c, afterStoredAt) - 1 : afterSeq;
			List<StoredMessage> rows = new ArrayList<>();
			boolean cut = false;
			try (PreparedStatement ps = c.prepareStatement("""
					SELECT seq, msg_id, stored_at, CASE WHEN upto - len < ? THEN payload END FROM (
					  SELECT seq, msg_id, stored_at, payload, octet_length(payload) AS len,
					    sum(octet_length(payload)) OVER (ORDER BY seq ROWS UNBOUNDED PRECEDING) AS upto
					  FROM messages
					  WHERE circle_hint = ? AND seq > ? AND seq <= ? AND stored_at > ?
					  ORDER BY seq LIMIT ?) page
					ORDER BY seq""")) {
				ps.setLong(1, maxBytes);
				ps.setString(2, circleHint);
				ps.setLong(3, after);
				ps.setLong(4, high);
				ps.setLong(5, validAfter);
				ps.setInt(6, limit + 1);
				try (ResultSet rs = ps.executeQuery()) {
					while (rs.next()) {
						// The query leaves out the payload of the first row beyond the page's bytes.
						StoredMessage m = RelayRows.message(rs);
						if (rows.size() == limit || m.payload() == null) {
							cut = true;
							break;
						}
						rows.add(m);
					}
				}
			}
			if (cut) {
				return new MessagePage(rows, rows.get(rows.size() - 1).seq(), true);
			}
			return new MessagePage(rows, high, false);
		});
	}

	@Override
	public MessagePage recentMessages(String circleHint, long storedAfter, long validAfter, int limit, long maxBytes)
			throws SQLException {
		return connections.read(c -> {
			long high = messageHigh(c);
			List<StoredMessage> rows;
			try (PreparedStatement ps = c.prepareStatement("""
					SELECT seq, msg_id, stored_at, payload FROM (
					  SELECT seq, msg_id, stored_at, payload, octet_length(payload) AS len,
					    sum(octet_length(payload)) OVER (ORDER BY seq DESC ROWS UNBOUNDED PRECEDING) AS upto
					  FROM messages
					  WHERE circle_hint = ? AND stored_at > ? AND seq <= ?
					  ORDER BY seq DESC LIMIT ?) recent
					WHERE upto - len < ? ORDER BY seq DESC""")) {
				ps.setString(1, circleHint);
				ps.setLong(2, Math.max(storedAfter, validAfter));
				ps.setLong(3, high);
				ps.setInt(4, limit);
				ps.setLong(5, maxBytes);
				rows = RelayRows.all(ps, RelayRows::message);
			}
			List<StoredMessage> ascending = new ArrayList<>(rows);
			Collections.reverse(ascending);
			return new MessagePage(ascending, high, false);
		});
	}

	// ---------------------------------------------------------------- presence

	@Override
	public void upsertPresence(Presence p) throws SQLException {
		commits.call((c, tx) -> {
			try (PreparedStatement ps = c.prepareStatement("""
					INSERT INTO presence (circle_hint, node_id, endpoints, capabilities, observed_at, expires_at)
					VALUES (?, ?, ?, ?, ?, ?)
					ON CONFLICT (circle_hint, node_id) DO UPDATE SET endpoints = excluded.endpoints,
					  capabilities = excluded.capabilities, observed_at = excluded.observed_at,
					  expires_at = excluded.expires_at""")) {
				ps.setString(1, p.circleHint());
				ps.setString(2, p.nodeId());
				ps.setString(3, p.endpointsJson());
				ps.setString(4, p.capabilitiesJson());
				ps.setLong(5, p.observedAt());
				ps.setLong(6, p.expiresAt());
				ps.executeUpdate();
			}
			return null;
		});
	}

	@Override
	public boolean deletePresence(String circleHint, String nodeId) throws SQLException {
		return commits.call((c, tx) -> RelayWrites.deletePresence(c, circleHint, nodeId));
	}

	@Override
	public List<Presence> peers(String circleHint, String excludeNodeId, long now, int limit) throws SQLException {
		return connections.read(c -> RelayRows.peers(c, circleHint, excludeNodeId, now, limit));
	}

	@Override
	public int presentCount(String circleHint, List<String> nodeIds, long now) throws SQLException {
		if (nodeIds.isEmpty()) {
			return 0;
		}
		return connections.read(c -> {
			try (PreparedStatement ps = c.prepareStatement("""
					SELECT count(*) FROM presence WHERE circle_hint = ? AND expires_at > ? AND node_id = ANY(?)""")) {
				ps.setString(1, circleHint);
				ps.setLong(2, now);
				ps.setArray(3, c.createArrayOf("text", nodeIds.toArray()));
				try (ResultSet rs = ps.executeQuery()) {
					rs.next();
					return rs.getInt(1);
				}
			}
		});
	}

	@Override
	public boolean presentAnywhere(String nodeId, long now) throws SQLException {
		return connections.read(c -> RelayRows.presentAnywhere(c, nodeId, now));
	}

	// ---------------------------------------------------------------- signing keys and nonces

	@Override
	public Optional<CircleKey> circleKey(String circleHint, long now) throws SQLException {
		return connections.read(c -> RelayRows.circleKey(c, circleHint, now));
	}

	/**
	 * Compare-and-set in one statement: the row lock makes a racing binder on another instance wait and then
	 * re-check the condition, so exactly one of two first registrations wins.
	 */
	@Override
	public boolean bindCircleKey(String circleHint, String expectedCurrent, String signingKey, long now,
			long expiresAt) throws SQLException {
		return commits.call((c, tx) -> {
			String sql;
			if (expectedCurrent == null) {
				// Bind when nothing is bound or the bound key has expired.
				sql = """
						INSERT INTO circle_keys (circle_hint, signing_key, bound_at, expires_at) VALUES (?, ?, ?, ?)
						ON CONFLICT (circle_hint) DO UPDATE SET signing_key = excluded.signing_key,
						  bound_at = excluded.bound_at, expires_at = excluded.expires_at
						WHERE circle_keys.expires_at <= ?""";
				try (PreparedStatement ps = c.prepareStatement(sql)) {
					ps.setString(1, circleHint);
					ps.setString(2, signingKey);
					ps.setLong(3, now);
					ps.setLong(4, expiresAt);
					ps.setLong(5, now);
					return ps.executeUpdate() == 1;
				}
			}
			if (expectedCurrent.equals(signingKey)) {
				sql = """
						UPDATE circle_keys SET expires_at = GREATEST(expires_at, ?)
						WHERE circle_hint = ? AND signing_key = ? AND expires_at > ?""";
				try (PreparedStatement ps = c.prepareStatement(sql)) {
					ps.setLong(1, expiresAt);
					ps.setString(2, circleHint);
					ps.setString(3, signingKey);
					ps.setLong(4, now);
					return ps.executeUpdate() == 1;
				}
			}
			sql = """
					UPDATE circle_keys SET signing_key = ?, bound_at = ?, expires_at = ?
					WHERE circle_hint = ? AND signing_key = ? AND expires_at > ?""";
			try (PreparedStatement ps = c.prepareStatement(sql)) {
				ps.setString(1, signingKey);
				ps.setLong(2, now);
				ps.setLong(3, expiresAt);
				ps.setString(4, circleHint);
				ps.setString(5, expectedCurrent);
				ps.setLong(6, now);
				return ps.executeUpdate() == 1;
			}
		});
	}

	@Override
	public void touchCircleKey(String circleHint, String signingKey, long expiresAt) throws SQLException {
		commits.call((c, tx) -> {
			RelayWrites.touchCircleKey(c, "GREATEST", circleHint, signingKey, expiresAt);
			return null;
		});
	}

	@Override
	public void setCircleKey(String circleHint, String signingKey, long now, long expiresAt) throws SQLException {
		commits.call((c, tx) -> {
			RelayWrites.setCircleKey(c, circleHint, signingKey, now, expiresAt);
			return null;
		});
	}

	@Override
	public boolean replaceStoredKey(String circleHint, String expectedStored, String newStored) throws SQLException {
		return commits.call((c, tx) -> RelayWrites.replaceStoredKey(c, circleHint, expectedStored, newStored));
	}

	@Override
	public boolean deleteCircleKey(String circleHint) throws SQLException {
		return commits.call((c, tx) -> RelayWrites.deleteCircleKey(c, circleHint));
	}

	@Override
	public List<CircleKey> circleKeys() throws SQLException {
		return connections.read(RelayRows::circleKeys);
	}

	@Override
	public String meta(String key) throws SQLException {
		return connections.read(c -> RelayRows.meta(c, META_TABLE, key));
	}

	@Override
	public void putMeta(String key, String value) throws SQLException {
		commits.call((c, tx) -> {
			RelayWrites.putMeta(c, META_TABLE, key, value);
			return null;
		});
	}

	@Override
	public String putMetaIfAbsent(String key, String value) throws SQLException {
		return commits.call((c, tx) -> RelayWrites.putMetaIfAbsent(c, META_TABLE, key, value));
	}

	@Override
	public boolean nonceSeen(String nonce) throws SQLException {
		return connections.read(c -> RelayRows.nonceSeen(c, nonce));
	}

	/** The primary key decides: of two instances recording the same nonce, the second inserts nothing. */
	@Override
	public boolean recordNonce(String nonce, long ts) throws SQLException {
		return commits.call((c, tx) -> {
			try (PreparedStatement ps = c
					.prepareStatement("INSERT INTO nonces (nonce, ts) VALUES (?, ?) ON CONFLICT (nonce) DO NOTHING")) {
				ps.setString(1, nonce);
				ps.setLong(2, ts);
				return ps.executeUpdate() == 1;
			}
		});
	}

	// ---------------------------------------------------------------- signals

	@Override
	public long insertSignal(String circleHint, String sessionId, String fromNode, String toNode, String type,
			String payload, long now, long expiresAt, int mailboxRows, long mailboxBytes) throws SQLException {
		return commits.call((c, tx) -> {
			// Posts from other instances may pass this check at the same moment: the mailbox can exceed its cap by
			// what they post concurrently, never by more.
			try (PreparedStatement ps = c.prepareStatement("""
					SELECT count(*), coalesce(sum(octet_length(payload)), 0) FROM signals WHERE to_node = ? AND expires_at > ?""")) {
				ps.setString(1, toNode);
				ps.setLong(2, now);
				try (ResultSet rs = ps.executeQuery()) {
					rs.next();
					if (rs.getLong(1) >= mailboxRows || rs.getLong(2) + payload.length() > mailboxBytes) {
						return MAILBOX_FULL;
					}
				}
			}
			Clock clock = signalClock(c, tx);
			long id = ++clock.last;
			try (PreparedStatement ps = c.prepareStatement("""
					INSERT INTO signals (id, circle_hint, session_id, from_node, to_node, type, payload, created_at, expires_at)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
				ps.setLong(1, id);
				ps.setString(2, circleHint);
				ps.setString(3, sessionId);
				ps.setString(4, fromNode);
				ps.setString(5, toNode);
				ps.setString(6, type);
				ps.setString(7, payload);
				ps.setLong(8, now);
				ps.setLong(9, expiresAt);
				ps.executeUpdate();
			}
			return id;
		});
	}

	private static Clock signalClock(Connection c, GroupCommitter.Transaction tx) throws SQLException {
		Clock clock = tx.state(SIGNAL_CLOCK);
		if (clock != null) {
			return clock;
		}
		// Lock order is the same in every transaction, so two instances cannot deadlock on the clock rows:
		// signal_clock here (while the writes run), message_clock only in the insert just before the commit.
		Clock locked = new Clock();
		try (Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("SELECT last_id FROM signal_clock WHERE id = 1 FOR UPDATE")) {
			if (!rs.next()) {
				throw new SQLException("signal_clock has no row: the relay schema is damaged");
			}
			locked.last = rs.getLong(1);
		}
		tx.state(SIGNAL_CLOCK, locked);
		tx.beforeCommit(conn -> {
			try (PreparedStatement ps = conn.prepareStatement("UPDATE signal_clock SET last_id = ? WHERE id = 1")) {
				ps.setLong(1, locked.last);
				ps.executeUpdate();
			}
		});
		return locked;
	}

	@Override
	public List<Signal> signals(String toNode, String circleHintOrNull, long sinceId, String sessionIdOrNull, long now,
			int limit, long maxBytes) throws SQLException {
		return connections.read(c -> {
			// The page's byte cap in SQL (the rule of RelayRows.PageBudget over a running sum); only signals whose id
			// the signal clock covers have committed.
			String sql = "SELECT " + RelayRows.SIGNAL_COLUMNS + " FROM (SELECT " + RelayRows.SIGNAL_COLUMNS
					+ ", octet_length(payload) AS len, "
					+ "sum(octet_length(payload)) OVER (ORDER BY id ROWS UNBOUNDED PRECEDING) AS upto FROM signals "
					+ "WHERE " + RelayRows.SIGNAL_CONDITIONS
					+ " AND id <= (SELECT last_id FROM signal_clock WHERE id = 1)"
					+ RelayRows.signalFilters(circleHintOrNull, sessionIdOrNull) + " ORDER BY id LIMIT ?) page"
					+ " WHERE upto - len < ? ORDER BY id";
			try (PreparedStatement ps = c.prepareStatement(sql)) {
				int i = RelayRows.bindSignalRead(ps, toNode, sinceId, now, circleHintOrNull, sessionIdOrNull);
				ps.setInt(i++, limit);
				ps.setLong(i, maxBytes);
				return RelayRows.all(ps, RelayRows::signal);
			}
		});
	}

	/**
	 * One upsert per post, shared by all instances: a window that has ended starts over, otherwise the count
	 * grows; the post is allowed while the count is within the limit.
	 */
	@Override
	public long acquireSignalRate(String node, long nowMillis, int limit, long windowMillis) throws SQLException {
		return commits.call((c, tx) -> {
			try (PreparedStatement ps = c.prepareStatement("""
					INSERT INTO signal_rate AS r (node_id, window_start, count) VALUES (?, ?, 1)
					ON CONFLICT (node_id) DO UPDATE SET
					  window_start = CASE WHEN ? - r.window_start >= ? THEN excluded.window_start ELSE r.window_start END,
					  count = CASE WHEN ? - r.window_start >= ? THEN 1 ELSE r.count + 1 END
					RETURNING window_start, count""")) {
				ps.setString(1, node);
				ps.setLong(2, nowMillis);
				ps.setLong(3, nowMillis);
				ps.setLong(4, windowMillis);
				ps.setLong(5, nowMillis);
				ps.setLong(6, windowMillis);
				try (ResultSet rs = ps.executeQuery()) {
					rs.next();
					long start = rs.getLong(1);
					int count = rs.getInt(2);
					if (count <= limit) {
						return 0L;
					}
					long remaining = start + windowMillis - nowMillis;
					return Math.max(1, (remaining + 999) / 1000);
				}
			}
		});
	}

	// ---------------------------------------------------------------- maintenance

	/**
	 * Prunes only when no instance has pruned within the interval: the {@code last_prune} row is claimed with a
	 * conditional update, so of several instances whose timers fire together exactly one deletes.
	 */
	@Override
	public Optional<PruneResult> prune(long now, long messagesStoredUntil, long nonceCutoff, long rateCutoffMillis,
			long intervalSeconds) throws SQLException {
		return commits.call((c, tx) -> {
			try (PreparedStatement claim = c.prepareStatement("""
					UPDATE relay_meta SET value = ? WHERE key = 'last_prune' AND value::bigint <= ?""")) {
				claim.setString(1, Long.toString(now));
				// A little slack so that the instance whose timer fires a moment early does not skip a round.
				claim.setLong(2, now - Math.max(1, intervalSeconds * 9 / 10));
				if (claim.executeUpdate() == 0) {
					return Optional.<PruneResult>empty();
				}
			}
			// The leaving rows' circles lose them from their usage, in the same transaction; their usage rows are
			// locked first, in hint order, as the insert changes them (no deadlock between the two).
			try (PreparedStatement lock = c.prepareStatement("""
					SELECT 1 FROM hint_usage WHERE circle_hint IN (
					  SELECT DISTINCT circle_hint FROM messages WHERE stored_at <= ?)
					ORDER BY circle_hint FOR UPDATE""")) {
				lock.setLong(1, messagesStoredUntil);
				lock.executeQuery().close();
			}
			int messages;
			try (PreparedStatement ps = c.prepareStatement("""
					WITH gone AS (
					  DELETE FROM messages WHERE stored_at <= ? RETURNING circle_hint, octet_length(payload) AS len),
					per_circle AS (
					  SELECT circle_hint, count(*) AS n, sum(len) AS b FROM gone GROUP BY circle_hint),
					changed AS (
					  UPDATE hint_usage u SET messages = u.messages - p.n, bytes = u.bytes - p.b
					  FROM per_circle p WHERE u.circle_hint = p.circle_hint RETURNING 1)
					SELECT count(*) FROM gone""")) {
				ps.setLong(1, messagesStoredUntil);
				try (ResultSet rs = ps.executeQuery()) {
					rs.next();
					messages = rs.getInt(1);
				}
			}
			delete(c, "DELETE FROM hint_usage WHERE messages <= ?", 0);
			int presence = delete(c, "DELETE FROM presence WHERE expires_at <= ?", now);
			int signals = delete(c, "DELETE FROM signals WHERE expires_at <= ?", now);
			int nonces = delete(c, "DELETE FROM nonces WHERE ts < ?", nonceCutoff);
			int keys = delete(c, "DELETE FROM circle_keys WHERE expires_at <= ?", now);
			int windows = delete(c, "DELETE FROM signal_rate WHERE window_start < ?", rateCutoffMillis);
			return Optional.of(new PruneResult(messages, presence, signals, nonces, keys, windows));
		});
	}

	private static int delete(Connection c, String sql, long value) throws SQLException {
		try (PreparedStatement ps = c.prepareStatement(sql)) {
			ps.setLong(1, value);
			return ps.executeUpdate();
		}
	}

	@Override
	public Health health() {
		try {
			connections.read(c -> {
				try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
					return rs.next();
				}
			});
			return new Health(backend(), true, feed.listening() ? "ok" : "ok; live delivery reconnecting");
		} catch (SQLException e) {
			return new Health(backend(), false, String.valueOf(e.getMessage()));
		}
	}

	@Override
	public void close() {
		if (closed) {
			return;
		}
		closed = true;
		feed.close();
		commits.close();
		connections.close();
	}

	/** The writer's connection: opened on first use, replaced after a connection failure. */
	private static final class WriterConnection implements GroupCommitter.WriteConnection {
		private final PostgresConnections connections;
		private Connection current;
		private long lastUsed;

		WriterConnection(PostgresConnections connections) {
			this.connections = connections;
		}

		@Override
		public Connection get() throws SQLException {
			long now = System.nanoTime();
			if (current != null && now - lastUsed > 2_000_000_000L) {
				// Idle for a while: the server may have restarted meanwhile.
				boolean valid;
				try {
					valid = current.isValid(2);
				} catch (SQLException e) {
					valid = false;
				}
				if (!valid) {
					PostgresConnections.closeQuietly(current);
					current = null;
				}
			}
			if (current == null || current.isClosed()) {
				Connection c = connections.open();
				c.setAutoCommit(false);
				current = c;
			}
			lastUsed = now;
			return current;
		}

		@Override
		public void failed(Connection c, SQLException failure) {
			boolean closed;
			try {
				closed = c.isClosed();
			} catch (SQLException e) {
				closed = true;
			}
			if (closed || GroupCommitter.isConnectionFailure(failure)) {
				PostgresConnections.closeQuietly(c);
				if (c == current) {
					current = null;
				}
			}
		}
	}
}
