package org.felund.api.control;

import java.util.Objects;

/**
 * A control event together with the message that carried it. {@code authorNodeId} is the author of the carrying
 * message, which the circle's key authenticates; an event's own {@code actor_node_id} is only what the event claims.
 * Every member holds the same circle key, so authorship proves membership, not identity: rules that depend on who
 * acted (host-only call operations, channel approvals) compare the claimed actor with this author.
 *
 * @param circleId the circle the message belongs to
 * @param msgId the carrying message's id
 * @param authorNodeId the carrying message's author
 * @param authorName the author's display name on that message
 * @param createdTs the carrying message's {@code created_ts} (seconds)
 * @param event the parsed event
 */
public record ControlMessage(String circleId, String msgId, String authorNodeId, String authorName, long createdTs,
		ControlEvent event) {
	public ControlMessage {
		Objects.requireNonNull(circleId, "circleId");
		Objects.requireNonNull(msgId, "msgId");
		Objects.requireNonNull(authorNodeId, "authorNodeId");
		Objects.requireNonNull(event, "event");
		authorName = authorName == null ? "" : authorName;
	}

	/** Whether the event's claimed actor (where it has one) is the author of the carrying message. */
	public boolean actorIsAuthor() {
		String actor = switch (event) {
		case ChannelEvent e -> e.actorNodeId();
		case CallEvent e -> e.actorNodeId();
		case AnchorAnnounce e -> e.nodeId();
		case CircleNameEvent e -> null;
		};
		return actor == null || actor.isBlank() || actor.equals(authorNodeId);
	}
}
