package org.felund.relay.server.internal.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.felund.relay.server.internal.store.RelayRows.PageBudget;
import org.sqlite.SQLiteConfig;

/**
 * The relay's SQLite storage (WAL), for one relay on one machine: messages, presence, circle signing keys,
 * request nonces and signals. The signal rate limit is kept in memory (one process serves all requests).
 *
 * <p>All writes go through one connection and the {@link GroupCommitter}'s writer thread (SQLite has a single
 * writer anyway); reads use a small pool of connections and never block writes. Message rows get a strictly
 * increasing {@code seq}; it is the poll cursor (see {@link #readMessages}) and is published in
 * {@link #committedSeq} only after the commit, so a reader that bounds its query by it never sees a row appear
 * later below its cursor.
 */
public final class SqliteRelayStore implements RelayStore {

	private static final long READ_POOL_WAIT_SECONDS = 30;
	/** The key-value table (schema version, last prune, the relay's id). */
	private static final String META_TABLE = "meta";
	private static final int SCHEMA_VERSION = 2;
	/** Key of a transaction's circle-usage changes (see {@link #insertMessages}). */
	private static final Object USAGE = new Object();

	/** How often committed WAL pages are folded into the database file. */
	private static final long CHECKPOINT_MILLIS = 500;
	/** WAL size (4 KiB pages) from which a checkpoint also rewinds the WAL. */
	private static final long WAL_RESTART_FRAMES = 2000;

	private final Connection writer;
	private final Connection checkpointer;
	private final ScheduledExecutorService checkpoints;
	/** Writer thread only: the last message seq handed out (reset to {@link #committedSeq} on rollback). */
	private long lastSeq;
	private final GroupCommitter commits;
	private final Map<String, PreparedStatement> writeStatements = new HashMap<>();
	private final BlockingQueue<Connection> readers;
	private final List<Connection> allReaders = new ArrayList<>();
	private final SignalRateLimiter rateLimiter = new SignalRateLimiter();
	private volatile long committedSeq;
	/** Guarded by the writer thread: the newest stored_at written (stored_at never goes backwards). */
	private long lastStoredAt;
	private volatile MessageListener listener;
	private volatile boolean closed;

