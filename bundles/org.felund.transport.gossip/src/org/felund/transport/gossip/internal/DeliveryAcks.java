package org.felund.transport.gossip.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.felund.api.model.ChatMessage;
import org.felund.api.model.Delivery;
import org.felund.api.transport.TransportContext;

/**
 * Tells the node which of its own messages a peer has, for the delivery state ("sent" / "delivered"):
 * <ul>
 * <li>in an extended session, a ping after the pushed messages: the peer handles frames in order and answers every
 * {@code X_PING} with {@code X_PONG}, so its pong means it has processed (stored, or already had) every message
 * written before the ping — an acknowledgement without a new frame type;</li>
 * <li>with a reference peer, the ids its {@code MSGS_HAVE} lists;</li>
 * <li>with an anchor, the envelopes its {@code ANCHOR_PUSH_ACK} answers.</li>
 * </ul>
 * The per-session part is confined to the session's thread.
 */
final class DeliveryAcks {
	/** Own messages looked at when a reference peer lists what it has. */
	static final int OWN_RECENT = 500;

	private final GossipSession session;
	private final Deque<List<String>> inFlight = new ArrayDeque<>();
	private List<String> unpinged = new ArrayList<>();

	DeliveryAcks(GossipSession session) {
		this.session = session;
	}

	/** Own messages among those just written to the peer (others' messages are not tracked by the node). */
	void written(Collection<ChatMessage> messages) {
		String self = session.node().nodeId();
		for (ChatMessage m : messages) {
			if (self.equals(m.authorNodeId()) && !m.isControl()) {
				unpinged.add(m.msgId());
			}
		}
	}

	/** Whether own messages were written since the last ping. */
	boolean needsPing() {
		return !unpinged.isEmpty();
	}

	/** Call right before writing an {@code X_PING}. */
	void pinging() {
		inFlight.add(unpinged);
		unpinged = new ArrayList<>();
	}

	/** The peer answered the oldest ping not yet answered. */
	void pong() {
		List<String> acked = inFlight.poll();
		if (acked != null && !acked.isEmpty()) {
			report(session, acked, Delivery.Route.DIRECT);
		}
	}

	/** A reference peer listed these ids as its own: our messages among them have arrived. */
	static void peerHas(GossipSession session, Set<String> theirIds) {
		if (theirIds.isEmpty()) {
			return;
		}
		TransportContext node = session.node();
		List<String> ours = new ArrayList<>();
		for (ChatMessage m : node.messages().recent(session.circleId(), false, OWN_RECENT)) {
			if (m.authorNodeId().equals(node.nodeId()) && theirIds.contains(m.msgId())) {
				ours.add(m.msgId());
			}
		}
		report(session, ours, Delivery.Route.DIRECT);
	}

	/** An anchor acknowledged a push: our own messages among its envelopes are kept there. */
	static void anchorKeeps(GossipSession session, Collection<String> pushedIds) {
		TransportContext node = session.node();
		Set<String> pushed = new HashSet<>(pushedIds);
		List<String> ours = new ArrayList<>();
		for (ChatMessage m : node.messages().get(session.circleId(), List.copyOf(pushed))) {
			if (m.authorNodeId().equals(node.nodeId())) {
				ours.add(m.msgId());
			}
		}
		report(session, ours, Delivery.Route.ANCHOR);
	}

	private static void report(GossipSession session, Collection<String> ids, Delivery.Route route) {
		TransportContext node = session.node();
		for (String id : ids) {
			node.delivered(session.circleId(), id, GossipEngine.TRANSPORT_ID, session.peerNodeId(), route);
		}
	}
}
