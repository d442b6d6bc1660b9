package org.felund.transport.gossip.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.felund.api.model.ChatMessage;
import org.felund.api.model.ProtocolException;
import org.felund.api.transport.ReceiveResult;
import org.felund.protocol.wire.MessageJson;

import com.fasterxml.jackson.databind.JsonNode;

/** Hands what a peer sent to the node, where the acceptance rules live, and counts the outcome. */
final class Inbox {
	private Inbox() {
	}

	/**
	 * Takes one frame's messages: malformed ones and those of another circle are counted as rejected, the rest go to
	 * the node in one store transaction (a fresh sync is bound by commits).
	 *
	 * @param fromPeer where to note the ids that came from this peer (so live push does not echo them), or
	 *            {@code null}
	 */
	static void receiveAll(GossipSession session, JsonNode messages, Set<String> fromPeer) {
		if (messages == null || !messages.isArray()) {
			return;
		}
		String circleId = session.circleId();
		List<ChatMessage> batch = new ArrayList<>(messages.size());
		for (JsonNode m : messages) {
			ChatMessage message;
			try {
				message = MessageJson.fromWire(m);
			} catch (ProtocolException e) {
				session.stats.rejected();
				continue;
			}
			if (!message.circleId().equals(circleId)) {
				session.stats.rejected();
				continue;
			}
			if (fromPeer != null) {
				fromPeer.add(message.msgId());
			}
			batch.add(message);
		}
		for (ReceiveResult r : session.node().receiveAll(circleId, batch, GossipEngine.TRANSPORT_ID,
				session.peerNodeId())) {
			session.stats.received(r);
		}
	}

	/** The non-empty, not absurdly long text ids of a frame's id list, in order, without repeats. */
	static Set<String> idList(JsonNode frame, String key) {
		JsonNode list = frame.get(key);
		Set<String> ids = new LinkedHashSet<>();
		if (list != null && list.isArray()) {
			for (JsonNode id : list) {
				if (id.isTextual() && !id.textValue().isEmpty() && id.textValue().length() <= 128) {
					ids.add(id.textValue());
				}
			}
		}
		return ids;
	}
}
