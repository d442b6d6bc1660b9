package org.felund.api.model;

import java.util.Set;

/**
 * A member of a circle as the node knows it.
 *
 * @param displayName the live display name (first 40 characters of the newest one seen), or {@code ""}
 * @param lastSeen Unix seconds of the last message or contact, 0 if never
 * @param transports ids of the transports that currently reach this member (e.g. {@code gossip}, {@code relay})
 */
public record Member(String nodeId, String displayName, long lastSeen, Set<String> transports) {
	public Member {
		transports = Set.copyOf(transports);
	}
}
