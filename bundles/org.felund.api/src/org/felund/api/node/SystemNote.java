package org.felund.api.node;

/**
 * A control event told as one line a chat view can show ("alice created #dev (key)").
 *
 * @param channelId the channel the event concerns; circle-wide events (names, new channels) concern
 *            {@code general}
 * @param msgId the id of the {@code __control} message that carried the event
 * @param createdTs when the event was sent, Unix seconds
 * @param text the readable line, without the time or a leading marker
 */
public record SystemNote(String circleId, String channelId, String msgId, String authorNodeId, long createdTs,
		String text) {
}
