package org.felund.relay.server.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.felund.relay.server.internal.store.RelayStore;
import org.felund.relay.server.internal.store.RelayStore.MessagePage;
import org.felund.relay.server.internal.store.RelayStore.StoredMessage;

import com.fasterxml.jackson.databind.JsonNode;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * One subscriber socket of {@code /v1/relay/ws}: sends the catch-up frame, receives pushes from the
 * {@link WebSocketHub}, keeps the connection alive with protocol pings (closing it when a pong is late) and
 * answers a JSON {@code {"t":"PING"}} with {@code {"t":"PONG"}}. Other client frames are ignored.
 */
final class WebSocketSession extends SimpleChannelInboundHandler<WebSocketFrame> {
	private static final System.Logger LOG = System.getLogger(WebSocketSession.class.getName());
	private static final byte[] PONG = "{\"t\":\"PONG\"}".getBytes(StandardCharsets.US_ASCII);

	private final String circleHint;
	private final String nodeId;
	private final WebSocketHub hub;
	private final RelayStore db;
	private final Executor blocking;
	private final Clock clock;
	private final Duration pingInterval;
	private final Duration pongTimeout;
	private final Duration catchUpWindow;
	private final Duration retention;
	private final int catchUpLimit;
	private final long catchUpBytes;
	private final WebSocketServerHandshaker handshaker;

	private volatile Channel channel;
	/**
	 * Pushes that arrived while the catch-up was being read (event loop only); {@code null} once the catch-up
	 * went out. Together with the catch-up's seq bound this gives every row to the socket exactly once.
	 */
	private List<StoredMessage> held = new ArrayList<>();
	private ScheduledFuture<?> pingTask;
	/** Nanos of the last frame received; guarded by the channel's event loop. */
	private long lastHeardNanos;
	private boolean released;

	WebSocketSession(String circleHint, String nodeId, WebSocketHub hub, RelayStore db, Executor blocking,
			Clock clock, Duration pingInterval, Duration pongTimeout, Duration catchUpWindow, Duration retention,
			int catchUpLimit, long catchUpBytes, WebSocketServerHandshaker handshaker) {
		super(false);
		this.catchUpBytes = catchUpBytes;
		this.retention = retention;
		this.circleHint = circleHint;
		this.nodeId = nodeId;
		this.hub = hub;
		this.db = db;
		this.blocking = blocking;
		this.clock = clock;
		this.pingInterval = pingInterval;
		this.pongTimeout = pongTimeout;
		this.catchUpWindow = catchUpWindow;
		this.catchUpLimit = catchUpLimit;
		this.handshaker = handshaker;
	}

	String circleHint() {
		return circleHint;
	}

	String nodeId() {
		return nodeId;
	}

	/** Called once the handshake response went out: subscribe, then send what was stored recently. */
	void start(Channel ch) {
		this.channel = ch;
		ch.eventLoop().execute(() -> {
			lastHeardNanos = System.nanoTime();
			long period = pingInterval.toMillis();
			pingTask = ch.eventLoop().scheduleAtFixedRate(this::ping, period, period, TimeUnit.MILLISECONDS);
		});
		// Subscribe before reading the catch-up rows so nothing stored in between is missed; pushes wait in
		// `held` until the catch-up went out, and those it already had are dropped (by seq).
		hub.join(this);
		ch.closeFuture().addListener(f -> stopped());
		if (hub.closing()) {
			// The server began to stop while this handshake was going out: say goodbye like the others.
			closeForShutdown();
			return;
		}
		try {
			blocking.execute(this::sendCatchUp);
		} catch (RejectedExecutionException overloadedOrStopping) {
			ch.close();
		}
	}

	private void sendCatchUp() {
		Channel ch = channel;
		try {
			long now = Math.floorDiv(clock.millis(), 1000L);
			MessagePage recent = db.recentMessages(circleHint, now - catchUpWindow.toSeconds(),
					now - retention.toSeconds(), catchUpLimit, catchUpBytes);
			ch.eventLoop().execute(() -> finishCatchUp(recent, now));
		} catch (Exception e) {
			LOG.log(System.Logger.Level.WARNING, "WebSocket catch-up failed: " + e);
			ch.close();
		}
	}

