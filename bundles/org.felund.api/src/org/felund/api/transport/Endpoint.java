package org.felund.api.transport;

import java.util.Objects;

/**
 * An address at which a transport makes this node reachable, as it advertises it: invite codes and other
 * transports read these instead of any transport's settings.
 *
 * @param transportId the advertising transport ({@code gossip}, {@code relay}, …)
 * @param kind what the address is
 * @param address {@code host:port} for {@link Kind#DIRECT}, an {@code http(s)://} base URL for {@link Kind#RELAY}
 */
public record Endpoint(String transportId, Kind kind, String address) {
	public enum Kind {
		/** A {@code host:port} peers dial directly (gossip over TCP). Preferred in invite codes. */
		DIRECT,
		/** A relay base URL through which peers reach this node (relay transport, WebRTC signaling). */
		RELAY
	}

	public Endpoint {
		Objects.requireNonNull(transportId, "transportId");
		Objects.requireNonNull(kind, "kind");
		Objects.requireNonNull(address, "address");
	}
}
