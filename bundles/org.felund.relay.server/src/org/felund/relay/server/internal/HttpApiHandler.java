package org.felund.relay.server.internal;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

import org.felund.relay.server.RelayConfig;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * HTTP front of the relay: routing (with the optional base path and a tolerated trailing {@code /}), CORS on
 * every response, {@code OPTIONS} preflight, JSON errors, and the WebSocket upgrade of {@code /v1/relay/ws}.
 * Runs on the worker executor group, so the blocking SQLite work in {@link RelayApi} never stalls I/O threads.
 */
final class HttpApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
	private static final System.Logger LOG = System.getLogger(HttpApiHandler.class.getName());

	static final String WS_ROUTE = "/v1/relay/ws";
	static final int WS_MAX_FRAME = 65_536;
	static final int WS_CATCH_UP_LIMIT = 200;

	static final Map<String, String> CORS = Map.of(
			"Access-Control-Allow-Origin", "*",
			"Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS",
			"Access-Control-Allow-Headers",
			"Content-Type, X-Felund-Node, X-Felund-Ts, X-Felund-Nonce, X-Felund-Signature",
			"Access-Control-Expose-Headers", "Retry-After");

	private final RelayConfig config;
	private final RelayApi api;
	private final RelayDatabase db;
	private final WebSocketHub hub;
	private final Executor blocking;
	private final Clock clock;
	private final RequestGate gate;

	HttpApiHandler(RelayConfig config, RelayApi api, RelayDatabase db, WebSocketHub hub, Executor blocking,
			Clock clock, RequestGate gate) {
		this.config = config;
		this.gate = gate;
		this.clock = clock;
		this.api = api;
		this.db = db;
		this.hub = hub;
		this.blocking = blocking;
	}

	@Override
	protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
		long started = System.nanoTime();
		if (!gate.enter()) {
			HttpUtil.setKeepAlive(req, false);
			respond(ctx, req, jsonError(503, "relay stopping, try again later", null, Map.of()), "-", started);
			return;
		}
		try {
			serve(ctx, req, started);
		} finally {
			gate.exit();
		}
	}

	private void serve(ChannelHandlerContext ctx, FullHttpRequest req, long started) {
		String method = req.method().name();
		if (!req.decoderResult().isSuccess()) {
			respond(ctx, req, jsonError(400, "malformed HTTP request", null, Map.of()), "-", started);
			return;
		}
		if (method.equals("OPTIONS")) {
			FullHttpResponse preflight = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
			preflight.headers().set("Access-Control-Max-Age", "600");
			writeResponse(ctx, req, preflight, "OPTIONS", started);
			return;
		}
		QueryStringDecoder uri = new QueryStringDecoder(req.uri());
		String route = route(uri.path());
		List<String> methods = route == null ? null : RelayApi.ROUTES.get(route);
		if (methods == null) {
			respond(ctx, req, jsonError(404, "Not found: " + method + " " + sanitize(uri.path()), null, Map.of()), "-",
					started);
			return;
		}
		if (!methods.contains(method)) {
			respond(ctx, req, jsonError(405, "Method not allowed: " + method + " " + route, null,
					Map.of("Allow", String.join(", ", methods) + ", OPTIONS")), route, started);
			return;
		}
		if (route.equals(WS_ROUTE)) {
			upgrade(ctx, req, uri, started);
			return;
		}
		byte[] body = ByteBufUtil.getBytes(req.content());
		HttpHeaders headers = req.headers();
		ApiRequest request = new ApiRequest(method, route, uri.parameters(), headers::get, body,
				(InetSocketAddress) ctx.channel().remoteAddress());
		ApiReply reply;
		try {
			reply = api.handle(request);
		} catch (ApiException e) {
			reply = jsonError(e.status(), e.detail(), e.code(), e.headers(), e.extraFields());
		} catch (SQLException e) {
			LOG.log(System.Logger.Level.ERROR, "storage failure on " + method + " " + route + ": " + e);
			reply = jsonError(503, "storage unavailable, try again later", null, Map.of());
		} catch (RuntimeException e) {
			LOG.log(System.Logger.Level.ERROR, "internal error on " + method + " " + route, e);
			reply = jsonError(500, "internal error", null, Map.of());
		}
		respond(ctx, req, reply, route, started);
	}

	/**
	 * Maps a request path to an API route: {@code [base path]/v1/…} with trailing slashes ignored; {@code null}
	 * when the path is outside the API.
	 */
	String route(String path) {
		String p = path;
		while (p.length() > 1 && p.endsWith("/")) {
			p = p.substring(0, p.length() - 1);
		}
		String base = config.basePath();
		if (!base.isEmpty() && p.startsWith(base + "/")) {
			p = p.substring(base.length());
		}
		return p.startsWith(RelayApi.VERSION_PREFIX + "/") ? p : null;
	}

	private void upgrade(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri, long started) {
		List<String> hints = uri.parameters().get("circle_hint");
		List<String> nodes = uri.parameters().get("node_id");
		String hint = hints == null ? null : hints.get(0);
		String node = nodes == null ? null : nodes.get(0);
		if (hint == null || !RelayApi.lengthBetween(hint, RelayApi.MIN_ID_CHARS, RelayApi.MAX_ID_CHARS)
				|| node == null || !RelayApi.lengthBetween(node, 1, RelayApi.MAX_ID_CHARS)) {
			respondText(ctx, req, 400, "circle_hint (8-128 characters) and node_id (1-128 characters) required",
					started);
			return;
		}
		if (!"websocket".equalsIgnoreCase(req.headers().get(HttpHeaderNames.UPGRADE))) {
			respondText(ctx, req, 400, "this endpoint needs a WebSocket upgrade", started);
			return;
		}
		if (!hub.reserve()) {
			respond(ctx, req, jsonError(503, "too many WebSocket connections, try again later", null, Map.of()),
					WS_ROUTE, started);
			return;
		}
		String location = "ws://" + req.headers().get(HttpHeaderNames.HOST, "localhost") + uri.path();
		WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(location, null, false,
				WS_MAX_FRAME).newHandshaker(req);
		if (handshaker == null) {
			hub.release();
			WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
			return;
		}
		WebSocketSession session = new WebSocketSession(hint, node, hub, db, blocking, clock, config.wsPingInterval(),
				config.wsPongTimeout(), config.wsCatchUpWindow(), config.messageRetention(), WS_CATCH_UP_LIMIT, handshaker);
		ChannelPipeline p = ctx.pipeline();
		if (p.get(RelayServerInitializer.IDLE) != null) {
			p.remove(RelayServerInitializer.IDLE);
		}
		p.addLast("ws-aggregator", new WebSocketFrameAggregator(WS_MAX_FRAME));
		p.addLast("ws-session", session);
		HttpHeaders cors = new io.netty.handler.codec.http.DefaultHttpHeaders();
		CORS.forEach(cors::set);
		handshaker.handshake(ctx.channel(), req, cors, ctx.channel().newPromise()).addListener(f -> {
			if (f.isSuccess()) {
				if (p.context(this) != null) {
					p.remove(this);
				}
				session.start(ctx.channel());
				LOG.log(System.Logger.Level.DEBUG, () -> "GET " + WS_ROUTE + " 101 " + elapsed(started));
			} else {
				hub.release();
				ctx.close();
			}
		});
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
		if (evt instanceof IdleStateEvent) {
			ctx.close();
			return;
		}
		super.userEventTriggered(ctx, evt);
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		LOG.log(System.Logger.Level.DEBUG, "connection error, closing: " + cause);
		ctx.close();
	}

	// ------------------------------------------------------------------ responses

	static ApiReply jsonError(int status, String detail, String code, Map<String, String> headers) {
		return jsonError(status, detail, code, headers, Map.of());
	}

	static ApiReply jsonError(int status, String detail, String code, Map<String, String> headers,
			Map<String, Object> extra) {
		ObjectNode o = RelayJson.object();
		o.put("ok", false);
		if (code != null) {
			o.put("code", code);
		}
		o.put("detail", detail);
		extra.forEach((k, v) -> o.set(k, RelayJson.MAPPER.valueToTree(v)));
		return new ApiReply(status, RelayJson.write(o), headers);
	}

	private void respond(ChannelHandlerContext ctx, FullHttpRequest req, ApiReply reply, String route, long started) {
		byte[] bytes = reply.json() == null ? new byte[0] : reply.json().getBytes(StandardCharsets.UTF_8);
		FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
				HttpResponseStatus.valueOf(reply.status()), Unpooled.wrappedBuffer(bytes));
		if (reply.json() != null) {
			res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
		}
		reply.headers().forEach(res.headers()::set);
		writeResponse(ctx, req, res, route, started);
	}

	private void respondText(ChannelHandlerContext ctx, FullHttpRequest req, int status, String text, long started) {
		FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
				Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
		res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
		writeResponse(ctx, req, res, WS_ROUTE, started);
	}

	static void addCors(HttpHeaders headers) {
		CORS.forEach(headers::set);
	}

	private static void writeResponse(ChannelHandlerContext ctx, FullHttpRequest req, FullHttpResponse res,
			String route, long started) {
		addCors(res.headers());
		HttpUtil.setContentLength(res, res.content().readableBytes());
		boolean keepAlive = HttpUtil.isKeepAlive(req);
		if (keepAlive) {
			if (req.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
				res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
			}
		} else {
			res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
		}
		var future = ctx.writeAndFlush(res);
		if (!keepAlive) {
			future.addListener(ChannelFutureListener.CLOSE);
		}
		// Method, route, status and time only: no bodies, keys, nonces, signatures or query strings.
		LOG.log(System.Logger.Level.DEBUG,
				() -> req.method().name() + " " + route + " " + res.status().code() + " " + elapsed(started));
	}

	private static String elapsed(long started) {
		return ((System.nanoTime() - started) / 100_000) / 10.0 + " ms";
	}

	/** A path echoed in an error detail: bounded and printable. */
	private static String sanitize(String path) {
		String p = path.length() > 200 ? path.substring(0, 200) + "..." : path;
		StringBuilder sb = new StringBuilder(p.length());
		p.codePoints().forEach(c -> sb.appendCodePoint(c < 0x20 || c == 0x7f ? '?' : c));
		return sb.toString();
	}
}
