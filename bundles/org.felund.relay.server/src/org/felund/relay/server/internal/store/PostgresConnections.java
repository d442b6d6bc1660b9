package org.felund.relay.server.internal.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Connections to the relay's PostgreSQL database: opened through the pgJDBC driver directly (no
 * {@code DriverManager}, which does not see bundles in OSGi) and pooled for reads.
 *
 * <p>A small pool of its own rather than a pool library: the relay needs only borrow, return and "this one is
 * broken", plus a cheap validation of connections that sat idle (a restarted or failed-over server leaves
 * them dead). A read that fails because its connection died is retried once on a new connection; when the
 * server is unreachable the read fails at once with an {@link SQLException} (503), and the first read after
 * the server is back succeeds.
 */
final class PostgresConnections implements AutoCloseable {
	private static final long BORROW_WAIT_SECONDS = 30;
	/** Idle connections older than this are checked before use. */
	private static final long VALIDATE_AFTER_NANOS = TimeUnit.SECONDS.toNanos(2);

	@FunctionalInterface
	interface Read<T> {
		T run(Connection c) throws SQLException;
	}

	private record Idle(Connection connection, long since) {
	}

	private final PostgresUrl url;
	private final org.postgresql.Driver driver = new org.postgresql.Driver();
	private final Semaphore permits;
	private final ConcurrentLinkedDeque<Idle> idle = new ConcurrentLinkedDeque<>();
	private volatile boolean closed;

	PostgresConnections(PostgresUrl url, int size) {
		this.url = url;
		this.permits = new Semaphore(size);
	}

	PostgresUrl url() {
		return url;
	}

	/** A new physical connection in auto-commit mode. */
	Connection open() throws SQLException {
		Connection c = driver.connect(url.jdbcUrl(), url.properties());
		if (c == null) {
			throw new SQLException("the PostgreSQL driver does not accept " + url.display());
		}
		return c;
	}

	/** Runs a read (auto-commit) on a pooled connection; retried once when the connection turns out dead. */
	<T> T read(Read<T> work) throws SQLException {
		if (closed) {
			throw new SQLException("relay database is closed");
		}
		acquire();
		try {
			Connection c = borrow();
			try {
				T result = work.run(c);
				idle.push(new Idle(c, System.nanoTime()));
				return result;
			} catch (SQLException e) {
				if (!GroupCommitter.isConnectionFailure(e) && !c.isClosed()) {
					idle.push(new Idle(c, System.nanoTime()));
					throw e;
				}
				closeQuietly(c);
			} catch (RuntimeException e) {
				closeQuietly(c);
				throw e;
			}
			Connection fresh = open();
			try {
				T result = work.run(fresh);
				idle.push(new Idle(fresh, System.nanoTime()));
				return result;
			} catch (SQLException e) {
				if (GroupCommitter.isConnectionFailure(e) || fresh.isClosed()) {
					closeQuietly(fresh);
				} else {
					idle.push(new Idle(fresh, System.nanoTime()));
				}
				throw e;
			} catch (RuntimeException e) {
				closeQuietly(fresh);
				throw e;
			}
		} finally {
			permits.release();
		}
	}

	private void acquire() throws SQLException {
		try {
			if (!permits.tryAcquire(BORROW_WAIT_SECONDS, TimeUnit.SECONDS)) {
				throw new SQLException("no database connection became free within " + BORROW_WAIT_SECONDS + " s");
			}
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new SQLException("interrupted while waiting for a database connection", e);
		}
	}

	/** An idle connection that still works, or a new one. */
	private Connection borrow() throws SQLException {
		for (Idle i; (i = idle.poll()) != null;) {
			if (System.nanoTime() - i.since() < VALIDATE_AFTER_NANOS) {
				return i.connection();
			}
			try {
				if (i.connection().isValid(2)) {
					return i.connection();
				}
			} catch (SQLException e) {
				// dead: drop it below
			}
			closeQuietly(i.connection());
		}
		return open();
	}

	static void closeQuietly(Connection c) {
		if (c == null) {
			return;
		}
		try {
			c.close();
		} catch (SQLException | RuntimeException e) {
			// nothing left to do for a connection that cannot close
		}
	}

	@Override
	public void close() {
		closed = true;
		for (Idle i; (i = idle.poll()) != null;) {
			closeQuietly(i.connection());
		}
	}
}
