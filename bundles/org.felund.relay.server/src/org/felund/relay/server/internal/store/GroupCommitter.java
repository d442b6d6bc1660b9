package org.felund.relay.server.internal.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Group commit on one write connection: a single writer thread takes every write that is waiting, runs them
 * in one transaction and commits once, then completes each write's future. A write is acknowledged only after
 * the commit that holds it, so nothing acknowledged is lost, while a burst of small requests costs one commit
 * instead of one each.
 *
 * <p>If a write of a shared transaction fails, the transaction is rolled back and every write of it runs again
 * in a transaction of its own, so only the failing write fails. A failure of the connection itself fails the
 * whole batch (the callers answer 503) and the next batch gets a fresh connection from {@link WriteConnection}.
 */
final class GroupCommitter implements AutoCloseable {
	private static final System.Logger LOG = System.getLogger(GroupCommitter.class.getName());
	/** Most writes one transaction runs (bounds the latency of the first writer of a burst). */
	static final int MAX_BATCH = 512;
	private static final long CALL_TIMEOUT_SECONDS = 60;

	/** One write: runs inside the shared transaction. */
	@FunctionalInterface
	interface Work<T> {
		T run(Connection c, Transaction tx) throws SQLException;
	}

	/** Where the writer gets its connection, and hears that it broke. */
	interface WriteConnection {
		/** The connection to write on (in manual-commit mode), reconnecting when needed. */
		Connection get() throws SQLException;

		/** The last transaction failed; {@code c} is closed and replaced when the failure was the connection's. */
		void failed(Connection c, SQLException failure);

		/** Runs first in every transaction, before its writes (e.g. to take the database's write lock). */
		default void begin(Connection c) throws SQLException {
		}
	}

	/**
	 * The transaction the writes of one batch share: per-transaction state (e.g. the next sequence number)
	 * and hooks that run just before the commit (still inside it) and after it.
	 */
	static final class Transaction {
		private final Map<Object, Object> state = new HashMap<>();
		private final List<SqlAction> beforeCommit = new ArrayList<>();
		private final List<Runnable> afterCommit = new ArrayList<>();

		@SuppressWarnings("unchecked")
		<T> T state(Object key) {
			return (T) state.get(key);
		}

		void state(Object key, Object value) {
			state.put(key, value);
		}

		void beforeCommit(SqlAction action) {
			beforeCommit.add(action);
		}

		void afterCommit(Runnable action) {
			afterCommit.add(action);
		}
	}

	@FunctionalInterface
	interface SqlAction {
		void run(Connection c) throws SQLException;
	}

	/** A queued write; {@code completeOn} runs its completion (null: the writer thread completes it). */
	private record Pending<T>(Work<T> work, CompletableFuture<T> future, Executor completeOn) {
	}

	/** Queued by {@link #close()}: everything before it still runs, then the writer stops. */
	private static final Pending<Object> STOP = new Pending<>((c, tx) -> null, new CompletableFuture<>(), null);

	private final LinkedBlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
	private final WriteConnection connection;
	private final Runnable onRollback;
	private final Thread writer;
	private volatile boolean closed;

	/**
	 * @param onRollback resets in-memory state that rolled-back writes may have advanced (runs on the writer)
	 */
	GroupCommitter(String name, WriteConnection connection, Runnable onRollback) {
		this.connection = connection;
		this.onRollback = onRollback;
		this.writer = new Thread(this::loop, name);
		this.writer.setDaemon(true);
		this.writer.start();
	}

	/** Queues a write; the future completes after its commit (or fails with an {@link SQLException}). */
	<T> CompletableFuture<T> submit(Work<T> work) {
		return submit(work, null);
	}

	/**
	 * Queues a write whose future is completed on {@code completeOn} (e.g. the I/O thread that answers the
	 * request), so that what depends on it runs there and not on the writer thread. The completions of one batch
	 * are handed to each executor in one task.
	 */
	<T> CompletableFuture<T> submit(Work<T> work, Executor completeOn) {
		CompletableFuture<T> future = new CompletableFuture<>();
		if (closed) {
			future.completeExceptionally(new SQLException("relay database is closed"));
			return future;
		}
		queue.add(new Pending<>(work, future, completeOn));
		if (closed && !writer.isAlive()) {
			// The writer stopped before this write arrived; make sure it is not left waiting.
			drainClosed();
		}
		return future;
	}

	/** Runs a write and waits for its commit. */
	<T> T call(Work<T> work) throws SQLException {
		return await(submit(work));
	}

	/** Waits for a write's future, turning its failure back into the {@link SQLException} it was. */
	static <T> T await(CompletableFuture<T> future) throws SQLException {
		try {
			return future.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new SQLException("interrupted while waiting for a database write", e);
		} catch (java.util.concurrent.TimeoutException e) {
			throw new SQLException("a database write did not finish within " + CALL_TIMEOUT_SECONDS + " s", e);
		} catch (ExecutionException e) {
			throw asSqlException(e.getCause());
		}
	}

	static SQLException asSqlException(Throwable t) {
		Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
		if (cause instanceof SQLException e) {
			return new SQLException(e.getMessage(), e.getSQLState(), e.getErrorCode(), e);
		}
		return new SQLException("database write failed: " + cause, cause);
	}

