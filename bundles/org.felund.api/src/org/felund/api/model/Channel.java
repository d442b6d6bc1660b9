package org.felund.api.model;

import java.util.Set;

/** A channel of a circle with its access rules and known membership. */
public record Channel(String circleId, String channelId, AccessMode accessMode, String ownerNodeId, long createdTs,
		String keyHash, Set<String> members, Set<String> pendingRequests) {
	public Channel {
		members = Set.copyOf(members);
		pendingRequests = Set.copyOf(pendingRequests);
		keyHash = keyHash == null ? "" : keyHash;
		ownerNodeId = ownerNodeId == null ? "" : ownerNodeId;
	}
}
