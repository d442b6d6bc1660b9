package org.felund.api.model;

import java.util.List;
import java.util.Objects;

/**
 * How far a message this node wrote has come: {@link Status#SENT} while no peer, anchor or relay has accepted it,
 * {@link Status#DELIVERED} once one has, with every hop that accepted it (the message's path), oldest first.
 *
 * @param circleId the message's circle
 * @param msgId the message
 * @param status sent or delivered
 * @param hops who accepted it, by which transport and route, oldest first (empty while only sent)
 */
public record Delivery(String circleId, String msgId, Status status, List<Hop> hops) {
	public Delivery {
		Objects.requireNonNull(circleId, "circleId");
		Objects.requireNonNull(msgId, "msgId");
		Objects.requireNonNull(status, "status");
		hops = List.copyOf(hops);
	}

	/** A message with no hop yet. */
	public static Delivery sent(String circleId, String msgId) {
		return new Delivery(circleId, msgId, Status.SENT, List.of());
	}

	/** The same delivery with one more hop (delivered from then on); a hop already known changes nothing. */
	public Delivery with(Hop hop) {
		if (hops.stream().anyMatch(h -> h.sameAs(hop))) {
			return this;
		}
		List<Hop> more = new java.util.ArrayList<>(hops);
		more.add(hop);
		return new Delivery(circleId, msgId, Status.DELIVERED, more);
	}

	public enum Status {
		/** Written and handed to the transports; nobody has accepted it yet. */
		SENT,
		/** A peer, an anchor or a relay has accepted it. */
		DELIVERED
	}

	/** Which step of the routing chain (direct → anchor → next anchor → relay) accepted a message. */
	public enum Route {
		/** A member that reads it (a gossip peer, a WebRTC channel peer). */
		DIRECT,
		/** A member that keeps ciphertext for members who are offline. */
		ANCHOR,
		/** A relay server (store and forward). */
		RELAY
	}

	/**
	 * One acceptance of a message.
	 *
	 * @param transportId the transport that carried it ({@code gossip}, {@code relay}, {@code webrtc})
	 * @param peer the member's node id, or for a relay its base URL
	 * @param route which step of the routing chain
	 * @param ts when it was accepted (Unix seconds, this node's clock)
	 */
	public record Hop(String transportId, String peer, Route route, long ts) {
		public Hop {
			Objects.requireNonNull(transportId, "transportId");
			peer = peer == null ? "" : peer;
			Objects.requireNonNull(route, "route");
		}

		boolean sameAs(Hop other) {
			return transportId.equals(other.transportId) && peer.equals(other.peer) && route == other.route;
		}

		/** A short line for tooltips and {@code inbox}: {@code gossip → 3f2a9c01 (anchor)}. */
		public String describe() {
			String who = peer.length() > 8 && route != Route.RELAY ? peer.substring(0, 8) : peer;
			return transportId + " \u2192 " + (who.isEmpty() ? "?" : who) + " (" + route.name().toLowerCase(java.util.Locale.ROOT) + ")";
		}
	}
}
