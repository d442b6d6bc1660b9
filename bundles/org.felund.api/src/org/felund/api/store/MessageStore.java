package org.felund.api.store;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.felund.api.model.ChatMessage;
import org.felund.api.model.Delivery;

/**
 * Messages of one node home, kept at rest as ciphertext: every stored message has an {@code enc}
 * envelope and empty {@code text}/{@code display_name}. Callers decrypt on read. Safe for concurrent use
 * by several threads and by several processes on the same home.
 */
public interface MessageStore {
	/**
	 * Stores a message if its id is new to the circle. When this returns the message survives a crash of the
	 * process; whether it also survives power loss is the implementation's documented choice.
	 *
	 * @param atRest a message with {@code enc} set and no plaintext
	 * @return true if stored, false if the id was already there (first copy wins)
	 * @throws IllegalArgumentException when the message has no {@code enc}, carries plaintext or has an empty id
	 */
	boolean put(ChatMessage atRest);

	/**
	 * Stores many messages in one transaction; returns those that were new. If one of them may not be stored
	 * ({@link IllegalArgumentException} as for {@link #put}), none is.
	 */
	List<ChatMessage> putAll(Collection<ChatMessage> atRest);

	boolean contains(String circleId, String msgId);

	Optional<ChatMessage> get(String circleId, String msgId);

	/** The given ids that exist in the circle, in the order asked for. */
	List<ChatMessage> get(String circleId, List<String> msgIds);

	/** All ids of a circle, ascending by msg_id. */
	List<String> messageIds(String circleId);

	/**
	 * One page of a channel's history, newest first, strictly before {@code before} (null = from the newest).
	 */
	List<ChatMessage> history(String circleId, String channelId, SyncKey before, int limit);

	/** The newest {@code limit} messages of a circle, optionally without {@code __control}, newest first. */
	List<ChatMessage> recent(String circleId, boolean includeControl, int limit);

	/** Keys in {@code [from, to)} ascending (null bounds are open), at most {@code limit}. */
	List<SyncKey> keys(String circleId, SyncKey from, SyncKey to, int limit);

	/** Number of messages in {@code [from, to)} (null bounds are open). */
	long count(String circleId, SyncKey from, SyncKey to);

	/** Deletes every message of a circle (on leave). */
	void deleteCircle(String circleId);

	/** Applies a retention policy to every circle; returns how many messages were deleted. */
	int prune(RetentionPolicy policy, long nowSeconds);

	/** Applies a retention policy to one circle (each may have its own); returns how many messages were deleted. */
	int prune(String circleId, RetentionPolicy policy, long nowSeconds);

	/** Messages of a circle with row id greater than {@code afterSeq}, in insertion order: a change feed. */
	List<StoredMessage> since(String circleId, long afterSeq, int limit);

	/**
	 * The highest insertion sequence ever assigned by the store (0 for a new store). Sequences are never reused,
	 * even after the newest rows are pruned, so {@code since(c, lastSeq(), n)} never misses a later insert.
	 */
	long lastSeq();

	/**
	 * Records that a hop accepted a message this node wrote (kept until the message or its circle goes); a hop already
	 * recorded (same transport, peer and route) is kept as it was.
	 *
	 * @return whether it was new
	 */
	default boolean recordDelivery(String circleId, String msgId, Delivery.Hop hop) {
		throw new UnsupportedOperationException("This store keeps no delivery state");
	}

	/** The recorded hops of the given messages, by message id, oldest first; messages without hops are absent. */
	default Map<String, List<Delivery.Hop>> deliveries(String circleId, Collection<String> msgIds) {
		return Map.of();
	}

	/** A stored message with its local insertion sequence. */
	record StoredMessage(long seq, ChatMessage message) {
	}
}
