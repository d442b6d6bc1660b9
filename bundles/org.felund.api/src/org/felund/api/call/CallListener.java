package org.felund.api.call;

/**
 * Hears what happens to calls. Called on the calls service's own thread: return quickly, and hop to the UI thread
 * before touching widgets.
 */
public interface CallListener {
	/**
	 * A call of one of this node's circles changed: it was started, someone joined, watched, left or was revoked, or
	 * it ended ({@link Call#ended()}).
	 */
	default void callChanged(Call call) {
	}

	/**
	 * Another member just started a call in one of this node's circles (an incoming call); not called for calls
	 * found in the history at start.
	 */
	default void callStarted(Call call) {
	}

	/**
	 * This node's media, or a peer's connection or statistics changed (statistics at most once a second).
	 *
	 * @param sessionId the call this node is in, or {@code ""} when it just left one
	 */
	default void mediaChanged(String sessionId) {
	}
}
