package org.felund.relay.server.internal.store;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Everything the relay keeps: messages, presence, circle signing keys, request nonces, signals and the signal
 * rate limit. Two implementations: {@link SqliteRelayStore} (one machine, embedded) and
 * {@link PostgresRelayStore} (several relay instances on one shared database).
 *
 * <p>Every write is acknowledged only after the transaction that holds it has committed; concurrent writes
 * share transactions (group commit). Any method may throw {@link SQLException} when the database fails or is
 * unreachable; the HTTP layer answers 503 and the store recovers on its own when the database is back.
 *
 * <p>Messages get a strictly increasing {@code seq} in commit order across all instances: a reader that has
 * seen {@code seq} {@code n} will never later see a row appear below {@code n}. Signal ids have the same
 * property. Both are the clients' poll cursors.
 */
public interface RelayStore extends AutoCloseable {

	/** A stored relay message as the poll and push paths return it. */
	record StoredMessage(long seq, String msgId, long storedAt, String payload) {
	}

	/** A message to insert: its id, author timestamp and the compact JSON (ASCII) to store verbatim. */
	record NewMessage(String msgId, long createdTs, String payload) {
	}

	/** What one circle hint may hold: unexpired messages and their bytes. */
	record CircleQuota(long messages, long bytes) {
		public static final CircleQuota NONE = new CircleQuota(Long.MAX_VALUE, Long.MAX_VALUE);
	}

	/** What a circle holds now (messages stored and not yet pruned). */
	record CircleUsage(long messages, long bytes) {
	}

	/**
	 * The outcome of an insert: the rows actually inserted (duplicates skipped), or none because the post would
	 * have taken its circle over its quota.
	 */
	record Inserted(List<StoredMessage> rows, boolean overQuota) {
		public static final Inserted NOTHING = new Inserted(List.of(), false);
	}

	/** One page of a poll. {@code cursor} is the seq to continue after; {@code more} says a page was cut. */
	record MessagePage(List<StoredMessage> messages, long cursor, boolean more) {
	}

	record Presence(String nodeId, String circleHint, String endpointsJson, String capabilitiesJson,
			long observedAt, long expiresAt) {
	}

	record CircleKey(String circleHint, String signingKey, long boundAt, long expiresAt) {
	}

	record Signal(long id, String sessionId, String fromNode, String toNode, String type, String payload,
			long createdAt) {
	}

	/** A signal refused because its recipient's mailbox is full: {@link #insertSignal} returns this id. */
	long MAILBOX_FULL = -1;

	/** Numbers of rows removed by one {@link #prune} run. */
	record PruneResult(int messages, int presence, int signals, int nonces, int keys, int rateWindows) {
	}

	/** What {@code /v1/health} reports about the database. */
	record Health(String backend, boolean available, String detail) {
	}

	/**
	 * Receives messages once they are committed, on any instance of the cluster: each committed row is passed
	 * exactly once per live listener, in {@code seq} order.
	 */
	interface MessageListener {
		/**
		 * @param senderNodeId the poster's {@code X-Felund-Node} (its own sockets are skipped), or {@code null}
		 */
		void stored(String circleHint, String senderNodeId, List<StoredMessage> messages);
	}

	/** {@code sqlite} or {@code postgresql}. */
	String backend();

	/** Starts delivering committed messages to {@code listener} (the WebSocket push). Call once. */
	void startDelivery(MessageListener listener);

	// ---------------------------------------------------------------- messages

	/**
	 * Stores new messages in order, skipping those whose (circle_hint, msg_id) is already stored, unless the post
	 * would take the circle over {@code quota} (then nothing is stored). The future completes after the commit, or
	 * fails with an {@link SQLException}.
	 */
	default CompletableFuture<Inserted> insertMessages(String circleHint, String senderNodeId,
			List<NewMessage> messages, long now, CircleQuota quota) {
		return insertMessages(circleHint, senderNodeId, messages, now, quota, null);
	}

	/**
	 * As {@link #insertMessages(String, String, List, long, CircleQuota)}, with the future completed on
	 * {@code completeOn} (the I/O thread that answers the request) rather than on the writer thread; {@code null}:
	 * anywhere.
	 */
	CompletableFuture<Inserted> insertMessages(String circleHint, String senderNodeId, List<NewMessage> messages,
			long now, CircleQuota quota, java.util.concurrent.Executor completeOn);

	/** What the circle holds now (its quota's measure). */
	CircleUsage usage(String circleHint) throws SQLException;

	/**
	 * One page of a circle's unexpired messages in seq order, cut after {@code limit} rows or once the payloads
	 * reach {@code maxBytes} (at least one row), with {@link MessagePage#more()} set when it was cut.
	 *
	 * @param afterSeq      return rows with a larger seq (used when {@code afterStoredAt} is negative)
	 * @param afterStoredAt when {@code >= 0}: return rows stored after this second instead (reference cursor)
	 * @param validAfter    rows stored at or before this second have expired
	 */
	MessagePage readMessages(String circleHint, long afterSeq, long afterStoredAt, int limit, long validAfter,
			long maxBytes) throws SQLException;

