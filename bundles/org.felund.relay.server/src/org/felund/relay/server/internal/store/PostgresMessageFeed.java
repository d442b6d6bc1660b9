package org.felund.relay.server.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.felund.relay.server.internal.store.RelayStore.MessageListener;
import org.felund.relay.server.internal.store.RelayStore.StoredMessage;
import org.postgresql.PGConnection;

/**
 * Live delivery across relay instances: one thread per instance that {@code LISTEN}s on
 * {@value PostgresRelayStore#MESSAGES_CHANNEL} and, on every notification, reads the rows committed since the
 * last one it delivered ({@code seq > delivered}, in seq order) and hands them to the listener (the
 * instance's WebSocket hub). Rows posted on this instance take the same path, so every row reaches every
 * instance's subscribers exactly once.
 *
 * <p>Notifications only say "something new"; the rows themselves come from the table. So a notification that
 * is lost while the listening connection is down loses nothing: after reconnecting the feed catches up from
 * {@code delivered}. It also checks the clock once a second without a notification, which bounds the delay if
 * a notification is ever missed.
 */
final class PostgresMessageFeed implements AutoCloseable {
	private static final System.Logger LOG = System.getLogger(PostgresMessageFeed.class.getName());
	private static final int PAGE = 1000;
	private static final int WAIT_MILLIS = 1000;
	private static final long MAX_BACKOFF_MILLIS = 2000;

	private final PostgresConnections connections;
	private volatile long delivered;
	private volatile boolean listening;
	private volatile boolean closed;
	private boolean caughtUp;
	private volatile Connection current;
	private Thread thread;
	private MessageListener listener;

	/** @param delivered the seq up to which rows count as delivered (the clock when the relay started) */
	PostgresMessageFeed(PostgresConnections connections, long delivered) {
		this.connections = connections;
		this.delivered = delivered;
	}

	synchronized void start(MessageListener l) {
		if (thread != null) {
			throw new IllegalStateException("delivery already started");
		}
		this.listener = Objects.requireNonNull(l);
		thread = new Thread(this::run, "felund-relay-pg-listener");
		thread.setDaemon(true);
		thread.start();
	}

	/** Waits until the feed listens and has caught up once, at most {@code millis}. */
	synchronized void awaitListening(long millis) {
		long deadline = System.currentTimeMillis() + millis;
		while (!caughtUp && !closed) {
			long left = deadline - System.currentTimeMillis();
			if (left <= 0) {
				return;
			}
			try {
				wait(left);
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	/** Whether the listening connection is up (else the feed is reconnecting and will catch up). */
	boolean listening() {
		return thread == null || listening;
	}

	private void run() {
		long backoff = 100;
		boolean reported = false;
		while (!closed) {
			Connection c = null;
			try {
				c = connections.open();
				current = c;
				try (Statement s = c.createStatement()) {
					s.execute("LISTEN " + PostgresRelayStore.MESSAGES_CHANNEL);
				}
				listening = true;
				if (reported) {
					LOG.log(System.Logger.Level.INFO, "live delivery reconnected to the database; catching up");
					reported = false;
				}
				backoff = 100;
				PGConnection pg = c.unwrap(PGConnection.class);
				catchUp(c);
				synchronized (this) {
					caughtUp = true;
					notifyAll();
				}
				while (!closed) {
					pg.getNotifications(WAIT_MILLIS);
					catchUp(c);
				}
			} catch (SQLException | RuntimeException e) {
				listening = false;
				if (closed) {
					break;
				}
				if (!reported) {
					LOG.log(System.Logger.Level.WARNING, "live delivery lost the database (" + e.getMessage()
							+ "); retrying, nothing is lost");
					reported = true;
				}
				sleep(backoff);
				backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
			} finally {
				listening = false;
				current = null;
				PostgresConnections.closeQuietly(c);
			}
		}
	}

	/** Delivers every row committed after {@link #delivered}, in seq order. */
	private void catchUp(Connection c) throws SQLException {
		long high = PostgresRelayStore.messageHigh(c);
		while (delivered < high && !closed) {
			List<Row> rows = new ArrayList<>();
			try (PreparedStatement ps = c.prepareStatement("""
					SELECT seq, circle_hint, msg_id, stored_at, sender_node, payload FROM messages
					WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?""")) {
				ps.setLong(1, delivered);
				ps.setLong(2, high);
				ps.setInt(3, PAGE);
				try (ResultSet rs = ps.executeQuery()) {
					while (rs.next()) {
						rows.add(new Row(rs.getString(2), rs.getString(5),
								new StoredMessage(rs.getLong(1), rs.getString(3), rs.getLong(4), rs.getString(6))));
					}
				}
			}
			if (rows.isEmpty()) {
				// Only gaps (skipped duplicates) or pruned rows up to the clock.
				delivered = high;
				return;
			}
			deliver(rows);
			delivered = rows.get(rows.size() - 1).message().seq();
		}
	}

	private record Row(String circleHint, String sender, StoredMessage message) {
	}

	/** Consecutive rows of the same circle and sender go out as one push frame. */
	private void deliver(List<Row> rows) {
		int from = 0;
		for (int i = 1; i <= rows.size(); i++) {
			if (i == rows.size() || !sameGroup(rows.get(from), rows.get(i))) {
				List<StoredMessage> group = new ArrayList<>(i - from);
				for (int j = from; j < i; j++) {
					group.add(rows.get(j).message());
				}
				try {
					listener.stored(rows.get(from).circleHint(), rows.get(from).sender(), group);
				} catch (RuntimeException e) {
					LOG.log(System.Logger.Level.WARNING, "pushing messages to subscribers failed: " + e);
				}
				from = i;
			}
		}
	}

	private static boolean sameGroup(Row a, Row b) {
		return a.circleHint().equals(b.circleHint()) && Objects.equals(a.sender(), b.sender());
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		closed = true;
		Thread t;
		synchronized (this) {
			t = thread;
			notifyAll();
		}
		if (t != null) {
			// Closing the connection ends a wait in getNotifications at once.
			PostgresConnections.closeQuietly(current);
			t.interrupt();
			try {
				t.join(5000);
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}
	}
}
