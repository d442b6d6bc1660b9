package org.felund.api.node;

import org.felund.api.model.ChatMessage;
import org.felund.api.transport.TransportState;

/**
 * Change notifications from the node. Called on a node thread: UIs must hop to their own thread.
 */
public interface NodeListener {
	/** A chat message (decrypted) was stored, created here or received. */
	default void messageAdded(ChatMessage message) {
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
