package org.felund.transport.gossip.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.felund.api.model.ChatMessage;
import org.felund.api.transport.TransportContext;
import org.felund.protocol.wire.Json;
import org.felund.protocol.wire.MessageJson;
import org.felund.transport.gossip.internal.GossipSession.State;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What an extended session sends, in order: frames and batches of message ids, written as {@code X_MSGS} while the
 * socket accepts more (so a slow reader holds back our reads of the store, not our memory). Local messages offered
 * for live push join the last batch; those that came from this very peer are not echoed back. Confined to the
 * session's thread.
 */
final class Outbox {
	/** Messages per store read when writing a batch. */
	static final int PUSH_BATCH = 256;
	/** Queued frames and batches beyond which a peer that asks but does not read is dropped. */
	static final int LIMIT = 4096;
	/** Message ids remembered as received from this peer. */
	static final int ECHO_MEMORY = 4096;

	/** A batch of message ids to send; {@code answersRequest} marks the last frame of a reply to X_REQ. */
	private record PushBatch(Deque<String> ids, boolean answersRequest) {
	}

	private final GossipSession session;
	private final Deque<Object> queue = new ArrayDeque<>();
	private final Set<String> receivedFromPeer = Collections
			.newSetFromMap(new LinkedHashMap<String, Boolean>(256, 0.75f, false) {
				private static final long serialVersionUID = 1L;

				@Override
				protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
					return size() > ECHO_MEMORY;
				}
			});
	private Runnable whenDrained;
	private final DeliveryAcks acks;

	Outbox(GossipSession session) {
		this.session = session;
		this.acks = new DeliveryAcks(session);
	}

	DeliveryAcks acks() {
		return acks;
	}

	/** Writes a ping now (keep-alive); the pong acknowledges what was written before it. */
	void ping() {
		acks.pinging();
		session.write(Frames.frame(Frames.X_PING));
	}

	/** Where {@link Inbox} notes what this peer sent us. */
	Set<String> receivedFromPeer() {
		return receivedFromPeer;
	}

	boolean isEmpty() {
		return queue.isEmpty();
	}

	void frame(ObjectNode frame) {
		enqueue(frame);
	}

	void messages(Collection<String> ids, boolean answersRequest) {
		enqueue(new PushBatch(new ArrayDeque<>(ids), answersRequest));
	}

	/** A message stored locally: push it unless it came from this very peer. */
	void offer(String msgId) {
		if (receivedFromPeer.contains(msgId)) {
			return;
		}
		Object tail = queue.peekLast();
		if (tail instanceof PushBatch batch && !batch.answersRequest()) {
			batch.ids().add(msgId);
		} else {
			enqueue(new PushBatch(new ArrayDeque<>(List.of(msgId)), false));
		}
		pump();
	}

	/** Runs {@code action} once everything queued now and later is written (at once when nothing is queued). */
	void whenDrained(Runnable action) {
		if (queue.isEmpty()) {
			action.run();
		} else {
			whenDrained = action;
		}
	}

	private void enqueue(Object item) {
		if (queue.size() >= LIMIT) {
			// The peer keeps asking (X_REQ, X_RECON) without reading what we send: it only costs us memory.
			session.fail(null, "Peer does not read its frames; " + queue.size() + " queued");
			return;
		}
		queue.add(item);
		pump();
	}

	/** Writes queued frames and message batches in order while the socket accepts more. */
	void pump() {
		if (session.channel() == null || session.state() == State.CLOSED) {
			return;
		}
		TransportContext node = session.node();
		while (!queue.isEmpty() && session.channel().channel().isWritable()) {
			Object item = queue.peekFirst();
			if (item instanceof ObjectNode frame) {
				queue.pollFirst();
				session.write(frame);
				continue;
			}
			PushBatch batch = (PushBatch) item;
			List<String> ids = new ArrayList<>();
			while (!batch.ids().isEmpty() && ids.size() < PUSH_BATCH) {
				ids.add(batch.ids().pollFirst());
			}
			writeMessages(node, ids, batch);
			if (batch.ids().isEmpty()) {
				queue.pollFirst();
			}
		}
		if (queue.isEmpty() && acks.needsPing() && session.channel().channel().isWritable()) {
			ping(); // own messages went out: the pong tells the node the peer has them
		}
		if (queue.isEmpty() && whenDrained != null) {
			Runnable action = whenDrained;
			whenDrained = null;
			action.run();
		}
	}

	private void writeMessages(TransportContext node, List<String> ids, PushBatch batch) {
		String circleId = session.circleId();
		List<ChatMessage> messages = new ArrayList<>();
		for (ChatMessage m : node.messages().get(circleId, ids)) {
			messages.add(m.enc() != null ? m.ciphertextOnly() : node.wireCopy(circleId, m.msgId()).orElse(m));
		}
		int budget = session.codec().jsonBudget() - 64;
		ObjectNode frame = newMsgsFrame(circleId);
		int size = Json.ascii(frame).length();
		List<ChatMessage> written = new ArrayList<>();
		for (ChatMessage m : messages) {
			ObjectNode wire = MessageJson.toWire(m);
			int cost = Json.ascii(wire).length() + 1;
			if (size + cost > budget && frame.get("messages").size() > 0) {
				session.write(frame);
				frame = newMsgsFrame(circleId);
				size = Json.ascii(frame).length();
			}
			if (size + cost > budget) {
				continue; // a single message larger than a line cannot travel over gossip
			}
			((ArrayNode) frame.get("messages")).add(wire);
			written.add(m);
			size += cost;
			session.stats.sent(1);
		}
		boolean last = batch.answersRequest() && batch.ids().isEmpty();
		if (last) {
			frame.put("last", true);
		}
		if (frame.get("messages").size() > 0 || last) {
			session.write(frame);
		}
		acks.written(written);
	}

	private static ObjectNode newMsgsFrame(String circleId) {
		ObjectNode frame = Frames.frame(Frames.X_MSGS);
		frame.put("circle_id", circleId);
		frame.putArray("messages");
		return frame;
	}
}
