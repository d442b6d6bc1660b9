package org.felund.relay.server.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import org.felund.relay.server.RelayConfig;
import org.felund.relay.server.internal.store.RelayStore;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateHandler;

/**
 * Pipeline of one accepted connection: the per-address connection limit (a connection over it is closed at once),
 * the request deadline (a request must arrive within the request timeout of its first byte), HTTP codec, idle
 * timeout, body aggregation with a size limit (413 as a JSON error with CORS headers), then the API handler
 * (which hands storage work to the worker pool).
 */
final class RelayServerInitializer extends ChannelInitializer<SocketChannel> {
	static final String IDLE = "idle";
	static final String DEADLINE = "deadline";
	/** An HTTP connection without traffic for this long is closed (WebSockets have their own pings). */
	static final int HTTP_IDLE_SECONDS = 120;
	static final int MAX_HEADER_BYTES = 16 * 1024;
	static final int MAX_INITIAL_LINE = 8 * 1024;

	private final RelayConfig config;
	private final RelayApi api;
	private final RelayStore db;
	private final WebSocketHub hub;
	private final ExecutorService workers;
	private final Clock clock;
	private final ChannelGroup connections;
	private final RequestGate gate;
	private final StaticSite site;
	private final ClientLimits limits;

	RelayServerInitializer(RelayConfig config, RelayApi api, RelayStore db, WebSocketHub hub,
			ExecutorService workers, Clock clock, ChannelGroup connections, RequestGate gate, StaticSite site,
			ClientLimits limits) {
		this.site = site;
		this.limits = limits;
		this.connections = connections;
		this.gate = gate;
		this.config = config;
		this.api = api;
		this.db = db;
		this.hub = hub;
		this.workers = workers;
		this.clock = clock;
	}

	@Override
	protected void initChannel(SocketChannel ch) {
		String client = limits.connectionKey(ch.remoteAddress());
		if (!limits.openConnection(client)) {
			// Over the per-address (or total) connection limit: refuse before reading a byte.
			ch.config().setOption(io.netty.channel.ChannelOption.SO_LINGER, 0);
			ch.close();
			return;
		}
		ch.closeFuture().addListener(f -> limits.closeConnection(client));
		connections.add(ch);
		RequestDeadline deadline = new RequestDeadline(config.limits().requestTimeout().toMillis());
		ch.pipeline()
				.addLast(DEADLINE, deadline)
				.addLast("http", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_BYTES, 8192))
				.addLast(IDLE, new IdleStateHandler(0, 0, HTTP_IDLE_SECONDS, TimeUnit.SECONDS))
				.addLast("aggregator", new LimitedAggregator(config.maxBodyBytes()))
				.addLast("api", new HttpApiHandler(config, api, db, hub, workers, clock, gate, site, limits, deadline));
	}

	/** Answers an over-long body with the relay's JSON error shape instead of Netty's bare 413. */
	private static final class LimitedAggregator extends HttpObjectAggregator {
		/** How long an over-long request may keep sending after its 413, before the connection is closed. */
		private static final long OVERSIZED_DRAIN_SECONDS = 2;
		private final int maxBytes;

		LimitedAggregator(int maxBytes) {
			super(maxBytes);
			this.maxBytes = maxBytes;
		}

		@Override
		protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
			String body = "{\"ok\":false,\"detail\":\"request body is larger than " + maxBytes + " bytes\"}";
			FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
					HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
			res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
			res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
			HttpApiHandler.addCors(res.headers());
			HttpUtil.setContentLength(res, res.content().readableBytes());
			// The client is usually still sending the body. Closing now, with its bytes unread, makes the kernel
			// answer with a reset that can destroy the 413 before the client reads it. So end our side (FIN after
			// the answer), keep draining what still arrives (the aggregator discards it), and close a bit later.
			ctx.writeAndFlush(res).addListener(f -> {
				if (f.isSuccess() && ctx.channel() instanceof SocketChannel socket && socket.isActive()) {
					socket.shutdownOutput();
					ctx.executor().schedule(() -> ctx.close(), OVERSIZED_DRAIN_SECONDS, TimeUnit.SECONDS);
				} else {
					ctx.close();
				}
			});
		}
	}
}
