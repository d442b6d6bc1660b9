package org.felund.transport.webrtc.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.felund.api.model.ChatMessage;
import org.felund.api.model.Delivery;
import org.felund.api.model.ProtocolException;
import org.felund.api.transport.CircleAccess;
import org.felund.protocol.sync.Reconciler;
import org.felund.protocol.wire.Json;
import org.felund.protocol.wire.MessageJson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A channel between two Felund nodes after AUTH: the gossip extensions over the DataChannel
 * (docs/protocol-extensions.md §7). Every frame is sealed and sequenced ({@link SealedFrames}); the first one each
 * way ({@code X_BIND}) carries the DTLS fingerprints its sender negotiated, so that a relay which swapped the
 * descriptions to sit in the middle is detected; then the offerer starts a range reconciliation ({@code X_RECON},
 * {@code X_REQ}, {@code X_MSGS}, shared with the gossip transport) and every message stored afterwards is pushed as
 * {@code X_MSGS}. Idle channels are pinged; one that hears nothing for the dead-after time is closed.
 * <p>
 * <b>Delivery acknowledgement</b> (as gossip does it, docs/protocol-extensions.md §5): after writing this node's own
 * messages the link writes an {@code X_PING}. The peer handles frames in order and stores what an {@code X_MSGS}
 * carries before it reads the next frame, so its {@code X_PONG} says it has every message written before that ping;
 * the node then records the hop (webrtc, the peer, direct — or anchor when the peer is one of the circle's anchors).
 */
final class ExtendedLink {
	static final String X_BIND = "X_BIND";
	static final String X_RECON = "X_RECON";
	static final String X_REQ = "X_REQ";
	static final String X_MSGS = "X_MSGS";
	static final String X_PING = "X_PING";
	static final String X_PONG = "X_PONG";
	static final String X_BYE = "X_BYE";
	/** Messages read from the store per X_MSGS frame at most. */
	private static final int PUSH_BATCH = 64;
	private static final int OUTBOX_LIMIT = 4096;
	private static final int BUDGET = ChannelFrames.FRAME_BUDGET - 64;

	private final ChannelLink link;
	private final CircleAccess circle;
	private final SealedFrames frames;
	private final WebRtcEngine engine;
	private final Deque<Object> outbox = new ArrayDeque<>();
	private boolean bound;
	private boolean reconDone;
	private int outstandingRequests;
	private long lastReceivedNanos = System.nanoTime();
	private long lastSentNanos = System.nanoTime();
	private ScheduledFuture<?> keepAlive;
	private boolean stopped;
	/** Own messages written since the last ping, and those of each ping not answered yet (oldest first). */
	private List<String> unpinged = new ArrayList<>();
	private final Deque<List<String>> pingsInFlight = new ArrayDeque<>();
	private boolean ackPingQueued;
	/** Acknowledged ids not yet told to the node (told in slices so that a large sync does not stall the channel). */
	private final Deque<String> acknowledged = new ArrayDeque<>();
	private boolean reportQueued;
	private static final int REPORT_SLICE = 64;

	/** Ids to push; {@code answersRequest} marks the reply to an X_REQ, whose last frame says {@code "last":true}. */
	private record PushBatch(Deque<String> ids, boolean answersRequest) {
	}

	ExtendedLink(ChannelLink link, CircleAccess circle, SealedFrames frames) {
		this.link = link;
		this.circle = circle;
		this.frames = frames;
		this.engine = link.engine();
	}

	void start() {
		ObjectNode bind = frame(X_BIND);
		ArrayNode fp = bind.putArray("fp");
		fp.add(link.end().localFingerprint());
		fp.add(link.end().remoteFingerprint());
		write(bind);
		if (link.offerer()) {
			ObjectNode recon = frame(X_RECON);
			recon.set("r", new Reconciler(engine.index(circle.circleId()), BUDGET).initial());
			enqueue(recon);
		}
		long period = Math.max(50, engine.options().keepAlive().toMillis() / 2);
		keepAlive = engine.executor().scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
	}

	void stop() {
		stopped = true;
		outbox.clear();
		if (keepAlive != null) {
			keepAlive.cancel(false);
		}
	}

	boolean caughtUp() {
		return reconDone && outstandingRequests == 0;
	}

	void onFrame(String text) throws ChannelException {
		ObjectNode frame = frames.open(text);
		lastReceivedNanos = System.nanoTime();
		String type = text(frame, "t");
		if (!bound) {
			if (!X_BIND.equals(type)) {
				throw new ChannelException("the first sealed frame must be X_BIND, got " + type);
			}
			checkFingerprints(frame.get("fp"));
			bound = true;
			return;
		}
		switch (type) {
		case X_RECON -> {
			JsonNode ranges = frame.get("r");
			if (ranges != null && ranges.isArray() && ranges.isEmpty()) {
				reconDone = true;
				return;
			}
			Reconciler.Outcome outcome;
			try {
				outcome = new Reconciler(engine.index(circle.circleId()), BUDGET).respond(ranges);
			} catch (ProtocolException e) {
				throw new ChannelException("malformed X_RECON: " + e.getMessage());
			}
			if (!outcome.push().isEmpty()) {
				enqueue(new PushBatch(new ArrayDeque<>(outcome.push()), false));
			}
			request(outcome.request());
			ObjectNode reply = frame(X_RECON);
			reply.set("r", outcome.reply());
			enqueue(reply);
			reconDone = outcome.done();
		}
		case X_REQ -> enqueue(new PushBatch(new ArrayDeque<>(ids(frame)), true));
		case X_MSGS -> {
			JsonNode list = frame.get("messages");
			if (list == null || !list.isArray() || list.size() > ChannelFrames.MAX_MESSAGES_PER_FRAME) {
				throw new ChannelException("X_MSGS without a usable message list");
			}
			List<ChatMessage> batch = new ArrayList<>(list.size());
			for (JsonNode element : list) {
				ChatMessage m;
				try {
					m = MessageJson.fromWire(element);
				} catch (ProtocolException e) {
					throw new ChannelException("malformed message: " + e.getMessage());
				}
				link.checkCircle(m);
				batch.add(m);
			}
			link.deliver(batch);
			JsonNode last = frame.get("last");
			if (last != null && last.asBoolean(false) && outstandingRequests > 0) {
				outstandingRequests--;
			}
		}
		case X_PING -> enqueue(frame(X_PONG));
		case X_PONG -> acknowledge();
		case X_BYE -> link.end("the peer said goodbye");
		default -> throw new ChannelException("unexpected sealed frame '" + ChannelLink.clip(type) + "'");
		}
	}

	private void checkFingerprints(JsonNode fp) throws ChannelException {
		if (!bindingHolds(fp, link.end().localFingerprint(), link.end().remoteFingerprint())) {
			throw new ChannelException("DTLS fingerprints differ from the signaled ones (someone in the signaling "
					+ "path replaced the descriptions)");
		}
	}

	/**
	 * Whether the peer's {@code X_BIND} list ({@code [its own, the one it got from us]}) matches what our session
	 * negotiated: its certificate is the remote one we saw, ours the one it saw.
	 */
	static boolean bindingHolds(JsonNode fp, String localFingerprint, String remoteFingerprint) {
		if (fp == null || !fp.isArray() || fp.size() != 2 || localFingerprint.isEmpty() || remoteFingerprint.isEmpty()) {
			return false;
		}
		return remoteFingerprint.equals(fp.get(0).asText("")) && localFingerprint.equals(fp.get(1).asText(""));
	}

	/**
	 * A message the node just stored: sent at once from memory when the channel is idle (the live path reads nothing
	 * back from the store); queued behind anything still waiting otherwise.
	 */
	void push(ChatMessage wire) {
		if (stopped) {
			return;
		}
		if (outbox.isEmpty() && link.writable() && wire.enc() != null) {
			ObjectNode frame = msgsFrame();
			((ArrayNode) frame.get("messages")).add(MessageJson.toWire(wire.ciphertextOnly()));
			write(frame);
			written(wire);
			engine.counters().messagesOut.incrementAndGet();
			return;
		}
		Object tail = outbox.peekLast();
		if (tail instanceof PushBatch batch && !batch.answersRequest()) {
			batch.ids().add(wire.msgId());
			pump();
		} else {
			enqueue(new PushBatch(new ArrayDeque<>(List.of(wire.msgId())), false));
		}
	}

	private void request(List<String> ids) {
		List<String> chunk = new ArrayList<>();
		int size = 64;
		for (String id : ids) {
			if (size + id.length() + 3 > BUDGET && !chunk.isEmpty()) {
				sendRequest(chunk);
				chunk = new ArrayList<>();
				size = 64;
			}
			chunk.add(id);
			size += id.length() + 3;
		}
		if (!chunk.isEmpty()) {
			sendRequest(chunk);
		}
	}

	private void sendRequest(List<String> chunk) {
		ObjectNode req = frame(X_REQ);
		ArrayNode list = req.putArray("msg_ids");
		chunk.forEach(list::add);
		outstandingRequests++;
		enqueue(req);
	}

	private void enqueue(Object item) {
		if (stopped) {
			return;
		}
		if (outbox.size() >= OUTBOX_LIMIT) {
			link.fail("the peer keeps asking without reading (" + outbox.size() + " frames queued)", true);
			return;
		}
		outbox.add(item);
		pump();
	}

	/** Writes queued frames and message batches in order while the channel takes more. */
	void pump() {
		while (!stopped && !outbox.isEmpty() && link.writable()) {
			Object item = outbox.peekFirst();
			if (item instanceof ObjectNode frame) {
				outbox.pollFirst();
				write(frame);
				continue;
			}
			PushBatch batch = (PushBatch) item;
			List<String> ids = new ArrayList<>();
			while (!batch.ids().isEmpty() && ids.size() < PUSH_BATCH) {
				ids.add(batch.ids().pollFirst());
			}
			writeMessages(ids, batch.answersRequest() && batch.ids().isEmpty());
			if (batch.ids().isEmpty()) {
				outbox.pollFirst();
			}
		}
	}

	/** Messages as stored (ciphertext only): the peer decrypts {@code enc} as every receiver does. */
	private void writeMessages(List<String> ids, boolean last) {
		ObjectNode frame = msgsFrame();
		int size = 64;
		int sent = 0;
		for (ChatMessage m : engine.context().messages().get(circle.circleId(), ids)) {
			if (m.enc() == null) {
				continue;
			}
			ObjectNode wire = MessageJson.toWire(m.ciphertextOnly());
			int cost = Json.compact(wire).length() + 1;
			if (size + cost > BUDGET && !frame.get("messages").isEmpty()) {
				write(frame);
				frame = msgsFrame();
				size = 64;
			}
			((ArrayNode) frame.get("messages")).add(wire);
			size += cost;
			sent++;
			written(m);
		}
		if (last) {
			frame.put("last", true);
		}
		if (!frame.get("messages").isEmpty() || last) {
			write(frame);
		}
		engine.counters().messagesOut.addAndGet(sent);
	}

	private ObjectNode msgsFrame() {
		ObjectNode frame = frame(X_MSGS);
		frame.putArray("messages");
		return frame;
	}

	private void write(ObjectNode frame) {
		lastSentNanos = System.nanoTime();
		link.sendText(frames.seal(frame));
	}

	private void tick() {
		if (stopped || link.isClosed()) {
			return;
		}
		long now = System.nanoTime();
		if (now - lastReceivedNanos > engine.options().deadAfter().toNanos()) {
			link.fail("dead channel: nothing received for " + engine.options().deadAfter().toSeconds() + " s", false);
			return;
		}
		if (now - lastSentNanos >= engine.options().keepAlive().toNanos() && outbox.isEmpty()) {
			ping();
		}
	}

	// ------------------------------------------------------------------ delivery acknowledgement

	/** A message just written to the peer: an own chat message waits for the next ping's answer. */
	private void written(ChatMessage m) {
		if (m.isControl() || !engine.context().nodeId().equals(m.authorNodeId())) {
			return;
		}
		unpinged.add(m.msgId());
		if (!ackPingQueued) {
			// After the frames written in this turn of the executor (a burst shares one ping).
			ackPingQueued = true;
			engine.executor().execute(() -> {
				ackPingQueued = false;
				if (!stopped && !link.isClosed() && !unpinged.isEmpty()) {
					ping();
				}
			});
		}
	}

	/** Every ping, keep-alive or not, takes the own messages written before it: pongs answer pings in order. */
	private void ping() {
		pingsInFlight.add(unpinged);
		unpinged = new ArrayList<>();
		write(frame(X_PING));
	}

	private void acknowledge() {
		List<String> ids = pingsInFlight.poll();
		if (ids == null || ids.isEmpty()) {
			return;
		}
		acknowledged.addAll(ids);
		if (!reportQueued) {
			reportSlice();
		}
	}

	private void reportSlice() {
		reportQueued = false;
		for (int i = 0; i < REPORT_SLICE && !acknowledged.isEmpty(); i++) {
			engine.context().delivered(circle.circleId(), acknowledged.poll(), WebRtcEngine.TRANSPORT_ID,
					link.peerNodeId(), Delivery.Route.DIRECT);
		}
		if (!acknowledged.isEmpty()) {
			reportQueued = true;
			engine.executor().execute(this::reportSlice);
		}
	}

	private static ObjectNode frame(String type) {
		ObjectNode o = Json.object();
		o.put("t", type);
		return o;
	}

	private static String text(JsonNode frame, String key) {
		JsonNode v = frame.get(key);
		return v != null && v.isTextual() ? v.textValue() : "";
	}

	private static Set<String> ids(JsonNode frame) throws ChannelException {
		JsonNode list = frame.get("msg_ids");
		if (list == null || !list.isArray()) {
			throw new ChannelException("X_REQ without an id list");
		}
		Set<String> out = new LinkedHashSet<>();
		for (JsonNode id : list) {
			if (!id.isTextual() || id.textValue().isEmpty() || id.textValue().length() > 128) {
				throw new ChannelException("X_REQ with a bad id");
			}
			out.add(id.textValue());
		}
		return out;
	}
}
