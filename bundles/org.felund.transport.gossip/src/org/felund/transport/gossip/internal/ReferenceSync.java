package org.felund.transport.gossip.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.felund.api.model.ChatMessage;
import org.felund.api.store.SyncKey;
import org.felund.api.transport.TransportContext;
import org.felund.protocol.wire.MessageJson;
import org.felund.transport.gossip.internal.GossipSession.Role;
import org.felund.transport.gossip.internal.GossipSession.State;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The reference's sync (protocol §4.5), both sides at once: PEERS, MSGS_HAVE, MSGS_REQ, MSGS_SEND, each a single
 * line. What fits is chosen by {@link SyncPlanner}; how many ids to ask a peer for adapts to what it managed to
 * answer before. Then the client runs the anchor exchange when the server offers to anchor and the node's anchor
 * policy wants it as a partner ({@link TransportContext#exchangeAnchorWith}); the server waits for it when it anchors.
 */
final class ReferenceSync {
	private final GossipSession session;
	private final GossipEngine engine;
	private ObjectNode theirPeers;
	private List<SyncKey> ourKeys = List.of();
	private Set<String> theirHave = Set.of();
	private int asked;

	ReferenceSync(GossipSession session) {
		this.session = session;
		this.engine = session.engine();
	}

	/** Sends our MSGS_HAVE (after the PEERS the session sent) and waits for the peer's PEERS. */
	void start() {
		TransportContext node = engine.context();
		String circleId = session.circleId();
		ourKeys = node.messages().keys(circleId, null, null, Integer.MAX_VALUE);
		List<String> have = SyncPlanner.haveSubset(circleId, ourKeys, engine.knownHave(circleId, session.peerNodeId()),
				session.codec().jsonBudget());
		ObjectNode haveFrame = Frames.frame(Frames.MSGS_HAVE);
		haveFrame.put("circle_id", circleId);
		ArrayNode ids = haveFrame.putArray("msg_ids");
		have.forEach(ids::add);
		session.write(haveFrame);
		session.expect(State.AWAIT_PEERS, engine.options().readTimeout());
	}

	void onPeers(ObjectNode frame, String type) throws FrameException {
		if (!Frames.PEERS.equals(type)) {
			throw new FrameException(Frames.ERR_BAD_SYNC_FRAMES, "Expected PEERS, got " + type);
		}
		theirPeers = frame;
		session.expect(State.AWAIT_HAVE, engine.options().readTimeout());
	}

	void onHave(ObjectNode have, String type) throws FrameException {
		if (!Frames.MSGS_HAVE.equals(type)) {
			throw new FrameException(Frames.ERR_BAD_SYNC_FRAMES, "Expected MSGS_HAVE, got " + type);
		}
		PeerExchange.mergePeers(session, theirPeers);
		String circleId = session.circleId();
		String peerNodeId = session.peerNodeId();
		theirHave = Inbox.idList(have, "msg_ids");
		engine.rememberHave(circleId, peerNodeId, theirHave);
		DeliveryAcks.peerHas(session, theirHave);
		Set<String> ours = new HashSet<>();
		ourKeys.forEach(k -> ours.add(k.msgId()));
		List<String> missing = new ArrayList<>();
		for (String id : theirHave) {
			if (!ours.contains(id)) {
				missing.add(id);
			}
		}
		List<String> request = SyncPlanner.requestSubset(circleId, missing,
				engine.requestLimit(peerNodeId, session.codec().encrypted()), session.codec().jsonBudget());
		asked = request.size();
		ObjectNode req = Frames.frame(Frames.MSGS_REQ);
		req.put("circle_id", circleId);
		ArrayNode ids = req.putArray("msg_ids");
		request.forEach(ids::add);
		session.write(req);
		session.expect(State.AWAIT_REQ, engine.options().readTimeout());
	}

	void onRequest(ObjectNode req, String type) throws FrameException {
		if (!Frames.MSGS_REQ.equals(type)) {
			throw new FrameException(Frames.ERR_EXPECTED_MSGS_REQ, "Expected MSGS_REQ, got " + type);
		}
		TransportContext node = engine.context();
		String circleId = session.circleId();
		int budget = session.codec().jsonBudget();
		List<String> wanted = new ArrayList<>(Inbox.idList(req, "msg_ids"));
		Map<String, Long> ts = new HashMap<>();
		ourKeys.forEach(k -> ts.put(k.msgId(), k.createdTs()));
		wanted.removeIf(id -> !ts.containsKey(id));
		// Only the newest candidates can make it into one line; build wire copies for those alone.
		int maxCandidates = Math.max(1, budget / 150);
		List<String> newestFirst = new ArrayList<>(wanted);
		newestFirst.sort(Comparator.comparing((String id) -> ts.get(id)).reversed());
		Set<String> candidates = new HashSet<>(newestFirst.subList(0, Math.min(maxCandidates, newestFirst.size())));
		List<ChatMessage> copies = new ArrayList<>();
		for (String id : wanted) {
			if (candidates.contains(id)) {
				node.wireCopy(circleId, id).filter(m -> m.circleId().equals(circleId)).ifPresent(copies::add);
			}
		}
		int room = SyncPlanner.haveRoom(circleId, theirHave, session.codec().encrypted());
		List<ChatMessage> chosen = SyncPlanner.sendSubset(circleId, copies, budget, room);
		ObjectNode send = Frames.frame(Frames.MSGS_SEND);
		send.put("circle_id", circleId);
		ArrayNode messages = send.putArray("messages");
		chosen.forEach(m -> messages.add(MessageJson.toWire(m)));
		session.stats.sent(chosen.size());
		session.write(send);
		session.expect(State.AWAIT_SEND, engine.options().readTimeout());
	}

	void onSend(ObjectNode send, String type) throws FrameException {
		if (!Frames.MSGS_SEND.equals(type)) {
			throw new FrameException(Frames.ERR_EXPECTED_MSGS_SEND, "Expected MSGS_SEND, got " + type);
		}
		engine.requestOutcome(session.peerNodeId(), session.codec().encrypted(), asked, true);
		Inbox.receiveAll(session, send.get("messages"), null);
		TransportContext node = engine.context();
		if (session.role() == Role.CLIENT
				&& node.exchangeAnchorWith(session.circleId(), session.peerNodeId(), session.peerCanAnchor())) {
			session.anchorExchange().sendPush();
		} else if (session.role() == Role.SERVER && node.canAnchor()) {
			session.expect(State.AWAIT_ANCHOR_PUSH, AnchorExchange.ANCHOR_WAIT);
		} else {
			session.finish();
		}
	}

	/**
	 * A reference peer that ends the connection (or sends its plaintext "Internal error") right after our MSGS_REQ
	 * most likely could not fit the answer into one line: ask it for fewer next time.
	 */
	void noteUnansweredRequest(State was) {
		if (was == State.AWAIT_SEND && !session.extended() && !session.peerNodeId().isEmpty()) {
			engine.requestOutcome(session.peerNodeId(), session.codec().encrypted(), asked, false);
			asked = 0;
		}
	}
}
