package org.felund.transport.gossip.internal;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.felund.api.crypto.CryptoException;
import org.felund.api.model.ChatMessage;
import org.felund.api.model.Peer;
import org.felund.api.model.ProtocolException;
import org.felund.api.store.SyncKey;
import org.felund.api.transport.CircleAccess;
import org.felund.api.transport.ReceiveResult;
import org.felund.api.transport.TransportContext;
import org.felund.protocol.sync.Reconciler;
import org.felund.protocol.wire.Json;
import org.felund.protocol.wire.MessageJson;
import org.felund.transport.gossip.SyncReport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * One gossip connection, either role, as a state machine driven by inbound lines (protocol §4). Runs on one
 * worker thread per connection, so it may call into the node (and its store) directly; every wait for a frame
 * has a timer, so a slow or silent peer costs no thread.
 */
public final class GossipSession extends ChannelInboundHandlerAdapter {
	private static final Logger LOG = Logger.getLogger(GossipSession.class.getName());
	private static final Duration ANCHOR_WAIT = Duration.ofSeconds(3);
	private static final Duration ANCHOR_ACK_WAIT = Duration.ofSeconds(5);
	private static final Duration ANCHOR_MSGS_WAIT = Duration.ofSeconds(10);
	private static final int MAX_NONCE_HEX = 128;
	private static final int MAX_NODE_ID = 128;
	private static final int ECHO_MEMORY = 4096;
	private static final int PUSH_BATCH = 256;
	private static final int ANCHOR_PULL_SCAN = 10_000;
	/** Queued frames and batches beyond which a peer that asks but does not read is dropped. */
	private static final int OUTBOX_LIMIT = 4096;

	enum Role {
		CLIENT, SERVER
	}

	enum State {
		AWAIT_HELLO, AWAIT_HELLO_AUTH, AWAIT_CHALLENGE, AWAIT_WELCOME, AWAIT_PEERS, AWAIT_HAVE, AWAIT_REQ, AWAIT_SEND,
		AWAIT_ANCHOR_PUSH, AWAIT_ANCHOR_PULL, AWAIT_ANCHOR_ACK, AWAIT_ANCHOR_MSGS, EXT_AWAIT_PEERS, EXT, CLOSED
	}

	private final GossipEngine engine;
	private final Role role;
	private final String dialedAddr;
	private final CompletableFuture<SyncReport> result;
	private final SessionCodec codec = new SessionCodec();

	private ChannelHandlerContext ctx;
	private CircleAccess circle;
	private State state;
	private ScheduledFuture<?> timer;
	private ChannelFuture lastWrite;
	private String clientNonce = "";
	private String serverNonce = "";
	private String peerNodeId = "";
	private String peerListenAddr = "";
	private boolean peerOffersExt;
	private boolean peerCanAnchor;
	private boolean extended;
	private boolean live;
	private volatile boolean retired;
	private String failure;

	// reference sync
	private ObjectNode theirPeers;
	private List<SyncKey> ourKeys = List.of();
	private Set<String> theirHave = Set.of();
	private int asked;