	private SqliteRelayStore(Connection writer, Connection checkpointer, List<Connection> readerConnections) {
		this.writer = writer;
		this.checkpointer = checkpointer;
		this.checkpoints = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread t = new Thread(r, "felund-relay-sqlite-checkpoint");
			t.setDaemon(true);
			return t;
		});
		checkpoints.scheduleWithFixedDelay(this::checkpoint, CHECKPOINT_MILLIS, CHECKPOINT_MILLIS,
				TimeUnit.MILLISECONDS);
		this.readers = new ArrayBlockingQueue<>(readerConnections.size());
		this.readers.addAll(readerConnections);
		this.allReaders.addAll(readerConnections);
		this.commits = new GroupCommitter("felund-relay-sqlite-writer", new GroupCommitter.WriteConnection() {
			@Override
			public Connection get() {
				return writer;
			}

			@Override
			public void failed(Connection c, SQLException failure) {
				// statement-level failures only: the connection stays usable
			}

			/**
			 * Takes the write lock first (a write that changes nothing), waiting for it with the busy timeout. A
			 * transaction whose first statement reads would have to upgrade its read lock later, and SQLite does not
			 * wait for that: while the checkpointer's RESTART holds the lock, the upgrade fails at once with
			 * SQLITE_BUSY (found by the relay's fuzz tests).
			 */
			@Override
			public void begin(Connection c) throws SQLException {
				statement("UPDATE meta SET value = value WHERE 0").executeUpdate();
			}
		}, () -> lastSeq = committedSeq);
	}

	/**
	 * Copies committed WAL pages into the database file beside the writer (PASSIVE: it does not block it), and
	 * once the WAL has grown past {@value #WAL_RESTART_FRAMES} pages, finishes with a RESTART checkpoint, which
	 * waits for the writer's current commit and makes the next one start the WAL from its beginning: most of the
	 * copying is then already done, so the writer waits only briefly, and the WAL stays small under constant load.
	 */
	private void checkpoint() {
		if (closed) {
			return;
		}
		try (Statement s = checkpointer.createStatement()) {
			long frames;
			try (ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
				frames = rs.next() ? rs.getLong(2) : 0;
			}
			if (frames >= WAL_RESTART_FRAMES) {
				s.execute("PRAGMA wal_checkpoint(RESTART)");
			}
		} catch (SQLException e) {
			System.getLogger(SqliteRelayStore.class.getName()).log(System.Logger.Level.DEBUG,
					"WAL checkpoint failed (retried): " + e);
		}
	}

	@Override
	public String backend() {
		return "sqlite";
	}

	public static SqliteRelayStore open(Path file, boolean durableCommits, int readConnections) throws SQLException, IOException {
		// Mode 600 before SQLite opens it: its -wal and -shm files then get the same mode.
		org.felund.relay.server.internal.FilePermissions.prepareDatabaseFile(file);
		String url = "jdbc:sqlite:" + file.toAbsolutePath();
		SQLiteConfig config = new SQLiteConfig();
		config.setJournalMode(SQLiteConfig.JournalMode.WAL);
		config.setSynchronous(durableCommits ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
		config.setBusyTimeout(10_000);
		config.setTempStore(SQLiteConfig.TempStore.MEMORY);
		Connection writer = config.createConnection(url);
		List<Connection> readerConnections = new ArrayList<>();
		try {
			createSchema(writer);
			try (Statement s = writer.createStatement()) {
				// The writer never checkpoints: that copy (and its fsync) runs on the checkpointer's connection,
				// beside the writes, instead of every ~200 commits inside one of them.
				s.execute("PRAGMA wal_autocheckpoint=0");
				// A rewound WAL file is cut back to this size (it would otherwise keep its largest size).
				s.execute("PRAGMA journal_size_limit=" + (64L << 20));
			}
			SQLiteConfig checkpointConfig = new SQLiteConfig();
			checkpointConfig.setBusyTimeout(10_000);
			checkpointConfig.setSynchronous(
					durableCommits ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
			readerConnections.add(checkpointConfig.createConnection(url));
			for (int i = 0; i < readConnections; i++) {
				SQLiteConfig readConfig = new SQLiteConfig();
				readConfig.setBusyTimeout(10_000);
				readConfig.setReadOnly(true);
				readerConnections.add(readConfig.createConnection(url));
			}
			writer.setAutoCommit(false);
		} catch (SQLException e) {
			for (Connection c : readerConnections) {
				closeQuietly(c);
			}
			closeQuietly(writer);
			throw e;
		}
		Connection checkpointer = readerConnections.remove(0);
		SqliteRelayStore db = new SqliteRelayStore(writer, checkpointer, readerConnections);
		db.loadCounters();
		return db;
	}

	private static void createSchema(Connection c) throws SQLException {
		try (Statement s = c.createStatement()) {
			s.executeUpdate("""
					CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)""");
			s.executeUpdate("""
					CREATE TABLE IF NOT EXISTS messages (
					  seq INTEGER PRIMARY KEY AUTOINCREMENT,
					  circle_hint TEXT NOT NULL,
					  msg_id TEXT NOT NULL,
					  stored_at INTEGER NOT NULL,
					  created_ts INTEGER NOT NULL,
					  payload TEXT NOT NULL,
					  UNIQUE (circle_hint, msg_id))""");
			// stored_at grows with seq, so one index on it serves expiry, the catch-up window and reference
			// (seconds) cursors, and polls walk (circle_hint, seq). Few indexes keep inserts cheap.
			s.executeUpdate("CREATE INDEX IF NOT EXISTS messages_by_hint_seq ON messages (circle_hint, seq)");
			s.executeUpdate("CREATE INDEX IF NOT EXISTS messages_by_stored ON messages (stored_at)");
			s.executeUpdate("""
					CREATE TABLE IF NOT EXISTS presence (
					  circle_hint TEXT NOT NULL,
					  node_id TEXT NOT NULL,
					  endpoints TEXT NOT NULL,
					  capabilities TEXT NOT NULL,
					  observed_at INTEGER NOT NULL,
					  expires_at INTEGER NOT NULL,
					  PRIMARY KEY (circle_hint, node_id))""");
			s.executeUpdate("CREATE INDEX IF NOT EXISTS presence_by_expiry ON presence (expires_at)");
			s.executeUpdate("""
					CREATE TABLE IF NOT EXISTS circle_keys (
					  circle_hint TEXT PRIMARY KEY,
					  signing_key TEXT NOT NULL,
					  bound_at INTEGER NOT NULL,
					  expires_at INTEGER NOT NULL)""");
			s.executeUpdate("""
					CREATE TABLE IF NOT EXISTS nonces (
					  nonce TEXT PRIMARY KEY,
					  ts INTEGER NOT NULL)""");
			s.executeUpdate("CREATE INDEX IF NOT EXISTS nonces_by_ts ON nonces (ts)");
			s.executeUpdate("""
					CREATE TABLE IF NOT EXISTS signals (
					  id INTEGER PRIMARY KEY AUTOINCREMENT,
					  session_id TEXT NOT NULL,
					  from_node TEXT NOT NULL,
					  to_node TEXT NOT NULL,
					  type TEXT NOT NULL,
					  payload TEXT NOT NULL,
					  created_at INTEGER NOT NULL,
					  expires_at INTEGER NOT NULL)""");
			s.executeUpdate("CREATE INDEX IF NOT EXISTS signals_by_to ON signals (to_node, id)");
			s.executeUpdate("CREATE INDEX IF NOT EXISTS signals_by_expiry ON signals (expires_at)");
		}
		int found;
		try (PreparedStatement ps = c.prepareStatement("SELECT value FROM meta WHERE key = 'schema_version'");
				ResultSet rs = ps.executeQuery()) {
			found = rs.next() ? Integer.parseInt(rs.getString(1)) : 0;
		}
		if (found > SCHEMA_VERSION) {
			throw new SQLException("relay database has schema version " + found + ", this server knows up to "
					+ SCHEMA_VERSION + ": update the relay");
		}
		if (found == 0) {
			// A new database numbers its messages from its creation time in milliseconds, so poll cursors it
			// hands out are larger than those of any database it replaces (a reset or a move to a new host):
			// reference clients only ever move their cursor forwards and would otherwise wait for ever.
			try (PreparedStatement seed = c
					.prepareStatement("INSERT INTO sqlite_sequence (name, seq) VALUES ('messages', ?)")) {
				seed.setLong(1, System.currentTimeMillis());
				seed.executeUpdate();
			}
		}
		if (found < 2) {
			try (Statement s = c.createStatement()) {
				// Version 2: signals remember their circle; each circle's stored messages and bytes (its quota).
				s.executeUpdate("ALTER TABLE signals ADD COLUMN circle_hint TEXT NOT NULL DEFAULT ''");
				s.executeUpdate("""
						CREATE TABLE hint_usage (
						  circle_hint TEXT PRIMARY KEY,
						  messages INTEGER NOT NULL,
						  bytes INTEGER NOT NULL)""");
				s.executeUpdate("""
						INSERT INTO hint_usage (circle_hint, messages, bytes)
						SELECT circle_hint, count(*), sum(length(payload)) FROM messages GROUP BY circle_hint""");
			}
		}
		if (found < SCHEMA_VERSION) {
			try (PreparedStatement ps = c.prepareStatement(
					"INSERT INTO meta (key, value) VALUES ('schema_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
				ps.setString(1, Integer.toString(SCHEMA_VERSION));
				ps.executeUpdate();
			}
		}
	}

	private void loadCounters() throws SQLException {
		try (Statement s = writer.createStatement()) {
			try (ResultSet rs = s.executeQuery("SELECT seq FROM sqlite_sequence WHERE name = 'messages'")) {
				committedSeq = rs.next() ? rs.getLong(1) : 0;
				lastSeq = committedSeq;
			}
			try (ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(stored_at), 0) FROM messages")) {
				lastStoredAt = rs.next() ? rs.getLong(1) : 0;
			}
			writer.commit();
		}
	}

	/** The highest message seq whose transaction has committed. */
	long committedSeq() {
		return committedSeq;
	}

	// ---------------------------------------------------------------- messages

	@Override
	public void startDelivery(MessageListener l) {
		this.listener = l;
	}

	/**
	 * Inserts on the writer thread. The circle's usage is read once per transaction and hint and changed in
	 * memory; just before the commit one upsert per hint writes the changes, so the quota costs no statement per
	 * post.
	 */
	@Override
	public CompletableFuture<Inserted> insertMessages(String circleHint, String senderNodeId, List<NewMessage> messages,
			long now, CircleQuota quota, java.util.concurrent.Executor completeOn) {
		if (messages.isEmpty()) {
			return CompletableFuture.completedFuture(Inserted.NOTHING);
		}
		return commits.submit((c, tx) -> {
			long[] usage = usage(c, tx, circleHint);
			long bytes = 0;
			for (NewMessage m : messages) {
				bytes += m.payload().length();
			}
			if (usage[0] + messages.size() > quota.messages() || usage[1] + bytes > quota.bytes()) {
				return new Inserted(List.of(), true);
			}
			// stored_at never goes backwards (writes are serialized), so seq order is also stored_at order.
			long storedAt = Math.max(now, lastStoredAt);
			lastStoredAt = storedAt;
			List<StoredMessage> inserted = new ArrayList<>();
			PreparedStatement ps = statement("""
					INSERT INTO messages (seq, circle_hint, msg_id, stored_at, created_ts, payload)
					VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (circle_hint, msg_id) DO NOTHING""");
			for (NewMessage m : messages) {
				long seq = lastSeq + 1;
				ps.setLong(1, seq);
				ps.setString(2, circleHint);
				ps.setString(3, m.msgId());
				ps.setLong(4, storedAt);
				ps.setLong(5, m.createdTs());
				ps.setString(6, m.payload());
				if (ps.executeUpdate() == 1) {
					lastSeq = seq;
					inserted.add(new StoredMessage(seq, m.msgId(), storedAt, m.payload()));
					usage[0]++;
					usage[1] += m.payload().length();
					usage[2]++;
					usage[3] += m.payload().length();
				}
			}
			if (!inserted.isEmpty()) {
				// After the commit, still on the writer thread: deliveries leave in commit (seq) order.
				tx.afterCommit(() -> {
					committedSeq = Math.max(committedSeq, inserted.get(inserted.size() - 1).seq());
					MessageListener l = listener;
					if (l != null) {
						l.stored(circleHint, senderNodeId, inserted);
					}
				});
			}
			return new Inserted(inserted, false);
		}, completeOn);
	}

	/**
	 * The circle's usage as this transaction sees it: {messages, bytes, messages added, bytes added}. Read from
	 * {@code hint_usage} the first time a transaction needs the hint; the additions are written before the commit.
	 */
	private long[] usage(Connection c, GroupCommitter.Transaction tx, String circleHint) throws SQLException {
		Map<String, long[]> all = tx.state(USAGE);
		if (all == null) {
			Map<String, long[]> created = new HashMap<>();
			tx.state(USAGE, created);
			tx.beforeCommit(conn -> {
				PreparedStatement up = statement("""
						INSERT INTO hint_usage (circle_hint, messages, bytes) VALUES (?, ?, ?)
						ON CONFLICT (circle_hint) DO UPDATE SET messages = messages + excluded.messages,
						  bytes = bytes + excluded.bytes""");
				for (Map.Entry<String, long[]> e : created.entrySet()) {
					if (e.getValue()[2] != 0) {
						up.setString(1, e.getKey());
						up.setLong(2, e.getValue()[2]);
						up.setLong(3, e.getValue()[3]);
						up.executeUpdate();
					}
				}
			});
			all = created;
		}
		long[] u = all.get(circleHint);
		if (u == null) {
			PreparedStatement q = statement("SELECT messages, bytes FROM hint_usage WHERE circle_hint = ?");
			q.setString(1, circleHint);
			u = new long[4];
			try (ResultSet rs = q.executeQuery()) {
				if (rs.next()) {
					u[0] = rs.getLong(1);
					u[1] = rs.getLong(2);
				}
			}
			all.put(circleHint, u);
		}
		return u;
	}

	@Override
	public CircleUsage usage(String circleHint) throws SQLException {
		return read(c -> {
			try (PreparedStatement ps = c.prepareStatement("SELECT messages, bytes FROM hint_usage WHERE circle_hint = ?")) {
				ps.setString(1, circleHint);
				try (ResultSet rs = ps.executeQuery()) {
					return rs.next() ? new CircleUsage(rs.getLong(1), rs.getLong(2)) : new CircleUsage(0, 0);
				}
			}
		});
	}

	/**
	 * One page of a circle's unexpired messages in seq order, cut by rows or bytes. SQLite hands rows over one by
	 * one, so the page stops being read once it is full: a page never holds more than its cap in memory.
	 */
	@Override
	public MessagePage readMessages(String circleHint, long afterSeq, long afterStoredAt, int limit, long validAfter,
			long maxBytes) throws SQLException {
		long high = committedSeq;
		boolean[] cut = new boolean[1];
		List<StoredMessage> rows = read(c -> {
			long after = afterStoredAt >= 0 ? RelayRows.firstSeqStoredAfter(c, afterStoredAt) - 1 : afterSeq;
			try (PreparedStatement ps = c.prepareStatement("""
					SELECT seq, msg_id, stored_at, payload FROM messages
					WHERE circle_hint = ? AND seq > ? AND seq <= ? AND stored_at > ?
					ORDER BY seq LIMIT ?""")) {
				ps.setString(1, circleHint);
				ps.setLong(2, after);
				ps.setLong(3, high);
				ps.setLong(4, validAfter);
				ps.setInt(5, limit + 1);
				List<StoredMessage> out = new ArrayList<>();
				PageBudget budget = new PageBudget(limit, maxBytes);
				try (ResultSet rs = ps.executeQuery()) {
					while (rs.next()) {
						if (!budget.admits()) {
							cut[0] = true;
							break;
						}
						StoredMessage m = RelayRows.message(rs);
						budget.take(m.payload());
						out.add(m);
					}
				}
				return out;
			}
		});
		if (cut[0]) {
			return new MessagePage(rows, rows.get(rows.size() - 1).seq(), true);
		}
		return new MessagePage(rows, high, false);
	}

	/** The newest {@code limit} messages stored after {@code storedAfter} (and still valid), oldest first. */
	@Override
	public MessagePage recentMessages(String circleHint, long storedAfter, long validAfter, int limit, long maxBytes)
			throws SQLException {
		long high = committedSeq;
		List<StoredMessage> rows = read(c -> {
			long from = RelayRows.firstSeqStoredAfter(c, Math.max(storedAfter, validAfter));
			try (PreparedStatement ps = c.prepareStatement("""
					SELECT seq, msg_id, stored_at, payload FROM messages
					WHERE circle_hint = ? AND seq >= ? AND seq <= ?
					ORDER BY seq DESC LIMIT ?""")) {
				ps.setString(1, circleHint);
				ps.setLong(2, from);
				ps.setLong(3, high);
				ps.setInt(4, limit);
				return budgeted(ps, RelayRows::message, StoredMessage::payload, new PageBudget(limit, maxBytes));
			}
		});
		List<StoredMessage> ascending = new ArrayList<>(rows);
		Collections.reverse(ascending);
		return new MessagePage(ascending, high, false);
	}

	/** The rows the budget admits, read one by one: nothing beyond the page is held. */
	private static <T> List<T> budgeted(PreparedStatement ps, RelayRows.RowMapper<T> mapper,
			java.util.function.Function<T, String> payload, PageBudget budget) throws SQLException {
		List<T> out = new ArrayList<>();
		try (ResultSet rs = ps.executeQuery()) {
			while (budget.admits() && rs.next()) {
				T row = mapper.map(rs);
				budget.take(payload.apply(row));
				out.add(row);
			}
		}
		return out;
	}

	// ---------------------------------------------------------------- presence

	@Override
	public void upsertPresence(Presence p) throws SQLException {
		commits.call((c, tx) -> {
			try (PreparedStatement ps = writer.prepareStatement("""
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

	/** @return whether a row was deleted */
	@Override
	public boolean deletePresence(String circleHint, String nodeId) throws SQLException {
		return commits.call((c, tx) -> RelayWrites.deletePresence(c, circleHint, nodeId));
	}

	/** Unexpired presence rows of a circle, newest observation first, without {@code excludeNodeId}. */
	@Override
	public List<Presence> peers(String circleHint, String excludeNodeId, long now, int limit) throws SQLException {
		return read(c -> RelayRows.peers(c, circleHint, excludeNodeId, now, limit));
	}

	@Override
	public int presentCount(String circleHint, List<String> nodeIds, long now) throws SQLException {
		if (nodeIds.isEmpty()) {
			return 0;
		}
		return read(c -> {
			String marks = String.join(",", Collections.nCopies(nodeIds.size(), "?"));
			try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM presence WHERE circle_hint = ? AND expires_at > ?"
					+ " AND node_id IN (" + marks + ")")) {
				ps.setString(1, circleHint);
				ps.setLong(2, now);
				for (int i = 0; i < nodeIds.size(); i++) {
					ps.setString(3 + i, nodeIds.get(i));
				}
				try (ResultSet rs = ps.executeQuery()) {
					rs.next();
					return rs.getInt(1);
				}
			}
		});
	}

	@Override
	public boolean presentAnywhere(String nodeId, long now) throws SQLException {
		return read(c -> RelayRows.presentAnywhere(c, nodeId, now));
	}

	// ---------------------------------------------------------------- signing keys and nonces

	@Override
	public Optional<CircleKey> circleKey(String circleHint, long now) throws SQLException {
		return read(c -> RelayRows.circleKey(c, circleHint, now));
	}

	/**
	 * Binds {@code signingKey} to the circle if the currently bound key (if any, and unexpired) is
	 * {@code expectedCurrent} ({@code null}: none bound). Compare-and-set, so two racing first registrations
	 * cannot both win.
	 *
	 * @return whether the key was bound
	 */
	@Override
	public boolean bindCircleKey(String circleHint, String expectedCurrent, String signingKey, long now, long expiresAt)
			throws SQLException {
		return commits.call((c, tx) -> {
			String current = null;
			try (PreparedStatement ps = writer.prepareStatement(
					"SELECT signing_key FROM circle_keys WHERE circle_hint = ? AND expires_at > ?")) {
				ps.setString(1, circleHint);
				ps.setLong(2, now);
				try (ResultSet rs = ps.executeQuery()) {
					if (rs.next()) {
						current = rs.getString(1);
					}
				}
			}
			if (expectedCurrent == null ? current != null : !expectedCurrent.equals(current)) {
				return false;
			}
			String sql = signingKey.equals(current)
					? "UPDATE circle_keys SET expires_at = MAX(expires_at, ?) WHERE circle_hint = ?"
					: "INSERT OR REPLACE INTO circle_keys (expires_at, circle_hint, signing_key, bound_at) VALUES (?, ?, ?, ?)";
			try (PreparedStatement ps = writer.prepareStatement(sql)) {
				ps.setLong(1, expiresAt);
				ps.setString(2, circleHint);
				if (!signingKey.equals(current)) {
					ps.setString(3, signingKey);
					ps.setLong(4, now);
				}
				ps.executeUpdate();
			}
			return true;
		});
	}

	/** Extends the binding of the circle's current key (a verified request used it). */
	@Override
	public void touchCircleKey(String circleHint, String signingKey, long expiresAt) throws SQLException {
		commits.call((c, tx) -> {
			RelayWrites.touchCircleKey(c, "MAX", circleHint, signingKey, expiresAt);
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
		return read(RelayRows::circleKeys);
	}

	@Override
	public String meta(String key) throws SQLException {
		return read(c -> RelayRows.meta(c, META_TABLE, key));
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
		return read(c -> RelayRows.nonceSeen(c, nonce));
	}

	/** @return {@code false} if the nonce was recorded before (a concurrent replay) */
	@Override
	public boolean recordNonce(String nonce, long ts) throws SQLException {
		return commits.call((c, tx) -> {
			PreparedStatement ps = statement("INSERT INTO nonces (nonce, ts) VALUES (?, ?) ON CONFLICT (nonce) DO NOTHING");
			ps.setString(1, nonce);
			ps.setLong(2, ts);
			return ps.executeUpdate() == 1;
		});
	}

	// ---------------------------------------------------------------- signals

	@Override
	public long insertSignal(String circleHint, String sessionId, String fromNode, String toNode, String type,
			String payload, long now, long expiresAt, int mailboxRows, long mailboxBytes) throws SQLException {
		return commits.call((c, tx) -> {
			// On the writer thread, inside the transaction: the check and the insert cannot be overtaken.
			try (PreparedStatement ps = writer.prepareStatement("""
					SELECT count(*), coalesce(sum(length(payload)), 0) FROM signals WHERE to_node = ? AND expires_at > ?""")) {
				ps.setString(1, toNode);
				ps.setLong(2, now);
				try (ResultSet rs = ps.executeQuery()) {
					rs.next();
					if (rs.getLong(1) >= mailboxRows || rs.getLong(2) + payload.length() > mailboxBytes) {
						return MAILBOX_FULL;
					}
				}
			}
			try (PreparedStatement ps = writer.prepareStatement("""
					INSERT INTO signals (circle_hint, session_id, from_node, to_node, type, payload, created_at, expires_at)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""")) {
				ps.setString(1, circleHint);
				ps.setString(2, sessionId);
				ps.setString(3, fromNode);
				ps.setString(4, toNode);
				ps.setString(5, type);
				ps.setString(6, payload);
				ps.setLong(7, now);
				ps.setLong(8, expiresAt);
				try (ResultSet rs = ps.executeQuery()) {
					rs.next();
					return rs.getLong(1);
				}
			}
		});
	}

	@Override
	public List<Signal> signals(String toNode, String circleHintOrNull, long sinceId, String sessionIdOrNull, long now,
			int limit, long maxBytes) throws SQLException {
		return read(c -> {
			String sql = "SELECT " + RelayRows.SIGNAL_COLUMNS + " FROM signals WHERE " + RelayRows.SIGNAL_CONDITIONS
					+ RelayRows.signalFilters(circleHintOrNull, sessionIdOrNull) + " ORDER BY id LIMIT ?";
			try (PreparedStatement ps = c.prepareStatement(sql)) {
				int i = RelayRows.bindSignalRead(ps, toNode, sinceId, now, circleHintOrNull, sessionIdOrNull);
				ps.setInt(i, limit);
				return budgeted(ps, RelayRows::signal, Signal::payload, new PageBudget(limit, maxBytes));
			}
		});
	}

	// ---------------------------------------------------------------- maintenance

	@Override
	public long acquireSignalRate(String node, long nowMillis, int limit, long windowMillis) {
		return rateLimiter.acquire(node, nowMillis, limit, windowMillis);
	}

	@Override
	public Optional<PruneResult> prune(long now, long messagesStoredUntil, long nonceCutoff, long rateCutoffMillis,
			long intervalSeconds) throws SQLException {
		int windows = rateLimiter.prune(rateCutoffMillis);
		return Optional.of(commits.call((c, tx) -> {
			// What leaves each circle, so that its quota measure goes down with it (same transaction).
			List<Object[]> leaving = new ArrayList<>();
			try (PreparedStatement ps = writer.prepareStatement("""
					SELECT circle_hint, count(*), sum(length(payload)) FROM messages WHERE stored_at <= ?
					GROUP BY circle_hint""")) {
				ps.setLong(1, messagesStoredUntil);
				try (ResultSet rs = ps.executeQuery()) {
					while (rs.next()) {
						leaving.add(new Object[] { rs.getString(1), rs.getLong(2), rs.getLong(3) });
					}
				}
			}
			int messages = deleteWhere("DELETE FROM messages WHERE stored_at <= ?", messagesStoredUntil);
			try (PreparedStatement ps = writer.prepareStatement(
					"UPDATE hint_usage SET messages = messages - ?, bytes = bytes - ? WHERE circle_hint = ?")) {
				for (Object[] l : leaving) {
					ps.setLong(1, (Long) l[1]);
					ps.setLong(2, (Long) l[2]);
					ps.setString(3, (String) l[0]);
					ps.executeUpdate();
				}
			}
			deleteWhere("DELETE FROM hint_usage WHERE messages <= ?", 0);
			int presence = deleteWhere("DELETE FROM presence WHERE expires_at <= ?", now);
			int signals = deleteWhere("DELETE FROM signals WHERE expires_at <= ?", now);
			int nonces = deleteWhere("DELETE FROM nonces WHERE ts < ?", nonceCutoff);
			int keys = deleteWhere("DELETE FROM circle_keys WHERE expires_at <= ?", now);
			return new PruneResult(messages, presence, signals, nonces, keys, windows);
		}));
	}

	@Override
	public Health health() {
		try {
			read(c -> {
				try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
					return rs.next();
				}
			});
			return new Health(backend(), true, "ok");
		} catch (SQLException e) {
			return new Health(backend(), false, String.valueOf(e.getMessage()));
		}
	}

	private int deleteWhere(String sql, long value) throws SQLException {
		try (PreparedStatement ps = writer.prepareStatement(sql)) {
			ps.setLong(1, value);
			return ps.executeUpdate();
		}
	}

	@Override
	public void close() {
		if (closed) {
			return;
		}
		closed = true;
		checkpoints.shutdown();
		try {
			checkpoints.awaitTermination(10, TimeUnit.SECONDS);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		closeQuietly(checkpointer);
		commits.close();
		for (PreparedStatement ps : writeStatements.values()) {
			try {
				ps.close();
			} catch (SQLException e) {
				// closing the connection below releases it anyway
			}
		}
		writeStatements.clear();
		try (Statement s = writer.createStatement()) {
			writer.commit();
			writer.setAutoCommit(true);
			// Fold the WAL back into the main file so a stopped relay is one self-contained file.
			s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
		} catch (SQLException e) {
			// Closing anyway; SQLite recovers the WAL on the next open.
		}
		closeQuietly(writer);
		for (Connection c : allReaders) {
			closeQuietly(c);
		}
	}

	private static void closeQuietly(Connection c) {
		try {
			c.close();
		} catch (SQLException e) {
			// nothing left to do for a connection that cannot close
		}
	}

	// ---------------------------------------------------------------- plumbing

	@FunctionalInterface
	private interface ReadWork<T> {
		T run(Connection c) throws SQLException;
	}

	/** A cached statement of the write connection (only used on the writer thread). */
	private PreparedStatement statement(String sql) throws SQLException {
		PreparedStatement ps = writeStatements.get(sql);
		if (ps == null) {
			ps = writer.prepareStatement(sql);
			writeStatements.put(sql, ps);
		}
		return ps;
	}

	private <T> T read(ReadWork<T> work) throws SQLException {
		if (closed) {
			throw new SQLException("relay database is closed");
		}
		Connection c;
		try {
			c = readers.poll(READ_POOL_WAIT_SECONDS, TimeUnit.SECONDS);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new SQLException("interrupted while waiting for a database connection", e);
		}
		if (c == null) {
			throw new SQLException("no database connection became free within " + READ_POOL_WAIT_SECONDS + " s");
		}
		try {
			return work.run(c);
		} finally {
			readers.add(c);
		}
	}
}
