package org.felund.webrtc;

import java.util.Objects;

/**
 * The signal types and session ids of one use of the mailbox. DataChannel gossip ({@link #DATA}, protocol §8.3) uses
 * {@code offer}/{@code answer}/{@code candidate} and the session id {@code <lo>:<hi>} of the two node ids; calls
 * (§8.4) add a profile with the {@code media-} types and {@code media:<call>:<lo>:<hi>}.
 *
 * @param offer the signal type of an offer
 * @param answer the signal type of an answer
 * @param candidate the signal type of a trickled ICE candidate
 * @param sessionPrefix what precedes {@code <lo>:<hi>} in the session id ({@code ""} for DataChannels)
 */
public record SignalProfile(String offer, String answer, String candidate, String sessionPrefix) {
	public static final SignalProfile DATA = new SignalProfile("offer", "answer", "candidate", "");

	/** Relay limits on the session id (§7.6). */
	public static final int MIN_SESSION_ID = 8;
	public static final int MAX_SESSION_ID = 256;

	public SignalProfile {
		Objects.requireNonNull(offer, "offer");
		Objects.requireNonNull(answer, "answer");
		Objects.requireNonNull(candidate, "candidate");
		Objects.requireNonNull(sessionPrefix, "sessionPrefix");
	}

	/** A call's media profile: {@code media:<callSession>:<lo>:<hi>}. */
	public static SignalProfile media(String callSessionId) {
		return new SignalProfile("media-offer", "media-answer", "media-candidate", "media:" + callSessionId + ":");
	}

	public boolean handles(String type) {
		return offer.equals(type) || answer.equals(type) || candidate.equals(type);
	}

	/** The session id both peers compute: the prefix, then the smaller node id, {@code :}, the larger (string order). */
	public String sessionId(String nodeA, String nodeB) {
		return nodeA.compareTo(nodeB) <= 0 ? sessionPrefix + nodeA + ":" + nodeB : sessionPrefix + nodeB + ":" + nodeA;
	}

	/** The rule of §8.3: the node whose id sorts first offers. */
	public static boolean offersFirst(String myNodeId, String peerNodeId) {
		return myNodeId.compareTo(peerNodeId) < 0;
	}

	/** TTL the web client gives: 60 s for candidates, 120 s otherwise (the relay's maxima). */
	public int ttlSeconds(String type) {
		return candidate.equals(type) ? 60 : 120;
	}
}
