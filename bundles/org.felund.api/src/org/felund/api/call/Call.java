package org.felund.api.call;

import java.util.List;
import java.util.Objects;

/**
 * A call as the circle's {@code CALL_EVT} control events describe it (protocol §5.5): who hosts it, who takes part
 * (sending and receiving media with each other) and who watches (receiving the host's media only).
 *
 * @param sessionId the call's id ({@code session_id})
 * @param circleId the circle it belongs to
 * @param channelId the channel it was started in
 * @param hostNodeId the node that started it; only the host may end it or revoke someone
 * @param state {@link State#PENDING} while the host is alone, {@link State#ACTIVE} once someone joined or watches,
 *            {@link State#ENDED} once the host ended it or it timed out because the host vanished
 * @param participants the host and everyone who joined, in the order they joined
 * @param viewers everyone watching, in the order they came: the host sends to the first {@code viewer cap} of them
 * @param createdTs when it was started, Unix seconds
 * @param endReason why it ended ({@code ""} while it runs)
 */
public record Call(String sessionId, String circleId, String channelId, String hostNodeId, State state,
		List<String> participants, List<String> viewers, long createdTs, String endReason) {
	public enum State {
		PENDING, ACTIVE, ENDED
	}

	public Call {
		Objects.requireNonNull(sessionId, "sessionId");
		Objects.requireNonNull(circleId, "circleId");
		Objects.requireNonNull(channelId, "channelId");
		Objects.requireNonNull(hostNodeId, "hostNodeId");
		Objects.requireNonNull(state, "state");
		participants = List.copyOf(participants);
		viewers = List.copyOf(viewers);
		endReason = endReason == null ? "" : endReason;
	}

	public boolean isHost(String nodeId) {
		return hostNodeId.equals(nodeId);
	}

	public boolean ended() {
		return state == State.ENDED;
	}

	/** What {@code nodeId} is in this call. */
	public Role roleOf(String nodeId) {
		if (participants.contains(nodeId)) {
			return isHost(nodeId) ? Role.HOST : Role.PARTICIPANT;
		}
		return viewers.contains(nodeId) ? Role.VIEWER : Role.NONE;
	}

	/** Whether the node takes part or watches. */
	public boolean includes(String nodeId) {
		return roleOf(nodeId) != Role.NONE;
	}

	/** The viewers the host sends to with a cap of {@code cap}: the first ones who came. */
	public List<String> servedViewers(int cap) {
		return viewers.subList(0, Math.min(Math.max(cap, 0), viewers.size()));
	}
}
