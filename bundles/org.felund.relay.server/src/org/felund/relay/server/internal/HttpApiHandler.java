package org.felund.relay.server.internal;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.felund.relay.server.RelayConfig;
import org.felund.relay.server.internal.store.RelayStore;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * HTTP front of the relay: routing (with the optional base path and a tolerated trailing {@code /}), CORS on
 * every response, {@code OPTIONS} preflight, JSON errors, and the WebSocket upgrade of {@code /v1/relay/ws}.
 *
 * <p>Runs on the connection's I/O thread and hands each API request to the blocking pool, where
 * {@link RelayApi} does its storage work; the answer is written back from there. Requests of one connection are
 * served one at a time, in order (HTTP/1.1 pipelining), and the next one only once the client has taken the
 * previous answer (its write completed): a client that sends requests but does not read the answers holds at
 * most one answer in memory, and is cut off after the write timeout. While requests wait behind one being served
 * the connection stops reading; more than {@value #MAX_PIPELINED} waiting requests close it. Per-address request
 * rates and the bytes of answers waiting to be read are bounded by {@link ClientLimits}. No handler is bound to
 * another executor, so closing a connection never needs a thread that may already have stopped.
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

	/** Requests that may wait behind the one being served before the connection is closed. */
	static final int MAX_PIPELINED = 16;

	/** What is needed to answer a request after its buffer has been released. */
	private record Exchange(String method, HttpVersion version, boolean keepAlive, long started, String client) {
		Exchange closing() {
			return new Exchange(method, version, false, started, client);
		}
	}

	private final RelayConfig config;
	private final RelayApi api;
	private final RelayStore db;
	private final WebSocketHub hub;
	private final ExecutorService blocking;
	private final Clock clock;
	private final RequestGate gate;
	/** The {@code --site} directory, or {@code null}. */
	private final StaticSite site;
	private final ClientLimits limits;
	private final RequestDeadline deadline;

	/** Requests that arrived while another one of this connection was being served (I/O thread only). */
	private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
	/** A request is being served, or its answer is still being written (I/O thread only). */
	private boolean busy;
	private boolean draining;

	HttpApiHandler(RelayConfig config, RelayApi api, RelayStore db, WebSocketHub hub, ExecutorService blocking,
			Clock clock, RequestGate gate, StaticSite site, ClientLimits limits, RequestDeadline deadline) {
		this.site = site;
		this.limits = limits;
		this.deadline = deadline;
		deadline.servingWhile(() -> busy);
		this.config = config;
		this.api = api;
		this.db = db;
		this.hub = hub;
		this.blocking = blocking;
		this.clock = clock;
		this.gate = gate;
	}

	@Override
	protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
		deadline.completed();
		if (waiting.size() >= MAX_PIPELINED) {
			LOG.log(System.Logger.Level.DEBUG, "closing a connection with more than " + MAX_PIPELINED
					+ " pipelined requests");
			releaseWaiting();
			ctx.close();
			return;
		}
		waiting.add(req.retain());
		if (busy) {
			// Requests pile up behind the one being served: read no more until they are answered.
			ctx.channel().config().setAutoRead(false);
		}
		drain(ctx);
	}

	/** Serves waiting requests until one is handed to the pool or none is left. Called on the I/O thread. */
	private void drain(ChannelHandlerContext ctx) {
		if (draining) {
			return; // an answer completed synchronously inside serve(): the loop below continues
		}
		draining = true;
		try {
			while (!busy) {
				FullHttpRequest req = waiting.poll();
				if (req == null) {
					if (!ctx.channel().config().isAutoRead() && ctx.channel().isActive()) {
						ctx.channel().config().setAutoRead(true);
					}
					return;
				}
				busy = true;
				serve(ctx, req);
			}
		} finally {
			draining = false;
		}
	}

	/** Answers one request now or hands it to the pool; {@link #busy} stays set until it is answered. */
	private void serve(ChannelHandlerContext ctx, FullHttpRequest req) {
		Exchange ex = new Exchange(req.method().name(), req.protocolVersion(), HttpUtil.isKeepAlive(req),
				System.nanoTime(), limits.requestKey(remote(ctx), req.headers()::get));
		try {
			if (!gate.enter()) {
				respond(ctx, ex.closing(), jsonError(503, "relay stopping, try again later", null, Map.of()), "-");
				return;
			}
			boolean handedOff = false;
			try {
				handedOff = dispatch(ctx, req, ex);
			} finally {
				if (!handedOff) {
					gate.exit();
				}
			}
		} finally {
			req.release();
		}
	}

	/**
	 * Answers what needs no storage right here and hands API requests to the blocking pool.
	 *
	 * @return whether the request went to the pool (which then answers it and leaves the gate)
	 */
	private boolean dispatch(ChannelHandlerContext ctx, FullHttpRequest req, Exchange ex) {
		String method = ex.method();
		if (!req.decoderResult().isSuccess()) {
			Throwable cause = req.decoderResult().cause();
			ApiReply refusal = cause instanceof TooLongHttpHeaderException
					? jsonError(431, "request headers are larger than " + RelayServerInitializer.MAX_HEADER_BYTES + " bytes",
							null, Map.of())
					: cause instanceof TooLongHttpLineException
							? jsonError(414, "request line is longer than " + RelayServerInitializer.MAX_INITIAL_LINE
									+ " bytes", null, Map.of())
							: jsonError(400, "malformed HTTP request", null, Map.of());
			respond(ctx, ex.closing(), refusal, "-");
			return false;
		}
		if (method.equals("OPTIONS")) {
			FullHttpResponse preflight = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
			preflight.headers().set("Access-Control-Max-Age", "600");
			writeResponse(ctx, ex, preflight, "OPTIONS");
			return false;
		}
		long retryAfter = limits.admitRequest(ex.client());
		if (retryAfter > 0) {
			respond(ctx, ex, tooManyRequests(retryAfter), "-");
			return false;
		}
		QueryStringDecoder uri = new QueryStringDecoder(req.uri());
		if (site != null && site.covers(uri.path())) {
			serveSite(ctx, req, uri.path(), ex);
			return false;
		}
		String route = route(uri.path());
		List<String> methods = route == null ? null : RelayApi.ROUTES.get(route);
		if (methods == null) {
			respond(ctx, ex, jsonError(404, "Not found: " + method + " " + sanitize(uri.path()), null, Map.of()), "-");
			return false;
		}
		if (!methods.contains(method)) {
			respond(ctx, ex, jsonError(405, "Method not allowed: " + method + " " + route, null,
					Map.of("Allow", String.join(", ", methods) + ", OPTIONS")), route);
			return false;
		}
		if (route.equals(WS_ROUTE)) {
			return upgrade(ctx, req, uri, ex);
		}
		if (method.equals("GET") && (route.equals("/v1/messages") || route.equals("/v1/signal"))
				&& !limits.outboundAllowed(ex.client())) {
			// Answers are waiting for this client (or for everyone) to read them: produce no more for now.
			respond(ctx, ex, jsonError(503, "too many unread answers, read them first or try again later", null,
					Map.of("Retry-After", "1")), route);
			return false;
		}
		HttpHeaders headers = req.headers();
		ApiRequest request = new ApiRequest(method, route, uri.parameters(), headers::get,
				ByteBufUtil.getBytes(req.content()), remote(ctx), ex.client());
		if (api.servesWithoutBlocking(request)) {
			// Validated here; answered when the group commit that holds the messages is done.
			// Completed on this connection's I/O thread (the writer hands it over, one task per batch and loop);
			// answered right there unless it completed while still being dispatched (then after this request).
			boolean[] dispatching = { true };
			api.postMessagesAsync(request, ctx.executor()).whenComplete((reply, failure) -> {
				ApiReply answer = failure == null ? reply : errorReply(request, failure);
				Runnable answerIt = () -> {
					gate.exit();
					respond(ctx, ex, answer, route);
				};
				if (ctx.executor().inEventLoop() && !dispatching[0]) {
					answerIt.run();
				} else {
					ctx.executor().execute(answerIt);
				}
			});
			dispatching[0] = false;
			return true;
		}
		try {
			blocking.execute(() -> {
				ApiReply reply = handle(request);
				ctx.executor().execute(() -> {
					gate.exit();
					respond(ctx, ex, reply, route);
				});
			});
			return true;
		} catch (RejectedExecutionException overloaded) {
			respond(ctx, ex, jsonError(503, "relay overloaded, try again later", null, Map.of()), route);
			return false;
		}
	}

	/** The API call itself, on a pool thread. */
	private ApiReply handle(ApiRequest request) {
		try {
			return api.handle(request);
		} catch (ApiException | SQLException | RuntimeException e) {
			return errorReply(request, e);
		}
	}

	/** The answer to a request that failed: its own status for API errors, 503 for storage, 500 otherwise. */
	private static ApiReply errorReply(ApiRequest request, Throwable failure) {
		Throwable e = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
				? failure.getCause()
				: failure;
		if (e instanceof ApiException api) {
			return jsonError(api.status(), api.detail(), api.code(), api.headers(), api.extraFields());
		}
		if (e instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
			// A data exception: the input is something the database cannot store (PostgreSQL: U+0000 in a text).
			return jsonError(400, "the request contains a value the relay cannot store (e.g. U+0000)", null, Map.of());
		}
		if (e instanceof SQLException) {
			LOG.log(System.Logger.Level.ERROR,
					"storage failure on " + request.method() + " " + request.route() + ": " + e);
			return jsonError(503, "storage unavailable, try again later", null, Map.of("Retry-After", "1"));
		}
		LOG.log(System.Logger.Level.ERROR, "internal error on " + request.method() + " " + request.route(), e);
		return jsonError(500, "internal error", null, Map.of());
	}

	static ApiReply tooManyRequests(long retryAfterSeconds) {
		return jsonError(429, "too many requests from this address, retry after " + retryAfterSeconds + " s", null,
				Map.of("Retry-After", Long.toString(retryAfterSeconds)));
	}

	private static InetSocketAddress remote(ChannelHandlerContext ctx) {
		return ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a : null;
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

	/**
	 * The WebSocket upgrade of {@code /v1/relay/ws}. A request with signature headers (always, when the relay
	 * requires signed sockets) is verified on the worker pool first.
	 *
	 * @return whether it went to the pool (which then answers it and leaves the gate)
	 */
	private boolean upgrade(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri, Exchange ex) {
		List<String> hints = uri.parameters().get("circle_hint");
		List<String> nodes = uri.parameters().get("node_id");
		String hint = hints == null ? null : hints.get(0);
		String node = nodes == null ? null : nodes.get(0);
		if (hint == null || !RelayApi.lengthBetween(hint, RelayApi.MIN_ID_CHARS, RelayApi.MAX_ID_CHARS)
				|| node == null || !RelayApi.lengthBetween(node, 1, RelayApi.MAX_ID_CHARS)) {
			respondText(ctx, ex, 400, "circle_hint (8-128 characters) and node_id (1-128 characters) required");
			return false;
		}
		if (!"websocket".equalsIgnoreCase(req.headers().get(HttpHeaderNames.UPGRADE))) {
			respondText(ctx, ex, 400, "this endpoint needs a WebSocket upgrade");
			return false;
		}
		ApiRequest check = new ApiRequest("GET", WS_ROUTE, uri.parameters(), req.headers()::get, new byte[0],
				remote(ctx), ex.client());
		if (!api.webSocketNeedsCheck(check)) {
			handshake(ctx, req, uri, hint, node, ex);
			return false;
		}
		FullHttpRequest held = req.retainedDuplicate();
		try {
			blocking.execute(() -> {
				ApiReply refusal;
				try {
					api.authorizeWebSocket(check, hint);
					refusal = null;
				} catch (ApiException | SQLException | RuntimeException e) {
					refusal = errorReply(check, e);
				}
				ApiReply answer = refusal;
				ctx.executor().execute(() -> {
					gate.exit();
					try {
						if (answer != null) {
							respond(ctx, ex, answer, WS_ROUTE);
						} else if (ctx.channel().isActive()) {
							handshake(ctx, held, uri, hint, node, ex);
						}
					} finally {
						held.release();
					}
				});
			});
			return true;
		} catch (RejectedExecutionException overloaded) {
			held.release();
			respond(ctx, ex, jsonError(503, "relay overloaded, try again later", null, Map.of()), WS_ROUTE);
			return false;
		}
	}

	private void handshake(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri, String hint,
			String node, Exchange ex) {
		// Netty's handshaker throws on an upgrade without a key once the pipeline is already switched; refuse it here,
		// with an answer and before a socket slot is taken.
		if (req.headers().get(HttpHeaderNames.SEC_WEBSOCKET_KEY, "").isBlank()) {
			respond(ctx, ex, jsonError(400, "WebSocket upgrade without Sec-WebSocket-Key", null, Map.of()), WS_ROUTE);
			return;
		}
		if (!hub.reserve()) {
			respond(ctx, ex, jsonError(503, "too many WebSocket connections, try again later", null, Map.of()),
					WS_ROUTE);
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
				config.wsPongTimeout(), config.wsCatchUpWindow(), config.messageRetention(), WS_CATCH_UP_LIMIT,
				config.limits().maxPageBytes(), handshaker);
		ChannelPipeline p = ctx.pipeline();
		for (String name : new String[] { RelayServerInitializer.IDLE, RelayServerInitializer.DEADLINE }) {
			if (p.get(name) != null) {
				p.remove(name);
			}
		}
		p.addLast("ws-aggregator", new WebSocketFrameAggregator(WS_MAX_FRAME));
		p.addLast("ws-session", session);
		// From here on the connection carries frames, not requests.
		p.remove(this);
		releaseWaiting();
		ctx.channel().config().setAutoRead(true);
		HttpHeaders cors = new DefaultHttpHeaders();
		CORS.forEach(cors::set);
		ChannelFuture handshake;
		try {
			handshake = handshaker.handshake(ctx.channel(), req, cors, ctx.channel().newPromise());
		} catch (RuntimeException e) {
			hub.release();
			ctx.channel().close();
			return;
		}
		handshake.addListener(f -> {
			if (f.isSuccess()) {
				session.start(ctx.channel());
				LOG.log(System.Logger.Level.DEBUG, () -> "GET " + WS_ROUTE + " 101 " + elapsed(ex.started()));
			} else {
				hub.release();
				ctx.channel().close();
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
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		releaseWaiting();
		super.channelInactive(ctx);
	}

	private void releaseWaiting() {
		for (FullHttpRequest r; (r = waiting.poll()) != null;) {
			r.release();
		}
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

	private void respond(ChannelHandlerContext ctx, Exchange ex, ApiReply reply, String route) {
		byte[] bytes = reply.json() == null ? new byte[0] : reply.json().getBytes(StandardCharsets.UTF_8);
		FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
				HttpResponseStatus.valueOf(reply.status()), Unpooled.wrappedBuffer(bytes));
		if (reply.json() != null) {
			res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
		}
		reply.headers().forEach(res.headers()::set);
		writeResponse(ctx, ex, res, route);
	}

	private void respondText(ChannelHandlerContext ctx, Exchange ex, int status, String text) {
		FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
				Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
		res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
		writeResponse(ctx, ex, res, WS_ROUTE);
	}

	static void addCors(HttpHeaders headers) {
		CORS.forEach(headers::set);
	}

	/** Writes the answer; once it is written the connection may serve its next request. On the I/O thread. */
	private void writeResponse(ChannelHandlerContext ctx, Exchange ex, FullHttpResponse res, String route) {
		addCors(res.headers());
		HttpUtil.setContentLength(res, res.content().readableBytes());
		setConnection(ex, res.headers());
		long bytes = res.content().readableBytes();
		limits.outboundAdded(ex.client(), bytes);
		var future = ctx.writeAndFlush(res);
		// Method, route, status and time only: no bodies, keys, nonces, signatures or query strings.
		LOG.log(System.Logger.Level.DEBUG,
				() -> ex.method() + " " + route + " " + res.status().code() + " " + elapsed(ex.started()));
		finish(ctx, ex, future, bytes);
	}

	private static void setConnection(Exchange ex, HttpHeaders headers) {
		if (ex.keepAlive()) {
			if (ex.version().equals(HttpVersion.HTTP_1_0)) {
				headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
			}
		} else {
			headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
		}
	}

	/**
	 * Once the answer is written (the client took it): the connection serves its next request, or closes. An
	 * answer the client does not take within the write timeout closes the connection.
	 */
	private void finish(ChannelHandlerContext ctx, Exchange ex, io.netty.channel.ChannelFuture future, long bytes) {
		if (!future.isDone()) {
			var stall = ctx.executor().schedule(() -> {
				if (!future.isDone()) {
					LOG.log(System.Logger.Level.DEBUG, "closing a connection that did not read its answer within "
							+ config.limits().writeTimeout().toSeconds() + " s");
					ctx.close();
				}
			}, config.limits().writeTimeout().toMillis(), TimeUnit.MILLISECONDS);
			future.addListener(f -> stall.cancel(false));
		}
		future.addListener(f -> {
			limits.outboundReleased(ex.client(), bytes);
			if (!ex.keepAlive() || !f.isSuccess()) {
				// The connection ends with this answer; whatever else it sent is dropped (busy stays set).
				releaseWaiting();
				ctx.close();
				return;
			}
			busy = false;
			drain(ctx);
		});
	}

	// ------------------------------------------------------------------ the static site

	/** GET or HEAD of a file of the {@code --site} directory (zero-copy for GET). */
	private void serveSite(ChannelHandlerContext ctx, FullHttpRequest req, String path, Exchange ex) {
		String route = site.prefix() + "/";
		if (!ex.method().equals("GET") && !ex.method().equals("HEAD")) {
			respond(ctx, ex, jsonError(405, "Method not allowed: " + ex.method() + " " + route + " (read-only)", null,
					Map.of("Allow", "GET, HEAD, OPTIONS")), route);
			return;
		}
		StaticSite.Lookup lookup = site.lookup(path);
		if (lookup instanceof StaticSite.Redirect r) {
			FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.MOVED_PERMANENTLY);
			res.headers().set(HttpHeaderNames.LOCATION, r.location());
			writeResponse(ctx, ex, res, route);
			return;
		}
		if (!(lookup instanceof StaticSite.Found file)) {
			respond(ctx, ex, jsonError(404, "Not found: " + sanitize(path), null, Map.of()), route);
			return;
		}
		long lastModified = file.lastModifiedMillis() / 1000 * 1000;
		String since = req.headers().get(HttpHeaderNames.IF_MODIFIED_SINCE);
		if (since != null) {
			java.util.Date sinceDate = io.netty.handler.codec.DateFormatter.parseHttpDate(since);
			if (sinceDate != null && lastModified <= sinceDate.getTime()) {
				FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED);
				res.headers().set(HttpHeaderNames.LAST_MODIFIED,
						io.netty.handler.codec.DateFormatter.format(new java.util.Date(lastModified)));
				writeResponse(ctx, ex, res, route);
				return;
			}
		}
		io.netty.handler.codec.http.HttpResponse res = new io.netty.handler.codec.http.DefaultHttpResponse(
				HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
		HttpHeaders h = res.headers();
		h.set(HttpHeaderNames.CONTENT_TYPE, file.contentType());
		h.set(HttpHeaderNames.LAST_MODIFIED, io.netty.handler.codec.DateFormatter.format(new java.util.Date(lastModified)));
		// Update sites change in place: caches must ask again (a 304 is cheap).
		h.set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
		h.set("X-Content-Type-Options", "nosniff");
		addCors(h);
		HttpUtil.setContentLength(res, file.length());
		setConnection(ex, h);
		ctx.write(res);
		if (ex.method().equals("GET") && file.length() > 0) {
			ctx.write(new io.netty.channel.DefaultFileRegion(file.file().toFile(), 0, file.length()));
		}
		var future = ctx.writeAndFlush(io.netty.handler.codec.http.LastHttpContent.EMPTY_LAST_CONTENT);
		LOG.log(System.Logger.Level.DEBUG, () -> ex.method() + " " + route + " 200 " + elapsed(ex.started()));
		finish(ctx, ex, future, 0);
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
