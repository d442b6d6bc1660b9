package org.felund.api.anchor;

import java.util.List;

import org.felund.api.model.ChatMessage;

/**
 * The envelopes an anchor keeps for offline members: ciphertext only, bounded per circle
 * (age, count and bytes), never decrypted on store.
 */
public interface AnchorStore {
	/** Stores envelopes (existing ids are kept) and prunes; returns how many were offered. */
	int push(String circleId, List<ChatMessage> envelopes, long nowSeconds);

	/** Envelopes stored after {@code since}, oldest first, at most {@code limit}. */
	List<ChatMessage> pull(String circleId, long since, int limit);
}
