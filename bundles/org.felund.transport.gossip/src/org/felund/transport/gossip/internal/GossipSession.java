package org.felund.transport.gossip.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.felund.api.transport.CircleAccess;
import org.felund.api.transport.TransportContext;
import org.felund.transport.gossip.SyncReport;

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
 * One gossip connection, either role (protocol §4): the Netty handler that turns lines into frames, hands each to
 * the phase that expects it, and owns what every phase shares (the codec, the frame timer, writing, failing and the
 * {@link SyncReport}). The phases are their own classes: {@link Handshake} (HELLO … WELCOME), then either
 * {@link ReferenceSync} (PEERS / MSGS_*, §4.5) followed by the {@link AnchorExchange} (§4.9), or with our own nodes
 * the {@link ExtendedSync} (reconciliation and live push, docs/protocol-extensions.md).
 * <p>
 * Runs on one worker thread per connection, so phases may call into the node (and its store) directly; every wait
 * for a frame has a timer, so a slow or silent peer costs no thread.
 */
public final class GossipSession extends ChannelInboundHandlerAdapter {
	private static final Logger LOG = Logger.getLogger(GossipSession.class.getName());

	enum Role {
		CLIENT, SERVER
	}

	/** Which frame the session waits for; each state belongs to one phase. */
	enum State {
		AWAIT_HELLO, AWAIT_HELLO_AUTH, AWAIT_CHALLENGE, AWAIT_WELCOME, AWAIT_PEERS, AWAIT_HAVE, AWAIT_REQ, AWAIT_SEND,
		AWAIT_ANCHOR_PUSH, AWAIT_ANCHOR_PULL, AWAIT_ANCHOR_ACK, AWAIT_ANCHOR_MSGS, EXT_AWAIT_PEERS, EXT, CLOSED;

		boolean anchorExchange() {
			return this == AWAIT_ANCHOR_PUSH || this == AWAIT_ANCHOR_PULL || this == AWAIT_ANCHOR_ACK
					|| this == AWAIT_ANCHOR_MSGS;
		}
	}

	private final GossipEngine engine;
	private final Role role;
	private final String dialedAddr;
	private final CompletableFuture<SyncReport> result;
	private final SessionCodec codec = new SessionCodec();
	final SessionStats stats = new SessionStats();
	private final Handshake handshake;

	private ChannelHandlerContext ctx;
	private CircleAccess circle;
	private State state;
	private ScheduledFuture<?> timer;
	private ChannelFuture lastWrite;
	private long lastSentNanos = System.nanoTime();
	private String peerNodeId = "";
	private boolean extended;
	private boolean peerCanAnchor;
	private boolean live;
	/** Until the peer's first frame after WELCOME: nothing from the handshake's claims is applied before it. */
	private boolean awaitingFirstFrame;
	private volatile boolean retired;
	private String failure;
	private boolean finishedNormally;

	private ReferenceSync referenceSync;
	private AnchorExchange anchorExchange;
	private ExtendedSync extendedSync;

	private GossipSession(GossipEngine engine, Role role, CircleAccess circle, String dialedAddr,
			CompletableFuture<SyncReport> result) {
		this.engine = engine;
		this.role = role;
		this.circle = circle;
		this.dialedAddr = dialedAddr;
		this.result = result;
		this.handshake = new Handshake(this);
	}

	public static GossipSession server(GossipEngine engine) {
		return new GossipSession(engine, Role.SERVER, null, "", new CompletableFuture<>());
	}

	public static GossipSession client(GossipEngine engine, CircleAccess circle, String dialedAddr,
			CompletableFuture<SyncReport> result) {
		return new GossipSession(engine, Role.CLIENT, circle, dialedAddr, result);
	}

	// ---------------------------------------------------------------- what the phases share

	GossipEngine engine() {
		return engine;
	}

	TransportContext node() {
		return engine.context();
	}

	Role role() {
		return role;
	}

	SessionCodec codec() {
		return codec;
	}

	ChannelHandlerContext channel() {
		return ctx;
	}

	String dialedAddr() {
		return dialedAddr;
	}

	CircleAccess circle() {
		return circle;
	}

	void circle(CircleAccess known) {
		circle = known;
	}

	String circleId() {
		return circle == null ? "" : circle.circleId();
	}

	String peerNodeId() {
		return peerNodeId;
	}

	void peerNodeId(String id) {
		peerNodeId = id;
	}

	String initiatorNodeId() {
		return role == Role.CLIENT ? engine.context().nodeId() : peerNodeId;
	}

	boolean extended() {
		return extended;
	}

	/** What the handshake agreed: whether both sides use the Felund extensions. */
	void extended(boolean agreed) {
		extended = agreed;
	}

	/** Whether the server said in WELCOME that it anchors (only a client learns this). */
	boolean peerCanAnchor() {
		return peerCanAnchor;
	}

	void peerCanAnchor(boolean offers) {
		peerCanAnchor = offers;
	}

	boolean live() {
		return live;
	}

	boolean retired() {
		return retired;
	}

	State state() {
		return state;
	}

