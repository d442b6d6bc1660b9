package org.felund.api.node;

import java.util.List;

import org.felund.api.model.ChatMessage;
import org.felund.api.model.Delivery;
import org.felund.api.transport.TransportState;

/**
 * Change notifications from the node. Called on a node thread: UIs must hop to their own thread.
 */
public interface NodeListener {
	/** A chat message (decrypted) was stored, created here or received. */
	default void messageAdded(ChatMessage message) {
	}

	/**
	 * A message this node wrote was accepted by one more peer, anchor or relay: {@code delivery} is its whole state
	 * now (status and path).
	 */
	default void messageDelivered(Delivery delivery) {
	}

	/**
	 * The anchors of a circle changed: {@code anchors} is the routing chain's order now, the chosen anchor first (empty:
	 * none). Told when the anchor policy chooses differently, e.g. after the anchor went away.
	 */
	default void anchorsChanged(String circleId, List<String> anchors) {
	}

	/** Circles, channels, names or membership changed in this circle, or a call event arrived (a chat line to show). */
	default void circleChanged(String circleId) {
	}

	default void transportChanged(String transportId, TransportState state) {
	}

	/** A transport was detached (its bundle stopped or was uninstalled): drop what is shown for it. */
	default void transportRemoved(String transportId) {
	}
}
