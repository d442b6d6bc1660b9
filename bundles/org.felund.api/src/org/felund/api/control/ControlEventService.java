package org.felund.api.control;

import java.util.List;

/**
 * Sends and observes the control events of circles ({@code CHANNEL_EVT}, {@code CIRCLE_NAME_EVT},
 * {@code ANCHOR_ANNOUNCE}, {@code CALL_EVT}; protocol §5). An event sent here is wrapped in a message on channel
 * {@code __control} authored by this node, encrypted and MACed like a chat message, stored, applied locally and
 * handed to every transport, exactly like the events the node creates itself. Plugins (calls, anchors) use this
 * instead of speaking the wire format.
 */
public interface ControlEventService {
	/**
	 * Sends an event to a circle.
	 *
	 * @return the carrying message, as listeners will see it
	 * @throws IllegalArgumentException for an unknown circle, an event that would not parse back (e.g. a blank
	 *             session id) or one that names another node as its actor; nothing is stored then
	 */
	ControlMessage send(String circleId, ControlEvent event);

	/**
	 * Control events of a circle already stored, oldest first: those carried by messages created at or after
	 * {@code sinceTs} (seconds); when there are more than {@code limit}, the oldest {@code limit} (read on from the
	 * last one's {@code createdTs}, skipping ids already seen). Lets a plugin rebuild its state after a restart.
	 *
	 * @throws IllegalArgumentException for an unknown circle or a limit outside 1..10,000
	 */
	List<ControlMessage> history(String circleId, long sinceTs, int limit);

	void addListener(ControlListener listener);

	void removeListener(ControlListener listener);
}
