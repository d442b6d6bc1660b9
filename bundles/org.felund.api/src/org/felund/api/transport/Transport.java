package org.felund.api.transport;

import org.felund.api.model.Delivery;

import java.util.List;

/**
 * The one SPI every message transport implements (gossip over TCP, relay over HTTP/WebSocket, WebRTC
 * DataChannels). Transports are OSGi services; the node attaches each one it finds and detaches it when
 * it goes. A transport owns its threads and sockets between {@link #attach} and {@link #detach}.
 */
public interface Transport {
	/** Stable short id: {@code gossip}, {@code relay}, {@code webrtc}. */
	String id();

	/** Starts the transport for a node. Must return promptly; connecting happens in the background. */
	void attach(TransportContext context);

	/** Stops all activity and releases sockets and threads; idempotent. */
	void detach();

	TransportState state();

	/** Asks for a sync of one circle as soon as possible (e.g. after the user joined it). */
	default void syncNow(String circleId) {
	}

	/**
	 * The node's router asks for one step of a message's routing chain (docs/architecture.md, "Routing"): send it
	 * directly to the members this transport reaches ({@link Delivery.Route#DIRECT}), to the anchor
	 * {@code targetNodeId} ({@link Delivery.Route#ANCHOR}) or to the relays ({@link Delivery.Route#RELAY}). Returns
	 * promptly (the attempt runs in the background) and reports success through {@link TransportContext#delivered}.
	 *
	 * @return whether this transport can try that step now (false: the router tries the next step at once)
	 */
	default boolean route(String circleId, String msgId, Delivery.Route route, String targetNodeId) {
		return false;
	}

	/**
	 * The endpoints this transport would advertise with its current configuration, known without attaching it. A
	 * one-shot process (a CLI {@code invite} before or beside a running node) keeps transports detached, so that it
	 * does not take their ports, and builds invite codes from these; an attached transport advertises what it really
	 * listens on through {@link TransportContext#advertise}, which wins.
	 */
	default List<Endpoint> configuredEndpoints() {
		return List.of();
	}
}