	// extended sync
	private Reconciler reconciler;
	private boolean reconDone;
	private int outstandingRequests;
	private final Deque<Object> outbox = new ArrayDeque<>();
	private final Set<String> receivedFromPeer = java.util.Collections
			.newSetFromMap(new LinkedHashMap<String, Boolean>(256, 0.75f, false) {
				private static final long serialVersionUID = 1L;

				@Override
				protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
					return size() > ECHO_MEMORY;
				}
			});
	private long lastSentNanos = System.nanoTime();
	private ScheduledFuture<?> keepAlive;
	private ScheduledFuture<?> refreshTask;

	private int stored;
	private int duplicates;
	private int rejected;
	private int sent;
	private long bytesIn;
	private int lastLineBytes;
	private long bytesOut;
	private int reconFrames;
	private long reconBytes;

	/** A batch of message ids to send; {@code answersRequest} marks the last frame of a reply to X_REQ. */
	private record PushBatch(Deque<String> ids, boolean answersRequest) {
	}

	private GossipSession(GossipEngine engine, Role role, CircleAccess circle, String dialedAddr,
			CompletableFuture<SyncReport> result) {
		this.engine = engine;
		this.role = role;
		this.circle = circle;
		this.dialedAddr = dialedAddr;
		this.result = result;
	}

	public static GossipSession server(GossipEngine engine) {
		return new GossipSession(engine, Role.SERVER, null, "", new CompletableFuture<>());
	}

	public static GossipSession client(GossipEngine engine, CircleAccess circle, String dialedAddr,
			CompletableFuture<SyncReport> result) {
		return new GossipSession(engine, Role.CLIENT, circle, dialedAddr, result);
	}

	String circleId() {
		return circle == null ? "" : circle.circleId();
	}

	String peerNodeId() {
		return peerNodeId;
	}

	String initiatorNodeId() {
		return role == Role.CLIENT ? engine.context().nodeId() : peerNodeId;
	}

	/** Completes when the session's sync is done; for servers too (tests observe both sides). */
	public CompletableFuture<SyncReport> result() {
		return result;
	}

	// ---------------------------------------------------------------- Netty events

	@Override
	public void channelActive(ChannelHandlerContext context) {
		this.ctx = context;
		if (role == Role.CLIENT) {
			sendHello();
		} else {
			expect(State.AWAIT_HELLO, engine.options().readTimeout());
		}
	}

	@Override
	public void channelRead(ChannelHandlerContext context, Object msg) {
		String line;
		if (msg instanceof ByteBuf buf) {
			try {
				line = buf.toString(StandardCharsets.UTF_8);
			} finally {
				buf.release();
			}
		} else {
			return;
		}
		if (state == State.CLOSED) {
			return;
		}
		cancelTimer();
		bytesIn += line.length() + 1;
		lastLineBytes = line.length() + 1;
		try {
			onLine(line);
		} catch (FrameException e) {
			fail(e.errorText(), e.getMessage());
		} catch (RuntimeException e) {
			LOG.log(Level.FINE, "Gossip session failed", e);
			fail(Frames.ERR_INTERNAL, "Internal error: " + e);
		}
	}

	@Override
	public void channelWritabilityChanged(ChannelHandlerContext context) {
		if (context.channel().isWritable()) {
			pump();
		}
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
		if (state == State.CLOSED) {
			return;
		}
		if (cause instanceof TooLongFrameException) {
			fail(Frames.ERR_INTERNAL, "Line longer than " + FrameLimits.READ_LINE_MAX + " bytes");
		} else {
			fail(null, "Connection error: " + cause.getMessage());
		}
	}

	@Override
	public void channelInactive(ChannelHandlerContext context) {
		State was = state;
		state = State.CLOSED;
		cancelTimer();
		if (keepAlive != null) {
			keepAlive.cancel(false);
		}
		if (refreshTask != null) {
			refreshTask.cancel(false);
		}
		if (extended) {
			engine.unregister(this);
		}
		noteUnansweredRequest(was);
		if (failure == null) {
			if (isFinished(was)) {
				finishedNormally = true;
			} else {
				failure = "Connection closed by peer in state " + was;
			}
		}
		complete();
	}

	/** The sync itself is over once the anchor exchange starts; that exchange is best effort (§4.9). */
	private boolean isFinished(State was) {
		return was == State.CLOSED || (extended && reconDone && outstandingRequests == 0) || finishedNormally
				|| was == State.AWAIT_ANCHOR_ACK || was == State.AWAIT_ANCHOR_MSGS || was == State.AWAIT_ANCHOR_PUSH
				|| was == State.AWAIT_ANCHOR_PULL;
	}

	/**
	 * A reference peer that ends the connection (or sends its plaintext "Internal error") right after our MSGS_REQ
	 * most likely could not fit the answer into one line: ask it for fewer next time.
	 */
	private void noteUnansweredRequest(State was) {
		if (was == State.AWAIT_SEND && !extended && !peerNodeId.isEmpty()) {
			engine.requestOutcome(peerNodeId, codec.encrypted(), asked, false);
			asked = 0;
		}
	}

	private boolean finishedNormally;

	// ---------------------------------------------------------------- dispatch

	private void onLine(String line) throws FrameException {
		ObjectNode frame = codec.decode(line);
		String type = Frames.type(frame);
		switch (state) {
		case AWAIT_HELLO -> onHello(frame, type);
		case AWAIT_HELLO_AUTH -> onHelloAuth(frame, type);
		case AWAIT_CHALLENGE -> onChallenge(frame, type);
		case AWAIT_WELCOME -> onWelcome(frame, type);
		case AWAIT_PEERS -> {
			if (!Frames.PEERS.equals(type)) {
				throw new FrameException(Frames.ERR_BAD_SYNC_FRAMES, "Expected PEERS, got " + type);
			}
			theirPeers = frame;
			expect(State.AWAIT_HAVE, engine.options().readTimeout());
		}
		case AWAIT_HAVE -> onHave(frame, type);
		case AWAIT_REQ -> onRequest(frame, type);
		case AWAIT_SEND -> onSend(frame, type);
		case AWAIT_ANCHOR_PUSH -> onAnchorPush(frame, type);
		case AWAIT_ANCHOR_PULL -> onAnchorPull(frame, type);
		case AWAIT_ANCHOR_ACK -> onAnchorAck();
		case AWAIT_ANCHOR_MSGS -> onAnchorMsgs(frame, type);
		case EXT_AWAIT_PEERS -> {
			if (!Frames.PEERS.equals(type)) {
				throw new FrameException(Frames.ERR_BAD_SYNC_FRAMES, "Expected PEERS, got " + type);
			}
			mergePeers(frame);
			state = State.EXT;
			armReadTimeout();
		}
		case EXT -> onExtended(frame, type);
		case CLOSED -> {
			// Late line after close: ignore.
		}
		}
	}

	// ---------------------------------------------------------------- handshake, server side

	private void onHello(ObjectNode hello, String type) throws FrameException {
		if (!Frames.HELLO.equals(type)) {
			throw new FrameException(Frames.ERR_EXPECTED_HELLO, "First frame was " + type);
		}
		peerNodeId = Frames.text(hello, "node_id");
		String circleId = Frames.text(hello, "circle_id");
		peerListenAddr = Frames.flag(hello, "listen_addr") ? Frames.text(hello, "listen_addr") : "";
		clientNonce = Frames.text(hello, "nonce");
		peerOffersExt = Frames.integer(hello, Frames.EXT_KEY, 0) >= Frames.EXT_VERSION;
		if (peerNodeId.length() > MAX_NODE_ID || circleId.length() > MAX_NODE_ID) {
			// Real ids are 24 or 32 hex; anything this long is an attempt to bloat our tables.
			throw new FrameException(Frames.ERR_INTERNAL, "HELLO ids too long");
		}
		Optional<CircleAccess> known = engine.context().circle(circleId);
		if (known.isEmpty()) {
			throw new FrameException(Frames.ERR_UNKNOWN_CIRCLE, "Unknown circle " + circleId);
		}
		circle = known.get();
		if (clientNonce.isEmpty()) {
			if (!engine.options().allowLegacyPlaintext()) {
				throw new FrameException(Frames.ERR_ENCRYPTION_REQUIRED, "Client offered no session encryption");
			}
		} else if (!isEvenHex(clientNonce)) {
			throw new FrameException(Frames.ERR_INTERNAL, "HELLO nonce is not hex");
		}
		serverNonce = engine.newNonce();
		ObjectNode challenge = Frames.frame(Frames.CHALLENGE);
		challenge.put("nonce", serverNonce);
		write(challenge);
		expect(State.AWAIT_HELLO_AUTH, engine.options().readTimeout());
	}

	private void onHelloAuth(ObjectNode auth, String type) throws FrameException {
		if (!Frames.HELLO_AUTH.equals(type)) {
			throw new FrameException(Frames.ERR_EXPECTED_HELLO_AUTH, "Second frame was " + type);
		}
		TransportContext node = engine.context();
		if (node.circle(circle.circleId()).isEmpty()) {
			throw new FrameException(Frames.ERR_UNKNOWN_CIRCLE, "Circle left during handshake");
		}
		String token = Frames.text(auth, "token");
		if (!circle.crypto().verifyGossipToken(peerNodeId, circle.circleId(), serverNonce, token)) {
			throw new FrameException(Frames.ERR_AUTH_FAILED, "Bad token from " + peerNodeId);
		}
		boolean self = peerNodeId.equals(node.nodeId());
		if (!peerNodeId.isEmpty() && !self) {
			recordClientPeer(node);
		}
		boolean encrypt = !clientNonce.isEmpty();
		extended = encrypt && peerOffersExt && engine.options().extensions() && !self && !peerNodeId.isEmpty();
		ObjectNode welcome = Frames.frame(Frames.WELCOME);
		welcome.put("node_id", node.nodeId());
		welcome.put("enc_ready", encrypt);
		welcome.put("can_anchor", node.canAnchor());
		if (extended) {
			welcome.put(Frames.EXT_KEY, Frames.EXT_VERSION);
		}
		write(welcome);
		if (encrypt) {
			startEncryption();
		}
		startSync();
	}

	private void recordClientPeer(TransportContext node) {
		long now = engine.now();
		if (!peerListenAddr.isEmpty()) {
			Optional<PeerAddress> advertised = PeerAddress.parse(peerListenAddr);
			if (advertised.isEmpty()) {
				return;
			}
			String addr = advertised.get().wire();
			if (ctx.channel().remoteAddress() instanceof InetSocketAddress remote && remote.getAddress() != null) {
				String ip = remote.getAddress().getHostAddress();
				int zone = ip.indexOf('%');
				addr = (zone > 0 ? ip.substring(0, zone) : ip) + ":" + advertised.get().port();
			}
			Optional<PeerAddress> observed = PeerAddress.parse(addr);
			if (observed.isPresent() && !engine.isSelfAddress(observed.get())) {
				node.peerSeen(circle.circleId(), new Peer(peerNodeId, observed.get().wire(), now), GossipEngine.TRANSPORT_ID);
			}
		} else {
			node.state().peers(circle.circleId()).stream().filter(p -> p.nodeId().equals(peerNodeId)).findFirst()
					.ifPresent(p -> node.peerSeen(circle.circleId(), new Peer(peerNodeId, p.addr(), now),
							GossipEngine.TRANSPORT_ID));
		}
		node.reachability(circle.circleId(), peerNodeId, GossipEngine.TRANSPORT_ID, true);
	}

	// ---------------------------------------------------------------- handshake, client side

	private void sendHello() {
		TransportContext node = engine.context();
		clientNonce = engine.newNonce();
		ObjectNode hello = Frames.frame(Frames.HELLO);
		hello.put("node_id", node.nodeId());
		hello.put("circle_id", circle.circleId());
		InetSocketAddress local = ctx.channel().localAddress() instanceof InetSocketAddress l ? l : null;
		hello.put("listen_addr", engine.listenAddr(local));
		hello.put("nonce", clientNonce);
		hello.put("can_anchor", node.canAnchor());
		if (engine.options().extensions()) {
			hello.put(Frames.EXT_KEY, Frames.EXT_VERSION);
		}
		write(hello);
		expect(State.AWAIT_CHALLENGE, engine.options().readTimeout());
	}

	private void onChallenge(ObjectNode challenge, String type) throws FrameException {
		if (!Frames.CHALLENGE.equals(type)) {
			throw new FrameException(null, "Expected CHALLENGE, got " + type + describeError(challenge));
		}
		serverNonce = Frames.text(challenge, "nonce");
		if (!isEvenHex(serverNonce) || serverNonce.isEmpty()) {
			throw new FrameException(null, "CHALLENGE nonce is not hex");
		}
		ObjectNode auth = Frames.frame(Frames.HELLO_AUTH);
		auth.put("token", circle.crypto().gossipToken(engine.context().nodeId(), circle.circleId(), serverNonce));
		write(auth);
		expect(State.AWAIT_WELCOME, engine.options().readTimeout());
	}

	private void onWelcome(ObjectNode welcome, String type) throws FrameException {
		if (!Frames.WELCOME.equals(type)) {
			throw new FrameException(null, "Expected WELCOME, got " + type + describeError(welcome));
		}
		TransportContext node = engine.context();
		peerNodeId = Frames.text(welcome, "node_id");
		if (peerNodeId.equals(node.nodeId())) {
			engine.markSelfAddress(dialedAddr);
			throw new FrameException(null, "Dialled ourselves at " + dialedAddr);
		}
		boolean encrypt = Frames.flag(welcome, "enc_ready");
		if (!encrypt && !engine.options().allowLegacyPlaintext()) {
			throw new FrameException(null, "Peer " + peerNodeId + " offers no session encryption (legacy plaintext not allowed)");
		}
		peerCanAnchor = Frames.flag(welcome, "can_anchor");
		extended = encrypt && engine.options().extensions() && !peerNodeId.isEmpty()
				&& Frames.integer(welcome, Frames.EXT_KEY, 0) >= Frames.EXT_VERSION;
		if (!peerNodeId.isEmpty()) {
			node.peerSeen(circle.circleId(), new Peer(peerNodeId, dialedAddr, engine.now()), GossipEngine.TRANSPORT_ID);
			node.reachability(circle.circleId(), peerNodeId, GossipEngine.TRANSPORT_ID, true);
		}
		if (encrypt) {
			startEncryption();
		}
		startSync();
	}

	private void startEncryption() throws FrameException {
		try {
			codec.encrypt(circle.crypto().session(clientNonce, serverNonce), extended, role == Role.CLIENT);
		} catch (CryptoException e) {
			throw new FrameException(role == Role.SERVER ? Frames.ERR_INTERNAL : null, "Cannot derive session key", e);
		}
	}

	private static String describeError(ObjectNode frame) {
		return Frames.ERROR.equals(Frames.type(frame)) ? " (" + Frames.text(frame, "err") + ")" : "";
	}

	private static boolean isEvenHex(String s) {
		if (s.length() % 2 != 0 || s.length() > MAX_NONCE_HEX) {
			return false;
		}
		for (int i = 0; i < s.length(); i++) {
			if (Character.digit(s.charAt(i), 16) < 0) {
				return false;
			}
		}
		return true;
	}

	// ---------------------------------------------------------------- reference sync (§4.5)

	private void startSync() {
		TransportContext node = engine.context();
		if (!extended && !peerNodeId.isEmpty() && !peerNodeId.equals(node.nodeId())) {
			engine.referencePeerSeen(circle.circleId());
		}
		write(peersFrame(node));
		if (extended) {
			live = engine.registerExtended(this);
			reconciler = new Reconciler(engine.index(circle.circleId()), codec.jsonBudget() - 64);
			if (role == Role.CLIENT) {
				ObjectNode recon = Frames.frame(Frames.X_RECON);
				recon.set("r", reconciler.initial());
				enqueue(recon);
			}
			startKeepAlive();
			expect(State.EXT_AWAIT_PEERS, engine.options().readTimeout());
			return;
		}
		ourKeys = node.messages().keys(circle.circleId(), null, null, Integer.MAX_VALUE);
		List<String> have = SyncPlanner.haveSubset(circle.circleId(), ourKeys,
				engine.knownHave(circle.circleId(), peerNodeId), codec.jsonBudget());
		ObjectNode haveFrame = Frames.frame(Frames.MSGS_HAVE);
		haveFrame.put("circle_id", circle.circleId());
		ArrayNode ids = haveFrame.putArray("msg_ids");
		have.forEach(ids::add);
		write(haveFrame);
		expect(State.AWAIT_PEERS, engine.options().readTimeout());
	}

	/** Our PEERS: members with a record, newest first, never the recipient itself, sized to one line. */
	private ObjectNode peersFrame(TransportContext node) {
		ObjectNode frame = Frames.frame(Frames.PEERS);
		frame.put("circle_id", circle.circleId());
		ArrayNode list = frame.putArray("peers");
		List<Peer> peers = new ArrayList<>(node.state().peers(circle.circleId()));
		peers.sort(Comparator.comparingLong(Peer::lastSeen).reversed());
		int budget = codec.jsonBudget() - Json.ascii(frame).length();
		for (Peer p : peers) {
			if (p.nodeId().isEmpty() || p.nodeId().equals(peerNodeId) || p.nodeId().equals(node.nodeId())
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

	private void onHave(ObjectNode have, String type) throws FrameException {
		if (!Frames.MSGS_HAVE.equals(type)) {
			throw new FrameException(Frames.ERR_BAD_SYNC_FRAMES, "Expected MSGS_HAVE, got " + type);
		}
		mergePeers(theirPeers);
		theirHave = idList(have, "msg_ids");
		engine.rememberHave(circle.circleId(), peerNodeId, theirHave);
		Set<String> ours = new HashSet<>();
		ourKeys.forEach(k -> ours.add(k.msgId()));
		List<String> missing = new ArrayList<>();
		for (String id : theirHave) {
			if (!ours.contains(id)) {
				missing.add(id);
			}
		}
		List<String> request = SyncPlanner.requestSubset(circle.circleId(), missing,
				engine.requestLimit(peerNodeId, codec.encrypted()), codec.jsonBudget());
		asked = request.size();
		ObjectNode req = Frames.frame(Frames.MSGS_REQ);
		req.put("circle_id", circle.circleId());
		ArrayNode ids = req.putArray("msg_ids");
		request.forEach(ids::add);
		write(req);
		expect(State.AWAIT_REQ, engine.options().readTimeout());
	}

	private void onRequest(ObjectNode req, String type) throws FrameException {
		if (!Frames.MSGS_REQ.equals(type)) {
			throw new FrameException(Frames.ERR_EXPECTED_MSGS_REQ, "Expected MSGS_REQ, got " + type);
		}
		TransportContext node = engine.context();
		List<String> wanted = new ArrayList<>(idList(req, "msg_ids"));
		Map<String, Long> ts = new HashMap<>();
		ourKeys.forEach(k -> ts.put(k.msgId(), k.createdTs()));
		wanted.removeIf(id -> !ts.containsKey(id));
		// Only the newest candidates can make it into one line; build wire copies for those alone.
		int maxCandidates = Math.max(1, codec.jsonBudget() / 150);
		List<String> newestFirst = new ArrayList<>(wanted);
		newestFirst.sort(Comparator.comparing((String id) -> ts.get(id)).reversed());
		Set<String> candidates = new HashSet<>(newestFirst.subList(0, Math.min(maxCandidates, newestFirst.size())));
		List<ChatMessage> copies = new ArrayList<>();
		for (String id : wanted) {
			if (candidates.contains(id)) {
				node.wireCopy(circle.circleId(), id).filter(m -> m.circleId().equals(circle.circleId()))
						.ifPresent(copies::add);
			}
		}
		int room = SyncPlanner.haveRoom(circle.circleId(), theirHave, codec.encrypted());
		List<ChatMessage> chosen = SyncPlanner.sendSubset(circle.circleId(), copies, codec.jsonBudget(), room);
		ObjectNode send = Frames.frame(Frames.MSGS_SEND);
		send.put("circle_id", circle.circleId());
		ArrayNode messages = send.putArray("messages");
		chosen.forEach(m -> messages.add(MessageJson.toWire(m)));
		sent += chosen.size();
		write(send);
		expect(State.AWAIT_SEND, engine.options().readTimeout());
	}

	private void onSend(ObjectNode send, String type) throws FrameException {
		if (!Frames.MSGS_SEND.equals(type)) {
			throw new FrameException(Frames.ERR_EXPECTED_MSGS_SEND, "Expected MSGS_SEND, got " + type);
		}
		engine.requestOutcome(peerNodeId, codec.encrypted(), asked, true);
		receiveAll(send.get("messages"), false);
		TransportContext node = engine.context();
		if (role == Role.CLIENT && peerCanAnchor) {
			sendAnchorPush(node);
		} else if (role == Role.SERVER && node.canAnchor()) {
			expect(State.AWAIT_ANCHOR_PUSH, ANCHOR_WAIT);
		} else {
			finish();
		}
	}

	private void receiveAll(JsonNode messages, boolean fromExtendedPeer) {
		if (messages == null || !messages.isArray()) {
			return;
		}
		TransportContext node = engine.context();
		List<ChatMessage> batch = new ArrayList<>(messages.size());
		for (JsonNode m : messages) {
			ChatMessage message;
			try {
				message = MessageJson.fromWire(m);
			} catch (ProtocolException e) {
				rejected++;
				continue;
			}
			if (!message.circleId().equals(circle.circleId())) {
				rejected++;
				continue;
			}
			if (fromExtendedPeer) {
				receivedFromPeer.add(message.msgId());
			}
			batch.add(message);
		}
		// One frame's messages are accepted in one store transaction (a fresh sync is bound by commits).
		for (ReceiveResult r : node.receiveAll(circle.circleId(), batch, GossipEngine.TRANSPORT_ID, peerNodeId)) {
			switch (r) {
			case STORED -> stored++;
			case DUPLICATE -> duplicates++;
			case REJECTED -> rejected++;
			}
		}
	}

	/** Peer merge (§4.8) without the reference's flaws: no self records, no unparseable addresses. */
	private void mergePeers(ObjectNode peersFrame) {
		JsonNode list = peersFrame == null ? null : peersFrame.get("peers");
		if (list == null || !list.isArray()) {
			return;
		}
		TransportContext node = engine.context();
		int accepted = 0;
		for (JsonNode entry : list) {
			if (!entry.isObject() || accepted >= 1000) {
				continue;
			}
			String nodeId = Frames.text(entry, "node_id");
			String addr = Frames.text(entry, "addr");
			long lastSeen = Frames.integer(entry, "last_seen", 0);
			if (nodeId.isEmpty() || addr.isEmpty() || nodeId.equals(node.nodeId()) || nodeId.length() > 128) {
				continue;
			}
			Optional<PeerAddress> parsed = PeerAddress.parse(addr);
			if (parsed.isEmpty() || engine.isSelfAddress(parsed.get())) {
				continue;
			}
			// A peer's clock may run ahead; never let its last_seen claim the future.
			long seen = Math.min(lastSeen, engine.now());
			node.peerSeen(circle.circleId(), new Peer(nodeId, parsed.get().wire(), seen), GossipEngine.TRANSPORT_ID);
			accepted++;
		}
	}

	private static Set<String> idList(JsonNode frame, String key) {
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

	// ---------------------------------------------------------------- anchor exchange (§4.9)

	private void sendAnchorPush(TransportContext node) {
		ObjectNode push = Frames.frame(Frames.ANCHOR_PUSH);
		push.put("circle_id", circle.circleId());
		ArrayNode envelopes = push.putArray("envelopes");
		int budget = codec.jsonBudget() - Json.ascii(push).length();
		for (ChatMessage recent : node.messages().recent(circle.circleId(), false, 200)) {
			Optional<ChatMessage> copy = node.wireCopy(circle.circleId(), recent.msgId());
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
		write(push);
		expect(State.AWAIT_ANCHOR_ACK, ANCHOR_ACK_WAIT);
	}

	private void onAnchorAck() {
		ObjectNode pull = Frames.frame(Frames.ANCHOR_PULL);
		pull.put("circle_id", circle.circleId());
		pull.put("since", engine.anchorCursor(circle.circleId(), peerNodeId));
		write(pull);
		expect(State.AWAIT_ANCHOR_MSGS, ANCHOR_MSGS_WAIT);
	}

	private void onAnchorMsgs(ObjectNode msgs, String type) {
		if (Frames.ANCHOR_MSGS.equals(type)) {
			long serverTime = Frames.integer(msgs, "server_time", 0);
			if (serverTime > 0) {
				engine.anchorCursor(circle.circleId(), peerNodeId, serverTime);
			}
			JsonNode envelopes = msgs.get("envelopes");
			if (envelopes != null && envelopes.isArray()) {
				TransportContext node = engine.context();
				for (JsonNode e : envelopes) {
					try {
						ChatMessage m = MessageJson.fromRelayEnvelope(e);
						if (!m.circleId().equals(circle.circleId())) {
							rejected++;
							continue;
						}
						switch (node.receive(circle.circleId(), m, GossipEngine.TRANSPORT_ID, peerNodeId)) {
						case STORED -> stored++;
						case DUPLICATE -> duplicates++;
						case REJECTED -> rejected++;
						}
					} catch (ProtocolException ex) {
						rejected++;
					}
				}
			}
		}
		finish();
	}

	private void onAnchorPush(ObjectNode push, String type) {
		if (!Frames.ANCHOR_PUSH.equals(type)) {
			finish();
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
		engine.anchorStore().push(circle.circleId(), envelopes, engine.now());
		ObjectNode ack = Frames.frame(Frames.ANCHOR_PUSH_ACK);
		ack.put("stored", received);
		write(ack);
		expect(State.AWAIT_ANCHOR_PULL, ANCHOR_WAIT);
	}

	private void onAnchorPull(ObjectNode pull, String type) {
		if (!Frames.ANCHOR_PULL.equals(type)) {
			finish();
			return;
		}
		long since = Frames.integer(pull, "since", 0);
		List<ChatMessage> matches = engine.anchorStore().pull(circle.circleId(), since, ANCHOR_PULL_SCAN);
		ObjectNode msgs = Frames.frame(Frames.ANCHOR_MSGS);
		ArrayNode envelopes = msgs.putArray("envelopes");
		long now = engine.now();
		int budget = codec.jsonBudget() - Json.ascii(msgs).length() - 32;
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
		write(msgs);
		finish();
	}

	// ---------------------------------------------------------------- extended sync

	private void onExtended(ObjectNode frame, String type) throws FrameException {
		armReadTimeout();
		switch (type) {
		case Frames.X_RECON -> {
			reconFrames++;
			reconBytes += lastLineBytes;
			JsonNode ranges = frame.get("r");
			if (ranges != null && ranges.isArray() && ranges.isEmpty()) {
				reconDone = true;
				checkCaughtUp();
				return;
			}
			// A fresh view of the index for every frame: it may have been rebuilt since the last one.
			reconciler = new Reconciler(engine.index(circle.circleId()), codec.jsonBudget() - 64);
			Reconciler.Outcome outcome;
			try {
				outcome = reconciler.respond(ranges);
			} catch (ProtocolException e) {
				throw new FrameException(null, e.getMessage(), e);
			}
			if (!outcome.push().isEmpty()) {
				enqueue(new PushBatch(new ArrayDeque<>(outcome.push()), false));
			}
			requestIds(outcome.request());
			ObjectNode reply = Frames.frame(Frames.X_RECON);
			reply.set("r", outcome.reply());
			enqueue(reply);
			reconDone = outcome.done();
			checkCaughtUp();
		}
		case Frames.X_REQ -> {
			Set<String> ids = idList(frame, "msg_ids");
			enqueue(new PushBatch(new ArrayDeque<>(ids), true));
		}
		case Frames.X_MSGS -> {
			receiveAll(frame.get("messages"), true);
			if (Frames.flag(frame, "last") && outstandingRequests > 0) {
				outstandingRequests--;
			}
			checkCaughtUp();
		}
		case Frames.PEERS -> mergePeers(frame);
		case Frames.X_PING -> enqueue(Frames.frame(Frames.X_PONG));
		case Frames.X_PONG -> {
			// Keep-alive answer; the read timer was re-armed above.
		}
		case Frames.X_BYE -> {
			finishedNormally = true;
			closeAfterWrites();
		}
		default -> throw new FrameException(null, "Unexpected frame " + type + " in an extended session");
		}
	}

	private void requestIds(List<String> ids) {
		if (ids.isEmpty()) {
			return;
		}
		int budget = codec.jsonBudget() - 64;
		List<String> chunk = new ArrayList<>();
		for (String id : ids) {
			chunk.add(id);
			if (SyncPlanner.idListFrameBytes(Frames.X_REQ, circle.circleId(), chunk) > budget) {
				chunk.remove(chunk.size() - 1);
				sendRequest(chunk);
				chunk = new ArrayList<>();
				chunk.add(id);
			}
		}
		sendRequest(chunk);
	}

	private void sendRequest(List<String> chunk) {
		ObjectNode req = Frames.frame(Frames.X_REQ);
		req.put("circle_id", circle.circleId());
		ArrayNode list = req.putArray("msg_ids");
		chunk.forEach(list::add);
		outstandingRequests++;
		enqueue(req);
	}

	private void checkCaughtUp() {
		if (!reconDone || outstandingRequests > 0) {
			return;
		}
		if (!result.isDone()) {
			complete();
		}
		if (!live || retired) {
			// Not the live connection between these nodes: say goodbye once our own sends are out.
			if (outbox.isEmpty()) {
				sendBye();
			} else {
				byeWhenDrained = true;
			}
		}
	}

	private boolean byeWhenDrained;

	private void sendBye() {
		finishedNormally = true;
		write(Frames.frame(Frames.X_BYE));
		closeAfterWrites();
	}

	/** A message was stored locally; push it unless it came from this very peer. Any thread. */
	void offerLive(String msgId) {
		ChannelHandlerContext c = ctx;
		if (c == null || retired) {
			return;
		}
		runOnSession(c, () -> {
			if (state == State.CLOSED || !extended || receivedFromPeer.contains(msgId)) {
				return;
			}
			Object tail = outbox.peekLast();
			if (tail instanceof PushBatch batch && !batch.answersRequest()) {
				batch.ids().add(msgId);
			} else {
				enqueue(new PushBatch(new ArrayDeque<>(List.of(msgId)), false));
			}
			pump();
		});
	}

	/** Stops being the live connection: finish the current sync, then close. Any thread. */
	void retire() {
		retired = true;
		ChannelHandlerContext c = ctx;
		if (c != null) {
			runOnSession(c, () -> {
				if (state == State.EXT && reconDone && outstandingRequests == 0) {
					if (outbox.isEmpty()) {
						sendBye();
					} else {
						byeWhenDrained = true;
					}
				}
			});
		}
	}

	private static void runOnSession(ChannelHandlerContext c, Runnable task) {
		try {
			c.executor().execute(task);
		} catch (java.util.concurrent.RejectedExecutionException e) {
			// The transport is shutting down; the connection goes with it.
		}
	}

	private void enqueue(Object item) {
		if (outbox.size() >= OUTBOX_LIMIT) {
			// The peer keeps asking (X_REQ, X_RECON) without reading what we send: it only costs us memory.
			fail(null, "Peer does not read its frames; " + outbox.size() + " queued");
			return;
		}
		outbox.add(item);
		pump();
	}

	/** Writes queued frames and message batches in order while the socket accepts more. */
	private void pump() {
		if (ctx == null || state == State.CLOSED) {
			return;
		}
		TransportContext node = engine.context();
		while (!outbox.isEmpty() && ctx.channel().isWritable()) {
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
			writeMessages(node, ids, batch);
			if (batch.ids().isEmpty()) {
				outbox.pollFirst();
			}
		}
		if (outbox.isEmpty() && byeWhenDrained) {
			byeWhenDrained = false;
			sendBye();
		}
	}

	private void writeMessages(TransportContext node, List<String> ids, PushBatch batch) {
		List<ChatMessage> messages = new ArrayList<>();
		for (ChatMessage m : node.messages().get(circle.circleId(), ids)) {
			messages.add(m.enc() != null ? m.ciphertextOnly() : node.wireCopy(circle.circleId(), m.msgId()).orElse(m));
		}
		int budget = codec.jsonBudget() - 64;
		ObjectNode frame = newMsgsFrame();
		int size = Json.ascii(frame).length();
		for (ChatMessage m : messages) {
			ObjectNode wire = MessageJson.toWire(m);
			int cost = Json.ascii(wire).length() + 1;
			if (size + cost > budget && frame.get("messages").size() > 0) {
				write(frame);
				frame = newMsgsFrame();
				size = Json.ascii(frame).length();
			}
			if (size + cost > budget) {
				continue; // a single message larger than a line cannot travel over gossip
			}
			((ArrayNode) frame.get("messages")).add(wire);
			size += cost;
			sent++;
		}
		boolean last = batch.answersRequest() && batch.ids().isEmpty();
		if (last) {
			frame.put("last", true);
		}
		if (frame.get("messages").size() > 0 || last) {
			write(frame);
		}
	}

	private ObjectNode newMsgsFrame() {
		ObjectNode frame = Frames.frame(Frames.X_MSGS);
		frame.put("circle_id", circle.circleId());
		frame.putArray("messages");
		return frame;
	}

	private void startKeepAlive() {
		// Three pings per read timeout: an idle live connection is never mistaken for a dead one.
		long period = Math.max(50, engine.options().readTimeout().toMillis() / 3);
		keepAlive = ctx.executor().scheduleAtFixedRate(() -> {
			if (state != State.EXT) {
				return;
			}
			if (System.nanoTime() - lastSentNanos >= TimeUnit.MILLISECONDS.toNanos(period) && outbox.isEmpty()) {
				write(Frames.frame(Frames.X_PING));
			}
		}, period, period, TimeUnit.MILLISECONDS);
		long refresh = Math.max(1000, engine.options().interval().toMillis() * 12);
		refreshTask = ctx.executor().scheduleAtFixedRate(this::refresh, refresh, refresh, TimeUnit.MILLISECONDS);
	}

	/**
	 * A live connection replaces the gossip rounds with its peer, so it repeats what a round would bring: the peer
	 * list (both sides, so new members spread) and, from the client, a reconciliation that heals anything missed.
	 */
	private void refresh() {
		if (state != State.EXT || !live || retired) {
			return;
		}
		enqueue(peersFrame(engine.context()));
		if (role == Role.CLIENT && reconDone && outstandingRequests == 0) {
			reconDone = false;
			reconciler = new Reconciler(engine.index(circle.circleId()), codec.jsonBudget() - 64);
			ObjectNode recon = Frames.frame(Frames.X_RECON);
			recon.set("r", reconciler.initial());
			enqueue(recon);
		}
	}

	private void armReadTimeout() {
		expect(State.EXT, engine.options().readTimeout());
	}

	// ---------------------------------------------------------------- plumbing

	private void write(ObjectNode frame) {
		boolean recon = Frames.X_RECON.equals(Frames.type(frame));
		String line = codec.encode(frame);
		bytesOut += line.length() + 1;
		if (recon) {
			reconFrames++;
			reconBytes += line.length() + 1;
		}
		ByteBuf buf = Unpooled.copiedBuffer(line + "\n", StandardCharsets.US_ASCII);
		lastWrite = ctx.writeAndFlush(buf);
		lastSentNanos = System.nanoTime();
	}

	private void expect(State next, Duration timeout) {
		state = next;
		cancelTimer();
		timer = ctx.executor().schedule(this::onTimeout, timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void cancelTimer() {
		if (timer != null) {
			timer.cancel(false);
			timer = null;
		}
	}

	private void onTimeout() {
		if (state == State.CLOSED) {
			return;
		}
		switch (state) {
		case AWAIT_ANCHOR_PUSH, AWAIT_ANCHOR_PULL, AWAIT_ANCHOR_ACK, AWAIT_ANCHOR_MSGS -> finish();
		default -> fail(Frames.ERR_INTERNAL, "Timed out in state " + state);
		}
	}

	private void finish() {
		finishedNormally = true;
		closeAfterWrites();
	}

	/**
	 * Ends the session after a protocol failure. The server answers with the reference's ERROR text (plaintext
	 * during the handshake, in the session encoding afterwards, never plaintext inside an encrypted session); the
	 * client sends only the sync errors, as the reference does.
	 */
	private void fail(String errorText, String detail) {
		failure = detail;
		noteUnansweredRequest(state);
		engine.lastError(detail);
		if (errorText != null && ctx != null && ctx.channel().isActive() && mayReport(errorText)) {
			try {
				write(Frames.error(errorText));
			} catch (RuntimeException e) {
				// Nothing more to say to this peer.
			}
		}
		closeAfterWrites();
	}

	private boolean mayReport(String errorText) {
		if (extended) {
			return false;
		}
		if (role == Role.SERVER) {
			return true;
		}
		return errorText.equals(Frames.ERR_BAD_SYNC_FRAMES) || errorText.equals(Frames.ERR_EXPECTED_MSGS_REQ)
				|| errorText.equals(Frames.ERR_EXPECTED_MSGS_SEND);
	}

	private void closeAfterWrites() {
		cancelTimer();
		State was = state;
		state = State.CLOSED;
		if (was != State.CLOSED) {
			complete();
		}
		if (lastWrite != null && !lastWrite.isDone()) {
			lastWrite.addListener(ChannelFutureListener.CLOSE);
		} else if (ctx != null) {
			ctx.close();
		}
	}

	private void complete() {
		if (result.isDone()) {
			return;
		}
		boolean caughtUp = extended && reconDone && outstandingRequests == 0;
		String error = (finishedNormally || caughtUp) ? null : failure == null ? "Session ended early" : failure;
		result.complete(new SyncReport(circleId(), dialedAddr, peerNodeId, extended, live && !retired, stored,
				duplicates, rejected, sent, bytesIn, bytesOut, reconFrames, reconBytes, error));
	}
}
