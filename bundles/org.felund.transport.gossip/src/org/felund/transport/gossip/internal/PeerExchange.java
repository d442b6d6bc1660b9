package org.felund.transport.gossip.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.felund.api.model.Peer;
import org.felund.api.transport.TransportContext;
import org.felund.protocol.wire.Identifiers;
import org.felund.protocol.wire.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The PEERS frame both sync phases exchange (protocol §4.5, §4.8): what we tell a peer and what we take from it. */
final class PeerExchange {
	/** Entries taken from one PEERS frame at most. */
	static final int MAX_ACCEPTED = 1000;

	private PeerExchange() {
	}

	/** Our PEERS: members with a record, newest first, never the recipient itself, sized to one line. */
	static ObjectNode peersFrame(GossipSession session) {
		TransportContext node = session.node();
		String circleId = session.circleId();
		ObjectNode frame = Frames.frame(Frames.PEERS);
		frame.put("circle_id", circleId);
		if (session.engine().options().extensions() && session.codec().encrypted()) {
			// Repeats our clear-text offer where a man in the middle cannot remove it (Handshake#onFirstSessionFrame).
			frame.put(Frames.EXT_KEY, Frames.EXT_VERSION);
		}
		ArrayNode list = frame.putArray("peers");
		List<Peer> peers = new ArrayList<>(node.state().peers(circleId));
		peers.sort(Comparator.comparingLong(Peer::lastSeen).reversed());
		int budget = session.codec().jsonBudget() - Json.ascii(frame).length();
		for (Peer p : peers) {
			if (p.nodeId().isEmpty() || p.nodeId().equals(session.peerNodeId()) || p.nodeId().equals(node.nodeId())
					|| PeerAddress.parse(p.addr()).isEmpty()) {
				continue;
			}
			ObjectNode entry = Json.object();
			entry.put("node_id", p.nodeId());
			entry.put("addr", p.addr());
			entry.put("last_seen", p.lastSeen());
			int cost = Json.ascii(entry).length() + 1;
			if (cost > budget) {
				break;
			}
			budget -= cost;
			list.add(entry);
		}
		return frame;
	}

	/** Peer merge (§4.8) without the reference's flaws: no self records, no unparseable addresses. */
	static void mergePeers(GossipSession session, ObjectNode peersFrame) {
		JsonNode list = peersFrame == null ? null : peersFrame.get("peers");
		if (list == null || !list.isArray()) {
			return;
		}
		GossipEngine engine = session.engine();
		TransportContext node = engine.context();
		int accepted = 0;
		for (JsonNode entry : list) {
			if (!entry.isObject() || accepted >= MAX_ACCEPTED) {
				continue;
			}
			String nodeId = Frames.text(entry, "node_id");
			String addr = Frames.text(entry, "addr");
			long lastSeen = Frames.integer(entry, "last_seen", 0);
			if (!Identifiers.isNodeId(nodeId) || addr.isEmpty() || nodeId.equals(node.nodeId())) {
				continue;
			}
			Optional<PeerAddress> parsed = PeerAddress.parse(addr);
			if (parsed.isEmpty() || engine.isSelfAddress(parsed.get())) {
				continue;
			}
			// A peer's clock may run ahead; never let its last_seen claim the future.
			long seen = Math.min(lastSeen, engine.now());
			node.peerSeen(session.circleId(), new Peer(nodeId, parsed.get().wire(), seen), GossipEngine.TRANSPORT_ID);
			accepted++;
		}
	}
}
