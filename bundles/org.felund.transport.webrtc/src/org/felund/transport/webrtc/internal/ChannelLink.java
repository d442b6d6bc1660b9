package org.felund.transport.webrtc.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.felund.api.crypto.CryptoException;
import org.felund.api.model.ChatMessage;
import org.felund.api.model.ProtocolException;
import org.felund.api.transport.CircleAccess;
import org.felund.protocol.wire.Json;
import org.felund.protocol.wire.MessageJson;
import org.felund.webrtc.DataChannelPort;
import org.felund.webrtc.PeerSession;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The {@code felund-gossip} protocol on one DataChannel (protocol §8.3, §3.9): HELLO and mutual AUTH, then
 * {@code MSGS_SEND} (recent history) and {@code MSG_NEW} (each new message), exactly as the web client speaks it.
 * When both HELLOs announce the Felund extensions, everything after AUTH goes through an {@link ExtendedLink}.
 * <p>
 * Bad input closes the session with a logged reason and stores nothing of the offending frame: a frame that is not
 * a JSON object, larger than the limit, binary or not UTF-8; a second HELLO or AUTH; a HELLO for a circle this node
 * does not know, or from another node than the signaled one; a wrong AUTH (checked in constant time); messages
 * before AUTH; a message without an envelope, malformed, or of another circle. Unknown frame types are ignored, as
 * the web client ignores them. Runs on the transport's executor.
 */
final class ChannelLink implements DataChannelPort.Listener {
	private static final System.Logger LOG = System.getLogger(ChannelLink.class.getName());
	/** Frames kept while the channel's buffer is full; beyond it a browser peer gets the rest from the relay. */
	private static final int OUTBOX_LIMIT = 4096;
	/** Message ids remembered as received from this peer, so they are not sent back to it. */
	private static final int FROM_PEER_MEMORY = 20_000;

