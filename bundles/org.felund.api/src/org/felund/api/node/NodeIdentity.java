package org.felund.api.node;

/**
 * The local node: its id and display name. A transport's address and settings are the transport's own
 * (Configuration Admin) and what it makes reachable is advertised as {@link org.felund.api.transport.Endpoint}s; the
 * anchor offer is the {@link org.felund.api.anchor.AnchorPolicy}'s.
 */
public record NodeIdentity(String nodeId, String displayName) {
}