	/**
	 * The newest {@code limit} messages stored after {@code storedAfter} (and still valid) whose payloads fit in
	 * {@code maxBytes} (at least one), oldest first, up to the seq in {@link MessagePage#cursor()}: every row above
	 * it is delivered to listeners later.
	 */
	MessagePage recentMessages(String circleHint, long storedAfter, long validAfter, int limit, long maxBytes)
			throws SQLException;

	// ---------------------------------------------------------------- presence

	void upsertPresence(Presence p) throws SQLException;

	/** @return whether a row was deleted */
	boolean deletePresence(String circleHint, String nodeId) throws SQLException;

	/** Unexpired presence rows of a circle, newest observation first, without {@code excludeNodeId}. */
	List<Presence> peers(String circleHint, String excludeNodeId, long now, int limit) throws SQLException;

	/** How many of the given nodes have unexpired presence in the circle. */
	int presentCount(String circleHint, List<String> nodeIds, long now) throws SQLException;

	/** Whether the node has unexpired presence in any circle. */
	boolean presentAnywhere(String nodeId, long now) throws SQLException;

	// ---------------------------------------------------------------- signing keys and nonces

	Optional<CircleKey> circleKey(String circleHint, long now) throws SQLException;

	/**
	 * Binds {@code signingKey} to the circle if the currently bound key (if any, and unexpired) is
	 * {@code expectedCurrent} ({@code null}: none bound). Compare-and-set, so two racing first registrations
	 * cannot both win, on one instance or several.
	 *
	 * @return whether the key was bound
	 */
	boolean bindCircleKey(String circleHint, String expectedCurrent, String signingKey, long now, long expiresAt)
			throws SQLException;

	/** Extends the binding of the circle's current key (a verified request used it). */
	void touchCircleKey(String circleHint, String signingKey, long expiresAt) throws SQLException;

	/** Binds {@code signingKey} whatever is bound now (an operator's decision, {@code felund-relay admin}). */
	void setCircleKey(String circleHint, String signingKey, long now, long expiresAt) throws SQLException;

	/** Replaces the stored form of a key (sealing a key stored before sealing existed) if it is still the same. */
	boolean replaceStoredKey(String circleHint, String expectedStored, String newStored) throws SQLException;

	/** @return whether a binding was removed */
	boolean deleteCircleKey(String circleHint) throws SQLException;

	/** Every binding, expired or not, ordered by circle hint. */
	List<CircleKey> circleKeys() throws SQLException;

	/** A value of the relay's own metadata table, or {@code null}. */
	String meta(String key) throws SQLException;

	/** Stores a metadata value unless one exists; returns the value stored now (this one or the earlier one). */
	String putMetaIfAbsent(String key, String value) throws SQLException;

	/** Stores a metadata value, replacing any. */
	void putMeta(String key, String value) throws SQLException;

	boolean nonceSeen(String nonce) throws SQLException;

	/** @return {@code false} if the nonce was recorded before (a replay, possibly on another instance) */
	boolean recordNonce(String nonce, long ts) throws SQLException;

	// ---------------------------------------------------------------- signals

	/**
	 * Stores a signal unless its recipient already has {@code mailboxRows} unexpired signals or their payloads
	 * would pass {@code mailboxBytes}.
	 *
	 * @return the signal's id, or {@link #MAILBOX_FULL}
	 */
	long insertSignal(String circleHint, String sessionId, String fromNode, String toNode, String type,
			String payload, long now, long expiresAt, int mailboxRows, long mailboxBytes) throws SQLException;

	/**
	 * Unexpired signals for {@code toNode} above {@code sinceId}, in id order, at most {@code limit} and (after the
	 * first) at most {@code maxBytes} of payload.
	 *
	 * @param circleHintOrNull only signals posted for this circle
	 */
	List<Signal> signals(String toNode, String circleHintOrNull, long sinceId, String sessionIdOrNull, long now,
			int limit, long maxBytes) throws SQLException;

	/**
	 * Counts one signal post under {@code key} (a sender, {@code to:}-prefixed recipient, …) in a fixed window.
	 *
	 * @return {@code 0} if allowed, otherwise the whole seconds (at least 1) until the window ends
	 */
	long acquireSignalRate(String key, long nowMillis, int limit, long windowMillis) throws SQLException;

	// ---------------------------------------------------------------- maintenance

	/**
	 * Deletes messages stored at or before {@code messagesStoredUntil}, expired presence rows, signals and circle
	 * keys, nonces older than {@code nonceCutoff} and rate-limit windows that ended before
	 * {@code rateCutoffMillis}. With several instances only one of them prunes per {@code intervalSeconds}.
	 *
	 * @return what was removed, or empty when another instance has pruned recently
	 */
	Optional<PruneResult> prune(long now, long messagesStoredUntil, long nonceCutoff, long rateCutoffMillis,
			long intervalSeconds) throws SQLException;

	/** Checks the database now (a cheap round trip). */
	Health health();

	@Override
	void close();
}