	private void loop() {
		List<Pending<?>> batch = new ArrayList<>();
		while (true) {
			Pending<?> first;
			try {
				first = queue.take();
			} catch (InterruptedException e) {
				continue;
			}
			if (first == STOP) {
				break;
			}
			batch.add(first);
			queue.drainTo(batch, MAX_BATCH - 1);
			boolean stop = batch.remove(STOP);
			try {
				runBatch(batch);
			} catch (RuntimeException | Error e) {
				LOG.log(System.Logger.Level.ERROR, "relay writer failed", e);
				batch.forEach(p -> p.future().completeExceptionally(e));
			}
			batch.clear();
			if (stop) {
				break;
			}
		}
		drainClosed();
	}

	private void runBatch(List<Pending<?>> batch) {
		Connection c;
		try {
			c = connection.get();
		} catch (SQLException e) {
			batch.forEach(p -> p.future().completeExceptionally(e));
			return;
		}
		Transaction tx = new Transaction();
		Object[] results = new Object[batch.size()];
		try {
			connection.begin(c);
			for (int i = 0; i < batch.size(); i++) {
				results[i] = batch.get(i).work().run(c, tx);
			}
			commit(c, tx);
		} catch (SQLException | RuntimeException e) {
			rollback(c);
			SQLException failure = e instanceof SQLException s ? s : new SQLException(e.toString(), e);
			connection.failed(c, failure);
			if (batch.size() == 1 || isConnectionFailure(failure)) {
				batch.forEach(p -> p.future().completeExceptionally(failure));
				return;
			}
			// One of them failed: run each alone so that only that one fails.
			for (Pending<?> p : batch) {
				runAlone(p);
			}
			return;
		}
		tx.afterCommit.forEach(GroupCommitter::runQuietly);
		Map<Executor, List<Runnable>> elsewhere = null;
		for (int i = 0; i < batch.size(); i++) {
			Pending<?> p = batch.get(i);
			Object result = results[i];
			if (p.completeOn() == null) {
				complete(p, result);
			} else {
				if (elsewhere == null) {
					elsewhere = new IdentityHashMap<>();
				}
				elsewhere.computeIfAbsent(p.completeOn(), e -> new ArrayList<>()).add(() -> complete(p, result));
			}
		}
		if (elsewhere != null) {
			elsewhere.forEach((executor, completions) -> {
				try {
					executor.execute(() -> completions.forEach(Runnable::run));
				} catch (RuntimeException rejected) {
					completions.forEach(Runnable::run);
				}
			});
		}
	}

	private <T> void runAlone(Pending<T> p) {
		Connection c;
		try {
			c = connection.get();
		} catch (SQLException e) {
			p.future().completeExceptionally(e);
			return;
		}
		Transaction tx = new Transaction();
		T result;
		try {
			connection.begin(c);
			result = p.work().run(c, tx);
			commit(c, tx);
		} catch (SQLException | RuntimeException e) {
			rollback(c);
			SQLException failure = e instanceof SQLException s ? s : new SQLException(e.toString(), e);
			connection.failed(c, failure);
			p.future().completeExceptionally(failure);
			return;
		}
		tx.afterCommit.forEach(GroupCommitter::runQuietly);
		p.future().complete(result);
	}

	private static void commit(Connection c, Transaction tx) throws SQLException {
		for (SqlAction a : tx.beforeCommit) {
			a.run(c);
		}
		c.commit();
	}

	private void rollback(Connection c) {
		try {
			c.rollback();
		} catch (SQLException ignored) {
			// a broken connection is replaced by WriteConnection.failed
		}
		onRollback.run();
	}

	@SuppressWarnings("unchecked")
	private static <T> void complete(Pending<T> p, Object result) {
		p.future().complete((T) result);
	}

	private static void runQuietly(Runnable r) {
		try {
			r.run();
		} catch (RuntimeException e) {
			LOG.log(System.Logger.Level.WARNING, "after-commit action failed: " + e);
		}
	}

	/**
	 * Whether a failure means the connection (or the server) is gone rather than that the statement was bad:
	 * SQL states of class 08 (connection exception), 57P (operator intervention: shutdown) and 53 (insufficient
	 * resources), or no state at all with a closed connection.
	 */
	static boolean isConnectionFailure(SQLException e) {
		for (Throwable t = e; t != null; t = t.getCause()) {
			if (t instanceof SQLException s && s.getSQLState() != null) {
				String state = s.getSQLState();
				if (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53")) {
					return true;
				}
			}
			if (t instanceof java.io.IOException) {
				return true;
			}
		}
		return false;
	}

	/** Fails whatever still waits (after close). */
	private void drainClosed() {
		for (Pending<?> p; (p = queue.poll()) != null;) {
			p.future().completeExceptionally(new SQLException("relay database is closed"));
		}
	}

	/** Runs what is queued, then stops the writer thread. */
	@Override
	public void close() {
		closed = true;
		queue.add(STOP);
		try {
			writer.join(TimeUnit.SECONDS.toMillis(CALL_TIMEOUT_SECONDS));
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		drainClosed();
	}
}
