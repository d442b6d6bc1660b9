package org.felund.api.model;

import java.util.Objects;

/**
 * The five fields of a message that are authenticated as the envelope's AAD
 * ({@code msg_id|circle_id|channel_id|author_node_id|created_ts}).
 */
public record MessageHeader(String msgId, String circleId, String channelId, String authorNodeId, long createdTs) {
	public MessageHeader {
		Objects.requireNonNull(msgId, "msgId");
		Objects.requireNonNull(circleId, "circleId");
		Objects.requireNonNull(channelId, "channelId");
		Objects.requireNonNull(authorNodeId, "authorNodeId");
	}
}
