package org.felund.api.transport;

import java.util.List;
import java.util.Optional;

import org.felund.api.anchor.AnchorStore;
import org.felund.api.model.ChatMessage;
import org.felund.api.model.Delivery;
import org.felund.api.model.Peer;
import org.felund.api.store.CircleStore;
import org.felund.api.store.MessageStore;

/**
 * What the node offers a transport it attaches. All acceptance rules (decrypt or MAC, circle match,
 * dedupe, control events) live behind {@link #receive}, so every transport accepts exactly the same.
 */
public interface TransportContext {
	String nodeId();

	String displayName();

	/**
	 * Whether this node offers to anchor ciphertext for others ({@code can_anchor} in HELLO, WELCOME and relay
	 * presence): what the node's {@link org.felund.api.anchor.AnchorPolicy} says, false without one.
	 */
	boolean canAnchor();

	/**
	 * Whether to run the anchor exchange (protocol §4.9) with a peer that advertised {@code can_anchor}: the node's
	 * {@link org.felund.api.anchor.AnchorPolicy} decides; without one, any peer that offers is used.
	 */
	default boolean exchangeAnchorWith(String circleId, String peerNodeId, boolean peerCanAnchor) {
		return peerCanAnchor;
	}

	/**
	 * Replaces the endpoints this transport advertises for the node (an empty list withdraws them). Invite codes
	 * and other transports read them through {@link #endpoints()}; nothing about a transport's settings lives in
	 * the node.
	 */
	default void advertise(String transportId, List<Endpoint> endpoints) {
	}

	/** What every attached transport advertises now, in attachment order. */
	default List<Endpoint> endpoints() {
		return List.of();
	}

	List<CircleAccess> circles();

	Optional<CircleAccess> circle(String circleId);

	/** Finds the circle whose relay hint this is. */
	Optional<CircleAccess> circleByHint(String circleHint);

	MessageStore messages();

	CircleStore state();

	/**
	 * Hands an inbound message to the node.
	 *
	 * @param circleId the circle the transport authenticated (handshake or relay hint)
	 * @param transportId which transport it came by, for the members' "reached by" column
	 * @param fromNodeId the peer that delivered it, or {@code null} when unknown
	 */
	ReceiveResult receive(String circleId, ChatMessage message, String transportId, String fromNodeId);

	/**
	 * Hands a batch of inbound messages of one circle to the node, with the same rules as {@link #receive}
	 * for each, stored in one transaction (a fresh sync of a large circle is bound by per-message commits).
	 *
	 * @return one result per message, in order
	 */
	default List<ReceiveResult> receiveAll(String circleId, List<ChatMessage> messages, String transportId,
			String fromNodeId) {
		return messages.stream().map(m -> receive(circleId, m, transportId, fromNodeId)).toList();
	}

	/** A wire-ready copy of a stored message: decrypted, with the MAC and the stored {@code enc} (not sealed again). */
	Optional<ChatMessage> wireCopy(String circleId, String msgId);

	/** Records a peer learned by this transport (membership and dialable address). */
	void peerSeen(String circleId, Peer peer, String transportId);

	/**
	 * Reports that a peer, an anchor or a relay has accepted a message: gossip when the peer has it (acknowledged in
	 * an extended session, listed in a reference peer's {@code MSGS_HAVE}, or counted in {@code ANCHOR_PUSH_ACK}), the
	 * relay when its {@code POST /v1/messages} answered 2xx, WebRTC when the channel peer has it. The node keeps the
	 * delivery state of the messages it wrote (persisted) and tells listeners; other messages are ignored, and so is a
	 * hop it already knows.
	 *
	 * @param peer the member's node id, or for a store-and-forward server (a relay) its base URL
	 * @param route which step of the routing chain accepted it; {@link Delivery.Route#DIRECT} for a member is
	 *            reported as {@link Delivery.Route#ANCHOR} when that member is one of the circle's anchors
	 */
	default void delivered(String circleId, String msgId, String transportId, String peer, Delivery.Route route) {
	}

	/**
	 * The circle's anchors in the order the routing chain tries them: the anchor the node's policy chose, then the
	 * next ones by rank (empty without an anchor policy or without anchors).
	 */
	default List<String> anchors(String circleId) {
		return List.of();
	}

	/**
	 * Where this node keeps ciphertext for others while it anchors (protocol §4.9/§6): the anchor plugin's store,
	 * empty when none is installed (then a transport keeps nothing for others).
	 */
	default Optional<AnchorStore> anchorStore() {
		return Optional.empty();
	}

	/**
	 * Reports what a transport observed about how others reach this node, the evidence for {@code public_reachable}
	 * (never what a node claims about itself): an inbound connection accepted from {@code remoteHost}, or the address
	 * a relay observes for us ({@code observedByRelay}).
	 *
	 * @param remoteHost the remote address of an accepted inbound connection, or the host a relay observed for us
	 * @param inbound true for an accepted inbound connection, false for a relay's observation
	 */
	default void observed(String transportId, String remoteHost, boolean inbound) {
	}

	/** Reports that a member is (or is no longer) reachable by this transport. */
	void reachability(String circleId, String nodeId, String transportId, boolean reachable);

	/**
	 * Reports that a peer of a circle could not be reached (a refused or timed-out connection, a failed handshake, a
	 * relay that does not answer), so that a join nobody answers can say why ({@code NodeService.contactFailures}).
	 * Cheap; call it for each failed attempt.
	 *
	 * @param peer what was dialled: {@code host:port}, a relay URL or a node id
	 */
	default void unreachable(String transportId, String circleId, String peer, String reason) {
	}

	/** Tells listeners the transport's state changed (the status line listens). */
	void stateChanged(Transport transport);

	void addListener(NodeEvents listener);

	void removeListener(NodeEvents listener);

	/** Local events a transport reacts to. */
	interface NodeEvents {
		/** A message was stored: created here or received by any transport. */
		default void messageStored(String circleId, ChatMessage message, String originTransportId) {
		}

		default void circleAdded(String circleId) {
		}

		default void circleRemoved(String circleId) {
		}
	}
}
