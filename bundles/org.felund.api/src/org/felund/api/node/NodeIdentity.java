package org.felund.api.node;

/** The local node: id, display name and where its gossip server listens. */
public record NodeIdentity(String nodeId, String displayName, String bindHost, int port, String relayUrl,
		boolean canAnchor) {
}
