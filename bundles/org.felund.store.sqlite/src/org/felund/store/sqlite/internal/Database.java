package org.felund.store.sqlite.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import org.felund.api.store.StoreException;
import org.felund.store.sqlite.StoreOptions;
import org.felund.store.sqlite.StoreOptions.Durability;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteException;

/**
 * One SQLite database file in WAL mode, opened with a writer and a reader connection so that reads never wait
 * behind a write of this process. Each connection is used by one thread at a time (its lock) and keeps its
 * prepared statements. Other processes on the same file are coordinated by SQLite's file locks and the busy
 * timeout.
 */
public final class Database implements AutoCloseable {
	private final Path file;
	private final StoreOptions options;
	private final Handle writer;
	private final Handle reader;
	private volatile boolean closed;

	private Database(Path file, StoreOptions options, Handle writer, Handle reader) {
		this.file = file;
		this.options = options;
		this.writer = writer;
		this.reader = reader;
	}

	public static Database open(Path file, StoreOptions options) {
		Connection w = null;
		try {
			w = connect(file, options, false);
			ensureWal(file, w, options);
			Connection r = connect(file, options, true);
			return new Database(file, options, new Handle(w), new Handle(r));
		} catch (SQLException e) {
			closeQuietly(w);
			throw new StoreException("Cannot open the database " + file + ": " + describe(e, options), e);
		} catch (RuntimeException e) {
			closeQuietly(w);
			throw e;
		}
	}

	private static Connection connect(Path file, StoreOptions options, boolean readOnly) throws SQLException {
		SQLiteConfig config = new SQLiteConfig();
		config.setBusyTimeout((int) options.busyTimeout().toMillis());
		config.setSynchronous(SQLiteConfig.SynchronousMode.valueOf(options.durability().synchronousPragma()));
		Connection c = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
		try (Statement s = c.createStatement()) {
			// Schema objects of a tampered file must not call functions with side effects.
			s.execute("PRAGMA trusted_schema=OFF");
			if (readOnly) {
				s.execute("PRAGMA query_only=ON");
			}
		} catch (SQLException e) {
			closeQuietly(c);
			throw e;
		}
		return c;
	}

