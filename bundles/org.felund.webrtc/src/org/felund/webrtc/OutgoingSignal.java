package org.felund.webrtc;

import java.util.Objects;

/**
 * One signal to post ({@code POST /v1/signal}).
 *
 * @param sessionId 8 to 256 characters
 * @param toNode the recipient
 * @param circleHint a circle hint (the relay validates it and stores nothing)
 * @param type one of the relay's signal types
 * @param payload at most 65,536 characters
 * @param ttlSeconds how long the relay keeps it (it clamps to 10..60 for candidates, 10..120 otherwise)
 */
public record OutgoingSignal(String sessionId, String toNode, String circleHint, String type, String payload,
		int ttlSeconds) {
	public static final int MAX_PAYLOAD_CHARS = 65_536;

	public OutgoingSignal {
		Objects.requireNonNull(sessionId, "sessionId");
		Objects.requireNonNull(toNode, "toNode");
		Objects.requireNonNull(circleHint, "circleHint");
		Objects.requireNonNull(type, "type");
		Objects.requireNonNull(payload, "payload");
		if (payload.codePointCount(0, payload.length()) > MAX_PAYLOAD_CHARS) {
			throw new IllegalArgumentException("A signal payload is limited to " + MAX_PAYLOAD_CHARS + " characters");
		}
	}

	/** Candidates expire sooner: they are useless once the ICE timeout has passed. */
	public boolean isCandidate() {
		return type.endsWith("candidate");
	}
}
