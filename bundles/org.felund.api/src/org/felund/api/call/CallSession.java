package org.felund.api.call;

import java.util.List;

/** A call as known from CALL_EVT events. */
public record CallSession(String sessionId, String circleId, String channelId, String hostNodeId, State state,
		List<String> participants, List<String> viewers, long createdTs) {
	public enum State {
		PENDING, ACTIVE
	}

	public CallSession {
		participants = List.copyOf(participants);
		viewers = List.copyOf(viewers);
	}
}
