package org.felund.api.node;

/**
 * The local node: its id and display name.
 * <p>
 * The other components are deprecated: a transport's address and settings are the transport's own (Configuration
 * Admin), and what it makes reachable is advertised as {@link org.felund.api.transport.Endpoint}s; the anchor offer
 * is the {@link org.felund.api.anchor.AnchorPolicy}'s. They go away in API 0.3, leaving {@code (nodeId, displayName)}.
 */
public record NodeIdentity(String nodeId, String displayName, @Deprecated(forRemoval = true) String bindHost,
		@Deprecated(forRemoval = true) int port, @Deprecated(forRemoval = true) String relayUrl,
		@Deprecated(forRemoval = true) boolean canAnchor) {
	public NodeIdentity(String nodeId, String displayName) {
		this(nodeId, displayName, "", 0, "", false);
	}
}
