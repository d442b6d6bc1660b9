package org.felund.api.node;

/**
 * Why a transport could not reach a peer of a circle, as it reported it (a refused connection, a timeout, a
 * relay that does not answer): what a join nobody answers tells the person who joined.
 *
 * @param peer what was dialled ({@code host:port}, a relay URL, a node id)
 * @param reason the transport's words, e.g. {@code Connection refused}
 * @param atSeconds when, Unix seconds
 */
public record ContactFailure(String transportId, String peer, String reason, long atSeconds) {
	public ContactFailure {
		transportId = transportId == null ? "" : transportId;
		peer = peer == null ? "" : peer;
		reason = reason == null || reason.isBlank() ? "no answer" : reason.strip();
	}
}
