package org.felund.api.call;

import java.util.List;

/**
 * Audio/video calls over WebRTC, announced to the circle with CALL_EVT control events. 1:1 calls and
 * 1-to-N broadcasts (the host sends, viewers receive). Provided by the calls plugin when installed.
 */
public interface CallService {
	List<CallSession> calls(String circleId);

	/** Starts a call in a channel; {@code broadcast} makes others viewers instead of participants. */
	CallSession start(String circleId, String channelId, boolean broadcast);

	void join(String sessionId);

	void view(String sessionId);

	void leave(String sessionId);

	/** Host only. */
	void end(String sessionId);

	/** Host only: removes a participant or viewer. */
	void revoke(String sessionId, String nodeId);
}