	/**
	 * WAL is persistent in the file; switching needs a moment alone with it, so a second process opening a new
	 * home at the same instant may have to retry.
	 */
	private static void ensureWal(Path file, Connection c, StoreOptions options) throws SQLException {
		long deadline = System.nanoTime() + options.busyTimeout().toNanos();
		while (true) {
			try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA journal_mode=WAL")) {
				String mode = rs.next() ? rs.getString(1) : "";
				if (!"wal".equalsIgnoreCase(mode)) {
					throw new StoreException("The database " + file + " cannot use write-ahead logging (journal mode is '"
							+ mode + "'); is it on a network file system?");
				}
				return;
			} catch (SQLiteException e) {
				if (!isBusy(e) || System.nanoTime() > deadline) {
					throw e;
				}
				pause();
			}
		}
	}

	private static void pause() throws SQLException {
		try {
			Thread.sleep(5);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new SQLException("Interrupted while waiting for another process to release the database", e);
		}
	}

	public Path file() {
		return file;
	}

	public StoreOptions options() {
		return options;
	}

	/** Runs read-only work on the reader connection; every statement sees the latest committed data. */
	public <T> T read(String what, SqlWork<T> work) {
		return reader.run(this, what, work);
	}

	/**
	 * Runs work on the writer connection in autocommit mode: each statement is its own transaction. Use for one
	 * statement; use {@link #transaction} for several.
	 */
	public <T> T write(String what, SqlWork<T> work) {
		return writer.run(this, what, work);
	}

	/**
	 * Runs work in one {@code BEGIN IMMEDIATE} transaction on the writer connection (taking the write lock up
	 * front, so two processes never deadlock upgrading a read lock). Rolls back when the work throws.
	 */
	public <T> T transaction(String what, SqlWork<T> work) {
		return writer.run(this, what, session -> {
			session.execute("BEGIN IMMEDIATE");
			boolean committed = false;
			try {
				T result = work.run(session);
				session.execute("COMMIT");
				committed = true;
				return result;
			} finally {
				if (!committed) {
					rollbackQuietly(session);
				}
			}
		});
	}

	/**
	 * Like {@link #transaction} but flushed to the device even when the store runs with
	 * {@link Durability#PROCESS_CRASH}: for data no peer can restore (secrets, circles, settings).
	 */
	public <T> T durableTransaction(String what, SqlWork<T> work) {
		if (options.durability() == Durability.POWER_LOSS) {
			return transaction(what, work);
		}
		return writer.run(this, what, session -> {
			session.execute("PRAGMA synchronous=FULL");
			try {
				return transaction(what, work);
			} finally {
				session.execute("PRAGMA synchronous=" + options.durability().synchronousPragma());
			}
		});
	}

	private static void rollbackQuietly(Session session) {
		try {
			session.execute("ROLLBACK");
		} catch (SQLException ignored) {
			// SQLite already rolled back (e.g. after SQLITE_FULL); nothing is left to undo.
		}
	}

	@Override
	public void close() {
		if (closed) {
			return;
		}
		closed = true;
		reader.close();
		writer.close();
	}

	boolean isClosed() {
		return closed;
	}

	static boolean isBusy(SQLException e) {
		return e instanceof SQLiteException se && se.getResultCode() != null
				&& (se.getResultCode().name().startsWith("SQLITE_BUSY")
						|| se.getResultCode().name().startsWith("SQLITE_LOCKED"));
	}

	static String describe(SQLException e, StoreOptions options) {
		if (isBusy(e)) {
			return "another process kept the database locked for longer than the busy timeout ("
					+ options.busyTimeout().toMillis() + " ms)";
		}
		return e.getMessage();
	}

	private static void closeQuietly(Connection c) {
		if (c != null) {
			try {
				c.close();
			} catch (SQLException ignored) {
				// Closing after a failed open: the original error is the one to report.
			}
		}
	}

	/** Work done with one connection. */
	@FunctionalInterface
	public interface SqlWork<T> {
		T run(Session session) throws SQLException;
	}

	/** A connection with its cached prepared statements, handed to one piece of work at a time. */
	public static final class Session {
		private final Connection connection;
		private final Map<String, PreparedStatement> statements = new HashMap<>();

		Session(Connection connection) {
			this.connection = connection;
		}

		/** A cached prepared statement; parameters left from an earlier use are overwritten by the caller. */
		public PreparedStatement prepare(String sql) throws SQLException {
			PreparedStatement ps = statements.get(sql);
			if (ps == null) {
				ps = connection.prepareStatement(sql);
				statements.put(sql, ps);
			}
			return ps;
		}

		/** A statement that is not cached (its SQL varies, e.g. an IN list); the caller closes it. */
		public PreparedStatement prepareOnce(String sql) throws SQLException {
			return connection.prepareStatement(sql);
		}

		public void execute(String sql) throws SQLException {
			try (Statement s = connection.createStatement()) {
				s.execute(sql);
			}
		}

		/** Rows of a parameterless query, first column as text (PRAGMAs and the like). */
		public List<String> queryStrings(String sql) throws SQLException {
			List<String> out = new ArrayList<>();
			try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
				while (rs.next()) {
					out.add(rs.getString(1));
				}
			}
			return out;
		}

		public long queryLong(String sql) throws SQLException {
			try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
				return rs.next() ? rs.getLong(1) : 0L;
			}
		}

		void closeStatements() {
			for (PreparedStatement ps : statements.values()) {
				try {
					ps.close();
				} catch (SQLException ignored) {
					// The connection is being closed; it releases the statement anyway.
				}
			}
			statements.clear();
		}
	}

	private static final class Handle {
		private final ReentrantLock lock = new ReentrantLock();
		private final Connection connection;
		private final Session session;

		Handle(Connection connection) {
			this.connection = connection;
			this.session = new Session(connection);
		}

		<T> T run(Database db, String what, SqlWork<T> work) {
			lock.lock();
			try {
				if (db.closed) {
					throw new IllegalStateException("The store " + db.file + " is closed");
				}
				return work.run(session);
			} catch (SQLException e) {
				throw new StoreException(capitalize(what) + " failed in " + db.file + ": " + describe(e, db.options), e);
			} finally {
				lock.unlock();
			}
		}

		void close() {
			lock.lock();
			try {
				session.closeStatements();
				connection.close();
			} catch (SQLException ignored) {
				// Nothing useful to do when closing fails; SQLite keeps the file consistent regardless.
			} finally {
				lock.unlock();
			}
		}

		private static String capitalize(String s) {
			return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
		}
	}
}
