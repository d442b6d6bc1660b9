package org.felund.api.model;

/**
 * A decoded {@code felund1.} invite: the circle secret and a bootstrap hint, which is either a TCP
 * {@code host:port} or a relay base URL ({@code http://}, {@code https://} or {@code //}), or empty.
 */
public record Invite(String secretHex, String peer) {
	public boolean peerIsRelayUrl() {
		return peer.startsWith("http://") || peer.startsWith("https://") || peer.startsWith("//");
	}
}
