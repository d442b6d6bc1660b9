package org.felund.transport.gossip.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.felund.api.model.ChatMessage;
import org.felund.api.model.ProtocolException;
import org.felund.api.transport.TransportContext;
import org.felund.protocol.wire.Json;
import org.felund.protocol.wire.MessageJson;
import org.felund.transport.gossip.internal.GossipSession.State;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The anchor exchange after a reference sync (protocol §4.9): the client pushes recent ciphertext to an anchor
 * (ANCHOR_PUSH / ANCHOR_PUSH_ACK) and pulls what the anchor kept for the circle since its last pull (ANCHOR_PULL /
 * ANCHOR_MSGS); the anchor side keeps and serves envelopes from the node's anchor store (the anchor plugin's SQLite file, or the transport's memory store without the plugin). It is
 * best effort: the sync is already complete, so a peer that stops answering only ends the session.
 */
final class AnchorExchange {
	static final Duration ANCHOR_WAIT = Duration.ofSeconds(3);
	static final Duration ANCHOR_ACK_WAIT = Duration.ofSeconds(5);
	static final Duration ANCHOR_MSGS_WAIT = Duration.ofSeconds(10);
	/** Recent messages offered to an anchor in one push. */
	static final int PUSH_RECENT = 200;
	static final int ANCHOR_PULL_SCAN = 10_000;

	private final GossipSession session;
	private final GossipEngine engine;
	private List<String> pushed = List.of();

	AnchorExchange(GossipSession session) {
		this.session = session;
		this.engine = session.engine();
	}

	// ---------------------------------------------------------------- client: we use an anchor

	void sendPush() {
		TransportContext node = engine.context();
		String circleId = session.circleId();
		ObjectNode push = Frames.frame(Frames.ANCHOR_PUSH);
		push.put("circle_id", circleId);
		ArrayNode envelopes = push.putArray("envelopes");
		int budget = session.codec().jsonBudget() - Json.ascii(push).length();
		for (ChatMessage recent : node.messages().recent(circleId, false, PUSH_RECENT)) {
			Optional<ChatMessage> copy = node.wireCopy(circleId, recent.msgId());
			if (copy.isEmpty() || copy.get().enc() == null) {
				continue;
			}
			ObjectNode envelope = MessageJson.toRelayEnvelope(copy.get());
			int cost = Json.ascii(envelope).length() + 1;
			if (cost > budget) {
				break;
			}
			budget -= cost;
			envelopes.add(envelope);
		}
		session.write(push);
		pushed = new ArrayList<>();
		envelopes.forEach(e -> pushed.add(e.path("msg_id").asText()));
		session.expect(State.AWAIT_ANCHOR_ACK, ANCHOR_ACK_WAIT);
	}

	void onAck(ObjectNode ack, String type) {
		if (Frames.ANCHOR_PUSH_ACK.equals(type)) {
			DeliveryAcks.anchorKeeps(session, pushed);
		}
		ObjectNode pull = Frames.frame(Frames.ANCHOR_PULL);
		pull.put("circle_id", session.circleId());
		pull.put("since", engine.anchorCursor(session.circleId(), session.peerNodeId()));
		session.write(pull);
		session.expect(State.AWAIT_ANCHOR_MSGS, ANCHOR_MSGS_WAIT);
	}

	void onMsgs(ObjectNode msgs, String type) {
		if (Frames.ANCHOR_MSGS.equals(type)) {
			String circleId = session.circleId();
			long serverTime = Frames.integer(msgs, "server_time", 0);
			if (serverTime > 0) {
				engine.anchorCursor(circleId, session.peerNodeId(), serverTime);
			}
			JsonNode envelopes = msgs.get("envelopes");
			if (envelopes != null && envelopes.isArray()) {
				TransportContext node = engine.context();
				for (JsonNode e : envelopes) {
					try {
						ChatMessage m = MessageJson.fromRelayEnvelope(e);
						if (!m.circleId().equals(circleId)) {
							session.stats.rejected();
							continue;
						}
						session.stats.received(node.receive(circleId, m, GossipEngine.TRANSPORT_ID, session.peerNodeId()));
					} catch (ProtocolException ex) {
						session.stats.rejected();
					}
				}
			}
		}
		session.finish();
	}

	// ---------------------------------------------------------------- server: we are the anchor

	void onPush(ObjectNode push, String type) {
		if (!Frames.ANCHOR_PUSH.equals(type)) {
			session.finish();
			return;
		}
		JsonNode list = push.get("envelopes");
		List<ChatMessage> envelopes = new ArrayList<>();
		int received = 0;
		if (list != null && list.isArray()) {
			received = list.size();
			for (JsonNode e : list) {
				try {
					envelopes.add(MessageJson.fromRelayEnvelope(e));
				} catch (ProtocolException ex) {
					// Malformed or plaintext-only envelopes are not kept; the count still reports what came.
				}
			}
		}
		engine.anchorStore().push(session.circleId(), envelopes, engine.now());
		ObjectNode ack = Frames.frame(Frames.ANCHOR_PUSH_ACK);
		ack.put("stored", received);
		session.write(ack);
		session.expect(State.AWAIT_ANCHOR_PULL, ANCHOR_WAIT);
	}

	void onPull(ObjectNode pull, String type) {
		if (!Frames.ANCHOR_PULL.equals(type)) {
			session.finish();
			return;
		}
		long since = Frames.integer(pull, "since", 0);
		List<ChatMessage> matches = engine.anchorStore().pull(session.circleId(), since, ANCHOR_PULL_SCAN);
		ObjectNode msgs = Frames.frame(Frames.ANCHOR_MSGS);
		ArrayNode envelopes = msgs.putArray("envelopes");
		long now = engine.now();
		int budget = session.codec().jsonBudget() - Json.ascii(msgs).length() - 32;
		long serverTime = now;
		for (int i = 0; i < matches.size(); i++) {
			ObjectNode envelope = MessageJson.toRelayEnvelope(matches.get(i));
			int cost = Json.ascii(envelope).length() + 1;
			if (cost > budget) {
				// Cut here and move the peer's cursor only up to what it got, so the rest comes next time
				// (the reference would jump to "now" and lose the remainder, §10 #5).
				long firstLeftOut = matches.get(i).createdTs();
				serverTime = firstLeftOut - 1 > since ? firstLeftOut - 1 : firstLeftOut;
				break;
			}
			budget -= cost;
			envelopes.add(envelope);
		}
		msgs.put("server_time", Math.max(serverTime, 1));
		session.write(msgs);
		session.finish();
	}
}