	long lastSentNanos() {
		return lastSentNanos;
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
			handshake.sendHello();
		} else {
			expect(State.AWAIT_HELLO, engine.handshakeTimeout());
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
		stats.lineIn(line.length() + 1);
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
		if (context.channel().isWritable() && extendedSync != null) {
			extendedSync.outbox().pump();
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
		if (extendedSync != null) {
			extendedSync.stopTimers();
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
		return was == State.CLOSED || caughtUp() || finishedNormally || was.anchorExchange();
	}

	private boolean caughtUp() {
		return extended && extendedSync != null && extendedSync.caughtUp();
	}

	private void noteUnansweredRequest(State was) {
		if (referenceSync != null) {
			referenceSync.noteUnansweredRequest(was);
		}
	}

	// ---------------------------------------------------------------- dispatch

	private void onLine(String line) throws FrameException {
		ObjectNode frame = codec.decode(line);
		if (awaitingFirstFrame) {
			awaitingFirstFrame = false;
			handshake.onFirstSessionFrame(frame);
			peerAccepted();
		}
		String type = Frames.type(frame);
		switch (state) {
		case AWAIT_HELLO -> handshake.onHello(frame, type);
		case AWAIT_HELLO_AUTH -> handshake.onHelloAuth(frame, type);
		case AWAIT_CHALLENGE -> handshake.onChallenge(frame, type);
		case AWAIT_WELCOME -> handshake.onWelcome(frame, type);
		case AWAIT_PEERS -> referenceSync.onPeers(frame, type);
		case AWAIT_HAVE -> referenceSync.onHave(frame, type);
		case AWAIT_REQ -> referenceSync.onRequest(frame, type);
		case AWAIT_SEND -> referenceSync.onSend(frame, type);
		case AWAIT_ANCHOR_PUSH -> anchorExchange().onPush(frame, type);
		case AWAIT_ANCHOR_PULL -> anchorExchange().onPull(frame, type);
		case AWAIT_ANCHOR_ACK -> anchorExchange().onAck(frame, type);
		case AWAIT_ANCHOR_MSGS -> anchorExchange().onMsgs(frame, type);
		case EXT_AWAIT_PEERS -> extendedSync.onFirstPeers(frame, type);
		case EXT -> extendedSync.onFrame(frame, type);
		case CLOSED -> {
			// Late line after close: ignore.
		}
		}
	}

	/**
	 * The handshake is over: the peer is authenticated, encryption (if any) is on. Both sides send PEERS first, then
	 * sync the reference way or, when both offered the extensions, the extended way.
	 */
	void handshakeDone() {
		write(PeerExchange.peersFrame(this));
		awaitingFirstFrame = true;
		if (extended) {
			extendedSync = new ExtendedSync(this);
			extendedSync.start();
		} else {
			referenceSync = new ReferenceSync(this);
			referenceSync.start();
		}
	}

	/**
	 * The peer's first frame proved it (and, between Felund nodes, that the extensions were negotiated as offered):
	 * only now does it count as a reference peer of the circle, or take the live connection to it.
	 */
	private void peerAccepted() {
		if (peerNodeId.equals(engine.context().nodeId())) {
			return;
		}
		if (extended) {
			live = engine.registerExtended(this);
		} else {
			engine.referencePeerSeen(circle.circleId());
		}
	}

	/** The anchor exchange that follows a reference sync (§4.9). */
	AnchorExchange anchorExchange() {
		if (anchorExchange == null) {
			anchorExchange = new AnchorExchange(this);
		}
		return anchorExchange;
	}

	/** A message was stored locally; push it unless it came from this very peer. Any thread. */
	void offerLive(String msgId) {
		ChannelHandlerContext c = ctx;
		if (c == null || retired) {
			return;
		}
		runOnSession(c, () -> {
			if (state != State.CLOSED && extended && extendedSync != null) {
				extendedSync.outbox().offer(msgId);
			}
		});
	}

	/** Stops being the live connection: finish the current sync, then close. Any thread. */
	void retire() {
		retired = true;
		ChannelHandlerContext c = ctx;
		if (c != null) {
			runOnSession(c, () -> {
				if (state == State.EXT && extendedSync != null) {
					extendedSync.retire();
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

	// ---------------------------------------------------------------- plumbing

	void write(ObjectNode frame) {
		boolean recon = Frames.X_RECON.equals(Frames.type(frame));
		String line = codec.encode(frame);
		stats.lineOut(line.length() + 1, recon);
		ByteBuf buf = Unpooled.copiedBuffer(line + "\n", StandardCharsets.US_ASCII);
		lastWrite = ctx.writeAndFlush(buf);
		lastSentNanos = System.nanoTime();
	}

	/** Waits for the next frame in {@code next}; a peer that sends nothing for {@code timeout} ends the session. */
	void expect(State next, Duration timeout) {
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
		if (state.anchorExchange()) {
			finish();
		} else {
			fail(Frames.ERR_INTERNAL, "Timed out in state " + state);
		}
	}

	/** Ends the session as a success once the queued writes are out. */
	void finish() {
		finishedNormally = true;
		closeAfterWrites();
	}

	/**
	 * Ends the session after a protocol failure. The server answers with the reference's ERROR text (plaintext
	 * during the handshake, in the session encoding afterwards, never plaintext inside an encrypted session); the
	 * client sends only the sync errors, as the reference does.
	 */
	void fail(String errorText, String detail) {
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

	void closeAfterWrites() {
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

	/** Reports the outcome (once): a success when finished normally or, in an extended sync, caught up. */
	void complete() {
		if (result.isDone()) {
			return;
		}
		String error = (finishedNormally || caughtUp()) ? null : failure == null ? "Session ended early" : failure;
		result.complete(stats.report(circleId(), dialedAddr, peerNodeId, extended, live && !retired, error));
	}

	/** Marks the session as done by agreement (X_BYE sent or received). */
	void finishedNormally() {
		finishedNormally = true;
	}

	boolean resultReported() {
		return result.isDone();
	}
}