	private final WebRtcEngine engine;
	private final ChannelEnd end;
	private final boolean offerer;
	private final String myNonce;
	private final Deque<byte[]> outbox = new ArrayDeque<>();
	private final Map<String, Boolean> fromPeer = new LinkedHashMap<>(64, 0.75f, false) {
		private static final long serialVersionUID = 1L;

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
			return size() > FROM_PEER_MEMORY;
		}
	};
	private CircleAccess circle;
	private String peerNonce;
	private String bufferedAuth;
	private boolean helloSent;
	private boolean peerAuthSeen;
	private boolean peerOffersExtensions;
	private boolean authenticated;
	private boolean closed;
	private ExtendedLink extended;
	private ScheduledFuture<?> handshakeTimer;
	private long openedNanos;
	private long authenticatedNanos;

	/**
	 * @param circle the circle an offerer opened the channel for; {@code null} for an answerer, which learns it from
	 *            the peer's HELLO
	 */
	ChannelLink(WebRtcEngine engine, PeerSession session, DataChannelPort port, CircleAccess circle, boolean offerer) {
		this(engine, ChannelEnd.of(session, port), circle, offerer);
	}

	ChannelLink(WebRtcEngine engine, ChannelEnd end, CircleAccess circle, boolean offerer) {
		this.engine = engine;
		this.end = end;
		this.circle = circle;
		this.offerer = offerer;
		this.myNonce = engine.randomHex(16);
	}

	String peerNodeId() {
		return end.peerNodeId();
	}

	PeerSession session() {
		return end.session();
	}

	ChannelEnd end() {
		return end;
	}

	boolean offerer() {
		return offerer;
	}

	/** The circle, once known (always for an offerer; after HELLO for an answerer). */
	CircleAccess circle() {
		return circle;
	}

	String circleId() {
		return circle == null ? null : circle.circleId();
	}

	boolean authenticated() {
		return authenticated && !closed;
	}

	boolean isExtended() {
		return extended != null;
	}

	boolean isClosed() {
		return closed;
	}

	long authenticatedNanos() {
		return authenticatedNanos;
	}

	long openedNanos() {
		return openedNanos;
	}

	WebRtcEngine engine() {
		return engine;
	}

	// ------------------------------------------------------------------ channel events

	@Override
	public void opened(DataChannelPort p) {
		openedNanos = System.nanoTime();
		if (offerer) {
			sendHello();
		}
		handshakeTimer = engine.executor().schedule(() -> {
			if (!authenticated) {
				fail("not authenticated within " + engine.options().handshakeTimeout().toSeconds() + " s", false);
			}
		}, engine.options().handshakeTimeout().toNanos(), TimeUnit.NANOSECONDS);
	}

	@Override
	public void message(DataChannelPort p, byte[] data, boolean binary) {
		if (closed) {
			return;
		}
		try {
			if (data.length > engine.options().maxFrameBytes()) {
				throw new ChannelException("oversized frame: " + data.length + " bytes (limit "
						+ engine.options().maxFrameBytes() + ")");
			}
			if (binary) {
				throw new ChannelException("binary frame (the channel carries JSON text)");
			}
			String text = utf8(data);
			if (extended != null) {
				extended.onFrame(text);
			} else {
				onReferenceFrame(text);
			}
		} catch (ChannelException e) {
			fail(e.getMessage(), true);
		}
	}

	@Override
	public void closed(DataChannelPort p) {
		end("the channel closed");
	}

	@Override
	public void writable(DataChannelPort p) {
		pump();
	}

	/** The peer connection closed (ICE failure, timeout, the peer left). */
	void sessionClosed(String reason) {
		end(reason);
	}

	// ------------------------------------------------------------------ reference protocol

	private void onReferenceFrame(String text) throws ChannelException {
		JsonNode node;
		try {
			node = Json.parse(text);
		} catch (ProtocolException e) {
			throw new ChannelException("malformed frame: " + e.getMessage());
		}
		if (!node.isObject()) {
			throw new ChannelException("malformed frame: not a JSON object");
		}
		String type = ChannelFrames.type(node);
		switch (type) {
		case ChannelFrames.HELLO -> onHello(node);
		case ChannelFrames.AUTH -> onAuth(node);
		case ChannelFrames.MSGS_SEND -> {
			requireAuthenticated(type);
			JsonNode list = node.get("messages");
			if (list == null || !list.isArray()) {
				throw new ChannelException("MSGS_SEND without a message list");
			}
			if (list.size() > ChannelFrames.MAX_MESSAGES_PER_FRAME) {
				throw new ChannelException("MSGS_SEND with " + list.size() + " messages (limit "
						+ ChannelFrames.MAX_MESSAGES_PER_FRAME + ")");
			}
			List<ChatMessage> batch = new ArrayList<>(list.size());
			for (JsonNode element : list) {
				batch.add(envelope(element));
			}
			deliver(batch);
		}
		case ChannelFrames.MSG_NEW -> {
			requireAuthenticated(type);
			deliver(List.of(envelope(node.get("message"))));
		}
		default -> LOG.log(System.Logger.Level.DEBUG,
				() -> "ignoring a frame of type '" + type + "' from " + peerNodeId());
		}
	}

	private void onHello(JsonNode hello) throws ChannelException {
		if (peerNonce != null) {
			throw new ChannelException("second HELLO");
		}
		String nonce = ChannelFrames.text(hello, "nonce");
		if (!ChannelFrames.isNonce(nonce)) {
			throw new ChannelException("HELLO without a valid nonce");
		}
		String nodeId = ChannelFrames.text(hello, "node_id");
		if (nodeId != null && !nodeId.equals(peerNodeId())) {
			throw new ChannelException("HELLO from node " + clip(nodeId) + " on the session with " + peerNodeId());
		}
		String hint = ChannelFrames.text(hello, "circle_hint");
		Optional<CircleAccess> named = hint == null ? Optional.empty() : engine.context().circleByHint(hint);
		if (named.isEmpty()) {
			throw new ChannelException("frame for another circle: HELLO names circle hint '" + clip(String.valueOf(hint))
					+ "', which this node is not in");
		}
		JsonNode ext = hello.get(ChannelFrames.EXT_KEY);
		peerOffersExtensions = ext != null && ext.canConvertToInt() && ext.asInt() >= ChannelFrames.EXT_VERSION;
		if (circle == null) {
			circle = named.get();
		} else if (!circle.circleId().equals(named.get().circleId())) {
			if (peerOffersExtensions) {
				throw new ChannelException("frame for another circle: HELLO names circle " + named.get().circleId()
						+ " on a channel for " + circle.circleId());
			}
			// A browser answers with the transport of whichever shared circle saw our offer first: take that one.
			LOG.log(System.Logger.Level.DEBUG, () -> "channel with " + peerNodeId() + " serves circle "
					+ named.get().circleId() + " instead of " + circle.circleId());
			circle = named.get();
		}
		peerNonce = nonce;
		if (!helloSent) {
			sendHello();
		}
		send(ChannelFrames.bytes(ChannelFrames.auth(circle.crypto().dataChannelAuth(myNonce, peerNonce))));
		if (bufferedAuth != null) {
			String auth = bufferedAuth;
			bufferedAuth = null;
			verify(auth);
		}
	}

	private void onAuth(JsonNode frame) throws ChannelException {
		String auth = ChannelFrames.text(frame, "auth");
		if (auth == null || auth.length() > 256) {
			throw new ChannelException("AUTH without a valid auth value");
		}
		if (peerAuthSeen || bufferedAuth != null) {
			throw new ChannelException("second AUTH");
		}
		if (peerNonce == null) {
			// The web client may answer before our HELLO reached it: check once its HELLO is here.
			bufferedAuth = auth;
			return;
		}
		verify(auth);
	}

	private void verify(String auth) throws ChannelException {
		peerAuthSeen = true;
		if (!circle.crypto().verifyDataChannelAuth(myNonce, peerNonce, auth)) {
			engine.counters().authFailures.incrementAndGet();
			throw new ChannelException("bad AUTH: the peer does not hold the secret of circle " + circle.circleId());
		}
		authenticated = true;
		authenticatedNanos = System.nanoTime();
		cancelHandshakeTimer();
		if (peerOffersExtensions) {
			String offererNonce = offerer ? myNonce : peerNonce;
			String answererNonce = offerer ? peerNonce : myNonce;
			try {
				extended = new ExtendedLink(this, circle,
						new SealedFrames(circle.crypto().session(offererNonce, answererNonce), offerer));
			} catch (CryptoException e) {
				throw new ChannelException("cannot derive the session key: " + e.getMessage(), e);
			}
		}
		engine.authenticated(this);
		if (extended != null) {
			extended.start();
		} else {
			sendRecent();
		}
	}

	private void requireAuthenticated(String type) throws ChannelException {
		if (!authenticated) {
			throw new ChannelException(type + " before AUTH");
		}
	}

	/** A relay envelope from a browser peer: {@code enc} required, this channel's circle only. */
	private ChatMessage envelope(JsonNode element) throws ChannelException {
		ChatMessage m;
		try {
			m = MessageJson.fromRelayEnvelope(element);
		} catch (ProtocolException e) {
			throw new ChannelException("malformed message: " + e.getMessage());
		}
		if (m.enc() == null) {
			throw new ChannelException("message " + m.msgId() + " without an envelope (the channel carries only "
					+ "encrypted messages)");
		}
		checkCircle(m);
		return m;
	}

	void checkCircle(ChatMessage m) throws ChannelException {
		if (!m.circleId().equals(circle.circleId())) {
			throw new ChannelException("frame for another circle: message " + m.msgId() + " of circle "
					+ clip(m.circleId()) + " on a channel for " + circle.circleId());
		}
	}

	/** Hands a frame's messages to the node in one batch (nothing of a refused frame reaches it). */
	void deliver(List<ChatMessage> batch) {
		for (ChatMessage m : batch) {
			fromPeer.put(m.msgId(), Boolean.TRUE);
		}
		engine.deliver(this, batch);
	}

	boolean cameFromPeer(String msgId) {
		return fromPeer.containsKey(msgId);
	}

	private void sendHello() {
		helloSent = true;
		send(ChannelFrames.bytes(ChannelFrames.hello(engine.context().nodeId(), circle.crypto().circleHint(), myNonce,
				true)));
	}

	/** What the web client sends on open: the circle's most recent messages, oldest first, control events included. */
	private void sendRecent() {
		List<ChatMessage> recent = new ArrayList<>(
				engine.context().messages().recent(circle.circleId(), true, engine.options().recentOnOpen()));
		recent.sort(Comparator.comparingLong(ChatMessage::createdTs).thenComparing(ChatMessage::msgId));
		for (byte[] frame : ChannelFrames.msgsSend(recent)) {
			send(frame);
		}
		engine.counters().messagesOut.addAndGet(recent.size());
	}

	// ------------------------------------------------------------------ outbound

	/** A message stored by the node (any origin): to this peer unless it came from it. */
	void push(ChatMessage wire) {
		if (!authenticated() || cameFromPeer(wire.msgId())) {
			return;
		}
		if (extended != null) {
			extended.push(wire);
		} else if (wire.enc() != null) {
			send(ChannelFrames.bytes(ChannelFrames.msgNew(wire)));
			engine.counters().messagesOut.incrementAndGet();
		}
	}

	void send(byte[] frame) {
		if (closed) {
			return;
		}
		if (!outbox.isEmpty() || !end.writable()) {
			if (outbox.size() >= OUTBOX_LIMIT) {
				// The relay carries what a stalled browser cannot take here; nothing is lost.
				LOG.log(System.Logger.Level.DEBUG, () -> "channel to " + peerNodeId() + " is full; frame left to the relay");
				return;
			}
			outbox.add(frame);
			return;
		}
		end.send(frame);
	}

	void sendText(String text) {
		send(text.getBytes(StandardCharsets.UTF_8));
	}

	private void pump() {
		while (!outbox.isEmpty() && end.writable()) {
			end.send(outbox.poll());
		}
		if (extended != null && outbox.isEmpty()) {
			extended.pump();
		}
	}

	boolean writable() {
		return outbox.isEmpty() && end.writable();
	}

	// ------------------------------------------------------------------ ending

	/** Closes the session for a protocol violation ({@code refused}) or a failure, with the reason logged. */
	void fail(String reason, boolean refused) {
		if (closed) {
			return;
		}
		LOG.log(refused ? System.Logger.Level.WARNING : System.Logger.Level.INFO,
				"WebRTC channel with " + peerNodeId() + (circle == null ? "" : " (circle " + circle.circleId() + ")")
						+ " closed: " + reason);
		finish(reason, refused);
		end.close(reason);
	}

	/** Ends without blame: the channel or the session went away. */
	void end(String reason) {
		if (closed) {
			return;
		}
		finish(reason, false);
		end.close(reason);
	}

	private void finish(String reason, boolean refused) {
		closed = true;
		cancelHandshakeTimer();
		outbox.clear();
		if (extended != null) {
			extended.stop();
		}
		engine.closed(this, reason, refused);
	}

	private void cancelHandshakeTimer() {
		if (handshakeTimer != null) {
			handshakeTimer.cancel(false);
			handshakeTimer = null;
		}
	}

	private static String utf8(byte[] data) throws ChannelException {
		try {
			return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
					.onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data)).toString();
		} catch (CharacterCodingException e) {
			throw new ChannelException("frame is not UTF-8 text");
		}
	}

	static String clip(String s) {
		return s.length() > 64 ? s.substring(0, 64) + "…" : s;
	}
}