	/** Sends the catch-up rows plus the held pushes above its bound, then goes live. On the event loop. */
	private void finishCatchUp(MessagePage recent, long now) {
		List<StoredMessage> out = new ArrayList<>(recent.messages());
		for (StoredMessage m : held) {
			if (m.seq() > recent.cursor()) {
				out.add(m);
			}
		}
		held = null;
		if (!out.isEmpty()) {
			send(WebSocketHub.messagesFrame(out, now));
		}
	}

	/** A push of newly committed rows (on the event loop): held until the catch-up went out, then sent. */
	void push(List<StoredMessage> messages, byte[] frame) {
		if (held != null) {
			held.addAll(messages);
			return;
		}
		send(frame);
	}

	/** The I/O thread of this socket ({@code null} before {@link #start}). */
	EventLoop eventLoop() {
		Channel ch = channel;
		return ch == null ? null : ch.eventLoop();
	}

	/** Queues a text frame; a subscriber that cannot keep up is disconnected (it catches up on reconnect). */
	void send(byte[] utf8Json) {
		Channel ch = channel;
		if (ch == null || !ch.isActive()) {
			return;
		}
		if (!ch.isWritable()) {
			LOG.log(System.Logger.Level.DEBUG, "closing a WebSocket subscriber that does not read its frames");
			ch.close();
			return;
		}
		ch.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(utf8Json)));
	}

	private void ping() {
		Channel ch = channel;
		if (!ch.isActive()) {
			pingTask.cancel(false);
			return;
		}
		long pingSent = System.nanoTime();
		ch.writeAndFlush(new PingWebSocketFrame(Unpooled.wrappedBuffer(new byte[] { 'f', 'e', 'l', 'u', 'n', 'd' })));
		ch.eventLoop().schedule(() -> {
			if (lastHeardNanos - pingSent < 0 && ch.isActive()) {
				LOG.log(System.Logger.Level.DEBUG, "closing a WebSocket that did not answer a ping");
				ch.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE.code(), "ping timeout"))
						.addListener(ChannelFutureListener.CLOSE);
			}
		}, pongTimeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
		try {
			// Any frame proves the peer is alive (browsers answer pings automatically).
			lastHeardNanos = System.nanoTime();
			if (frame instanceof CloseWebSocketFrame close) {
				handshaker.close(ctx.channel(), close.retain());
			} else if (frame instanceof PingWebSocketFrame || frame instanceof TextWebSocketFrame) {
				if (!ctx.channel().isWritable()) {
					// Pings (or JSON PINGs) whose answers it does not read: it would fill our memory with pongs.
					LOG.log(System.Logger.Level.DEBUG, "closing a WebSocket that does not read its pongs");
					ctx.close();
				} else if (frame instanceof PingWebSocketFrame) {
					ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
				} else if (isJsonPing(((TextWebSocketFrame) frame).text())) {
					ctx.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(PONG)));
				}
			}
		} finally {
			frame.release();
		}
	}

	private static boolean isJsonPing(String text) {
		if (text.length() > 256 || !text.contains("PING")) {
			return false;
		}
		try {
			JsonNode node = RelayJson.MAPPER.readTree(text);
			return node != null && node.isObject() && "PING".equals(node.path("t").asText(null));
		} catch (Exception e) {
			return false;
		}
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		LOG.log(System.Logger.Level.DEBUG, "WebSocket error, closing: " + cause);
		if (cause instanceof io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException) {
			// The decoder has sent its close frame (e.g. 1009 for a frame over 64 KiB) and closes after it.
			return;
		}
		ctx.close();
	}

	private void stopped() {
		hub.leave(this);
		if (pingTask != null) {
			pingTask.cancel(false);
		}
		synchronized (this) {
			if (released) {
				return;
			}
			released = true;
		}
		hub.release();
	}

	void closeForShutdown() {
		Channel ch = channel;
		if (ch != null && ch.isActive()) {
			ch.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE.code(), "relay stopping"))
					.addListener(ChannelFutureListener.CLOSE);
		}
	}
}
