package org.felund.relay.server.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.felund.api.crypto.CryptoService;
import org.felund.relay.server.RelayConfig;
import org.felund.relay.server.SignaturePolicy;
import org.felund.relay.server.internal.store.RelayStore;
import org.felund.relay.server.internal.store.RelayStore.CircleKey;
import org.felund.relay.server.internal.store.RelayStore.Health;
import org.felund.relay.server.internal.store.RelayStore.MessagePage;
import org.felund.relay.server.internal.store.RelayStore.NewMessage;
import org.felund.relay.server.internal.store.RelayStore.Presence;
import org.felund.relay.server.internal.store.RelayStore.Signal;
import org.felund.relay.server.internal.store.RelayStore.StoredMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The relay's HTTP endpoints (protocol §7) as plain request → reply logic. Validation follows the stricter
 * reference ({@code rendezvous.php}) limits with readable messages, TTLs are clamped as {@code relay_ws.py}
 * does, and signatures are enforced per {@link SignaturePolicy}.
 *
 * <p><b>Signing keys.</b> Every member of a circle derives the same API key from the circle secret, so the
 * relay binds one key per {@code circle_hint} (not per node). The first signed register with
 * {@code signing_key} binds it; afterwards every register, unregister and peers request of that circle must be
 * signed with the bound key, and a register that offers a different {@code signing_key} is refused (409) even when
 * signed with the bound key: clients never change it (it is derived from the circle secret), so only an attacker
 * who knows the key (a former member) would, to lock the members out. Rebinding is an operator's action
 * ({@code felund-relay admin}). A register without {@code signing_key} never clears the key, and the binding
 * outlives presence rows: it expires only after {@code keyRetention} without a verified request. This closes the
 * reference's trust-on-first-use hole (§10 #21). Keys are stored sealed ({@link KeySealer}).
 *
 * <p><b>Presence</b> requests are signed in both policies (both reference clients sign them); only
 * {@code /v1/messages}, {@code /v1/signal} and the WebSocket may come unsigned, and only in {@code compat}.
 *
 * <p><b>Poll cursor.</b> The reference compares {@code since} with the second a row was stored and returns
 * the current time as {@code server_time}, which loses rows beyond a full page and rows stored later in the
 * same second (§10 #25). Here {@code server_time} of {@code GET /v1/messages} is a cursor:
 * {@value #CURSOR_BASE} + the sequence number of the last row the client has been given. Both reference
 * clients send {@code server_time} (Python) or {@code server_time − 1} (web) back as {@code since}, which then
 * resumes exactly after (or one row before) the last row they received — no loss, at most one duplicate. A
 * {@code since} below {@value #TIME_CURSOR_LIMIT} is still read as a reference-style stored-at second.
 */
final class RelayApi {
	static final String VERSION_PREFIX = "/v1";
	/** API level of the reference {@code relay_ws.py} this server implements (clients may look at it). */
	static final String API_VERSION = "0.4.0";
	static final String IMPLEMENTATION = "felund-desktop-relay 0.1.0";

	static final long CURSOR_BASE = 1_000_000_000_000L;
	static final long TIME_CURSOR_LIMIT = 100_000_000_000L;

	static final int MAX_ID_CHARS = 128;
	static final int MIN_ID_CHARS = 8;
	static final int MAX_BATCH = 50;
	static final int MAX_TEXT_BYTES = 4096;
	static final int MAX_ENVELOPE_BYTES = 65_536;
	static final int MAX_ENDPOINTS = 16;
	static final int MAX_CAPABILITIES_BYTES = 4096;
	static final int PRESENCE_TTL_MIN = 30;
	static final int PRESENCE_TTL_MAX = 600;
	static final int PRESENCE_TTL_DEFAULT = 120;
	static final int SIGNAL_TTL_MIN = 10;
	static final int SIGNAL_TTL_MAX = 120;
	static final int SIGNAL_CANDIDATE_TTL_MAX = 60;
	static final int SIGNAL_PAYLOAD_MAX_CHARS = 65_536;
	static final int SIGNAL_PAGE = 200;
	static final int PEERS_DEFAULT = 50;
	static final int PEERS_MAX = 200;
	static final int MESSAGES_DEFAULT = 200;
	static final int MESSAGES_MAX = 500;

	private static final Set<String> SIGNAL_TYPES = Set.of("offer", "answer", "candidate", "media-offer",
			"media-answer", "media-candidate");
	private static final Set<String> NAT_TYPES = Set.of("unknown", "open", "restricted", "symmetric");

	/** Bodies up to this size may be parsed on an I/O thread (see {@link #servesWithoutBlocking}). */
	static final int NON_BLOCKING_BODY_LIMIT = 64 * 1024;

	private final RelayConfig config;
	private final RelayStore db;
	private final Clock clock;
	private final RequestAuthenticator auth;
	private final ClientLimits limits;
	private final KeySealer sealer;
	private final RelayStore.CircleQuota quota;

	RelayApi(RelayConfig config, RelayStore db, CryptoService crypto, Clock clock, ClientLimits limits,
			KeySealer sealer) {
		this.config = config;
		this.db = db;
		this.clock = clock;
		this.limits = limits;
		this.sealer = sealer;
		this.auth = new RequestAuthenticator(db, crypto, sealer, config.clockSkew().toSeconds(),
				config.keyRetention().toSeconds());
		this.quota = new RelayStore.CircleQuota(config.limits().circleQuotaMessages(), config.limits().circleQuotaBytes());
	}

	long now() {
		return Math.floorDiv(clock.millis(), 1000L);
	}

	/** Handles a request on a known route with an allowed method. */
	ApiReply handle(ApiRequest request) throws ApiException, SQLException {
		String key = request.method() + " " + request.route();
		return switch (key) {
		case "GET /v1/health" -> health();
		case "POST /v1/register" -> register(request);
		case "DELETE /v1/register" -> unregister(request);
		case "GET /v1/peers" -> peers(request);
		case "POST /v1/messages" -> postMessages(request);
		case "GET /v1/messages" -> getMessages(request);
		case "POST /v1/signal" -> postSignal(request);
		case "GET /v1/signal" -> getSignals(request);
		default -> throw ApiException.status(404, "Not found: " + key);
		};
	}

	/** Methods served on each route (for 405 versus 404). */
	static final Map<String, List<String>> ROUTES = Map.of(
			"/v1/health", List.of("GET"),
			"/v1/register", List.of("POST", "DELETE"),
			"/v1/peers", List.of("GET"),
			"/v1/messages", List.of("POST", "GET"),
			"/v1/signal", List.of("POST", "GET"),
			"/v1/relay/ws", List.of("GET"));

	// ------------------------------------------------------------------ health

	/**
	 * {@code ok} and 200 while the database answers; 503 with {@code ok:false} while it does not, so that a load
	 * balancer takes the instance out and the web client's health check reports the problem.
	 */
	private ApiReply health() {
		Health database = db.health();
		ObjectNode o = RelayJson.object();
		o.put("ok", database.available());
		o.put("version", API_VERSION);
		o.put("time", now());
		o.put("implementation", IMPLEMENTATION);
		ObjectNode d = o.putObject("database");
		d.put("backend", database.backend());
		d.put("status", database.available() ? "up" : "unavailable");
		if (!database.available()) {
			d.put("detail", database.detail());
		}
		return new ApiReply(database.available() ? 200 : 503, RelayJson.write(o), Map.of());
	}

	// ------------------------------------------------------------------ presence

	private ApiReply register(ApiRequest request) throws ApiException, SQLException {
		ObjectNode body = RelayJson.parseObject(request.body());
		String nodeId = requireId(body.get("node_id"), "node_id");
		String circleHint = requireId(body.get("circle_hint"), "circle_hint");
		int ttl = clampTtl(body.get("ttl_s"), "ttl_s", PRESENCE_TTL_MIN, PRESENCE_TTL_MAX, PRESENCE_TTL_DEFAULT);
		ArrayNode endpoints = validateEndpoints(body.get("endpoints"));
		ObjectNode capabilities = validateCapabilities(body.get("capabilities"));
		String offeredKey = validateSigningKey(body.get("signing_key"));

		long now = now();
		Optional<CircleKey> bound = db.circleKey(circleHint, now);
		long keyExpiry = now + config.keyRetention().toSeconds();
		if (bound.isPresent()) {
			// Only the holder of the bound key may refresh presence, and nobody may change the key over the API.
			auth.verifyWithBoundKey(request, bound, now);
			if (offeredKey != null && !offeredKey.equals(auth.plainKey(bound.get()))) {
				throw ApiException.signature(409, RequestAuthenticator.KEY_MISMATCH,
						"this circle's signing key is bound and cannot be changed over the API; the relay operator can"
								+ " rebind it (felund-relay admin rebind-key)");
			}
		} else if (offeredKey != null) {
			// Bootstrap: the request must prove possession of the key it binds.
			auth.verify(request, Optional.of(offeredKey), now);
			long wait = limits.admitNewCircle(request.client());
			if (wait > 0) {
				throw ApiException.status(429, "too many new circles from this address, retry after " + wait + " s",
						Map.of("Retry-After", Long.toString(wait)));
			}
			if (!db.bindCircleKey(circleHint, null, sealer.seal(circleHint, offeredKey), now, keyExpiry)) {
				Optional<CircleKey> winner = db.circleKey(circleHint, now);
				if (winner.isEmpty() || !auth.plainKey(winner.get()).equals(offeredKey)) {
					throw ApiException.signature(401, RequestAuthenticator.INVALID_SIGNATURE,
							"another signing key was bound for this circle first");
				}
			}
		} else {
			requireSignedRequest(request, "register with signing_key and sign the request");
		}

		db.upsertPresence(new Presence(nodeId, circleHint, RelayJson.write(endpoints), RelayJson.write(capabilities),
				now, now + ttl));
		ObjectNode o = RelayJson.object();
		o.put("ok", true);
		o.put("server_time", now);
		o.put("expires_at", now + ttl);
		ObjectNode observed = observedHost(request);
		if (observed == null) {
			o.putNull("observed_host");
		} else {
			o.set("observed_host", observed);
		}
		return ApiReply.ok(RelayJson.write(o));
	}

	private ApiReply unregister(ApiRequest request) throws ApiException, SQLException {
		ObjectNode body = RelayJson.parseObject(request.body());
		String nodeId = requireId(body.get("node_id"), "node_id");
		String circleHint = requireId(body.get("circle_hint"), "circle_hint");
		long now = now();
		authorizeCircleRequest(request, circleHint, now, false);
		boolean removed = db.deletePresence(circleHint, nodeId);
		ObjectNode o = RelayJson.object();
		o.put("ok", true);
		o.put("removed", removed);
		return ApiReply.ok(RelayJson.write(o));
	}

	private ApiReply peers(ApiRequest request) throws ApiException, SQLException {
		String circleHint = requireId(request.queryParam("circle_hint"), "circle_hint");
		int limit = clampInt(request.queryParam("limit"), PEERS_DEFAULT, 1, PEERS_MAX);
		long now = now();
		authorizeCircleRequest(request, circleHint, now, false);
		String self = request.header().apply(RequestAuthenticator.HEADER_NODE);
		ArrayNode peers = RelayJson.MAPPER.createArrayNode();
		for (Presence p : db.peers(circleHint, self, now, limit)) {
			ObjectNode peer = peers.addObject();
			peer.put("node_id", p.nodeId());
			peer.put("circle_hint", p.circleHint());
			peer.set("endpoints", readStored(p.endpointsJson()));
			peer.set("capabilities", readStored(p.capabilitiesJson()));
			peer.put("observed_at", p.observedAt());
			peer.put("expires_at", p.expiresAt());
		}
		ObjectNode o = RelayJson.object();
		o.put("ok", true);
		o.set("peers", peers);
		return ApiReply.ok(RelayJson.write(o));
	}

	/**
	 * Applies the signature policy to a request about one circle: with a bound key it must verify with it;
	 * without one, it fails (a signed request after the timestamp and nonce checks, as the reference does). Only
	 * {@code compat} lets an unsigned {@code /v1/messages} request through (the reference web client never signs
	 * them).
	 *
	 * @param messageRoute whether this is {@code /v1/messages}
	 */
	private void authorizeCircleRequest(ApiRequest request, String circleHint, long now, boolean messageRoute)
			throws ApiException, SQLException {
		boolean signed = RequestAuthenticator.attemptsSignature(request);
		if (!signed && messageRoute && config.signatures() == SignaturePolicy.COMPAT) {
			return;
		}
		Optional<CircleKey> bound = db.circleKey(circleHint, now);
		if (bound.isPresent()) {
			auth.verifyWithBoundKey(request, bound, now);
		} else {
			requireSignedRequest(request, "sign the request with the circle's key");
		}
	}

	/** For a circle without a bound key: a signed request fails like the reference's (no key), an unsigned one too. */
	private void requireSignedRequest(ApiRequest request, String what) throws ApiException, SQLException {
		if (RequestAuthenticator.attemptsSignature(request)) {
			// Signature headers without a key to check them against: verify() fails with the reference's code.
			auth.verify(request, Optional.empty(), now());
		}
		throw ApiException.signature(401, RequestAuthenticator.INVALID_SIGNATURE,
				"this relay requires signed requests: " + what);
	}

	/** Whether a WebSocket upgrade must be verified (on the worker pool) before it is accepted. */
	boolean webSocketNeedsCheck(ApiRequest request) {
		return config.signedWebSocket() || RequestAuthenticator.attemptsSignature(request);
	}

	/** Verifies a signed WebSocket upgrade ({@code GET /relay/ws}, empty body) with the circle's bound key. */
	void authorizeWebSocket(ApiRequest request, String circleHint) throws ApiException, SQLException {
		authorizeCircleRequest(request, circleHint, now(), false);
	}

	private ObjectNode observedHost(ApiRequest request) {
		String host = null;
		InetSocketAddress remote = request.remote();
		InetAddress address = remote == null ? null : remote.getAddress();
		boolean trust = switch (config.trustProxy()) {
		case ALWAYS -> true;
		case NEVER -> false;
		case LOOPBACK -> address != null && address.isLoopbackAddress();
		};
		if (trust) {
			String forwarded = request.header().apply("X-Forwarded-For");
			if (forwarded != null && !forwarded.isBlank()) {
				host = forwarded.split(",", 2)[0].trim();
			}
			if (host == null || host.isEmpty()) {
				String realIp = request.header().apply("X-Real-IP");
				host = realIp == null || realIp.isBlank() ? null : realIp.trim();
			}
		}
		if ((host == null || host.isEmpty()) && address != null) {
			host = address.getHostAddress();
			int scope = host.indexOf('%');
			if (scope >= 0) {
				host = host.substring(0, scope);
			}
		}
		if (host == null || host.isEmpty() || host.length() > 255) {
			return null;
		}
		ObjectNode o = RelayJson.object();
		o.put("host", host);
		o.put("family", host.indexOf(':') >= 0 ? "ipv6" : "ipv4");
		return o;
	}

	// ------------------------------------------------------------------ messages

	private ApiReply postMessages(ApiRequest request) throws ApiException, SQLException {
		ValidatedPost post = validatePost(request);
		RelayStore.Inserted inserted = awaitInsert(store(post));
		return postReply(post, inserted);
	}

	/**
	 * Whether {@code request} can be served without waiting for a database read, i.e. from an I/O thread by
	 * {@link #postMessagesAsync}: an unsigned {@code POST /v1/messages} that the {@code compat} policy accepts
	 * without looking anything up, with a small body. Everything else runs on the worker pool.
	 */
	boolean servesWithoutBlocking(ApiRequest request) {
		return request.method().equals("POST") && request.route().equals("/v1/messages")
				&& config.signatures() == SignaturePolicy.COMPAT && !RequestAuthenticator.attemptsSignature(request)
				&& request.body().length <= NON_BLOCKING_BODY_LIMIT;
	}

	/**
	 * {@code POST /v1/messages} without blocking: validates now and completes with the reply once the messages
	 * are committed (group commit). Only for requests that {@link #servesWithoutBlocking} accepts.
	 */
	CompletableFuture<ApiReply> postMessagesAsync(ApiRequest request, java.util.concurrent.Executor completeOn) {
		ValidatedPost post;
		try {
			post = validatePost(request);
		} catch (ApiException | SQLException e) {
			return CompletableFuture.failedFuture(e);
		}
		return db.insertMessages(post.circleHint(), post.sender(), post.valid(), post.now(), quota, completeOn)
				.thenApply(inserted -> {
			try {
				return postReply(post, inserted);
			} catch (ApiException e) {
				throw new java.util.concurrent.CompletionException(e);
			}
		});
	}

	/** A parsed {@code POST /v1/messages}: the valid elements and the first problem (if any). */
	private record ValidatedPost(String circleHint, String sender, List<NewMessage> valid, String firstProblem,
			long now) {
	}

	private ValidatedPost validatePost(ApiRequest request) throws ApiException, SQLException {
		long wait = limits.admitPostBytes(request.client(), request.body().length);
		if (wait > 0) {
			throw ApiException.status(429, "this address posts too much, retry after " + wait + " s",
					Map.of("Retry-After", Long.toString(wait)));
		}
		ObjectNode body = RelayJson.parseObject(request.body());
		String circleHint = requireId(body.get("circle_hint"), "circle_hint");
		long now = now();
		// Signature first, as the reference does, so unauthenticated callers learn nothing from validation.
		authorizeCircleRequest(request, circleHint, now, true);
		JsonNode list = body.get("messages");
		if (list == null || !list.isArray()) {
			throw ApiException.badRequest("messages must be an array");
		}
		if (list.size() > MAX_BATCH) {
			throw ApiException.badRequest("too many messages: at most " + MAX_BATCH + " per request, got " + list.size());
		}
		List<NewMessage> valid = new ArrayList<>(list.size());
		String firstProblem = null;
		List<String> raw = RelayJson.rawArrayElements(request.body(), "messages");
		if (raw == null || raw.size() != list.size()) {
			throw ApiException.badRequest("messages must be an array");
		}
		for (int i = 0; i < list.size(); i++) {
			try {
				valid.add(validateMessage(list.get(i), raw.get(i), i));
			} catch (ApiException e) {
				if (firstProblem == null) {
					firstProblem = e.detail();
				}
			}
		}
		return new ValidatedPost(circleHint, request.header().apply(RequestAuthenticator.HEADER_NODE), valid,
				firstProblem, now);
	}

	/** Valid elements are stored even when others are rejected: a client that retries the batch loses nothing. */
	private CompletableFuture<RelayStore.Inserted> store(ValidatedPost post) {
		return db.insertMessages(post.circleHint(), post.sender(), post.valid(), post.now(), quota);
	}

	private static RelayStore.Inserted awaitInsert(CompletableFuture<RelayStore.Inserted> insert) throws SQLException {
		try {
			return insert.get();
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new SQLException("interrupted while storing messages", e);
		} catch (java.util.concurrent.ExecutionException e) {
			Throwable cause = e.getCause();
			if (cause instanceof SQLException sql) {
				throw sql;
			}
			throw new SQLException("storing messages failed: " + cause, cause);
		}
	}

	private ApiReply postReply(ValidatedPost post, RelayStore.Inserted inserted) throws ApiException {
		if (inserted.overQuota()) {
			String bytes = quota.bytes() >= 1 << 20 ? (quota.bytes() >> 20) + " MiB" : (quota.bytes() >> 10) + " KiB";
			throw ApiException.status(507, "this circle's relay mailbox is full (at most " + quota.messages()
					+ " messages and " + bytes + " are kept for " + config.messageRetention().toDays()
					+ " days); nothing of this post was stored");
		}
		if (post.firstProblem() != null) {
			throw ApiException.badRequest(post.firstProblem(), Map.of("stored", inserted.rows().size()));
		}
		ObjectNode o = RelayJson.object();
		o.put("ok", true);
		o.put("stored", inserted.rows().size());
		o.put("server_time", post.now());
		return ApiReply.ok(RelayJson.write(o));
	}

	/** @param raw the client's own text of the element, which is what is stored */
	private static NewMessage validateMessage(JsonNode element, String raw, int index) throws ApiException {
		String where = "messages[" + index + "]";
		if (element == null || !element.isObject()) {
			throw ApiException.badRequest(where + " must be an object");
		}
		JsonNode msgId = element.get("msg_id");
		if (msgId == null || !msgId.isTextual() || !lengthBetween(msgId.textValue(), 8, 64)) {
			throw ApiException.badRequest(where + ".msg_id must be a string of 8-64 characters");
		}
		JsonNode created = element.get("created_ts");
		if (created == null || !created.isIntegralNumber() || !created.canConvertToLong() || created.longValue() < 0) {
			throw ApiException.badRequest(where + ".created_ts must be a non-negative integer");
		}
		JsonNode text = element.get("text");
		if (text != null && (!text.isTextual()
				|| text.textValue().getBytes(StandardCharsets.UTF_8).length > MAX_TEXT_BYTES)) {
			throw ApiException.badRequest(where + ".text must be a string of at most " + MAX_TEXT_BYTES + " bytes");
		}
		String payload = raw;
		int bytes = payload.length() <= MAX_ENVELOPE_BYTES / 3 ? payload.length()
				: payload.getBytes(StandardCharsets.UTF_8).length;
		if (bytes > MAX_ENVELOPE_BYTES) {
			throw ApiException.badRequest(where + " is larger than " + MAX_ENVELOPE_BYTES + " bytes");
		}
		return new NewMessage(msgId.textValue(), created.longValue(), payload);
	}

	private ApiReply getMessages(ApiRequest request) throws ApiException, SQLException {
		String circleHint = requireId(request.queryParam("circle_hint"), "circle_hint");
		long since = parseLong(request.queryParam("since"), 0);
		int limit = clampInt(request.queryParam("limit"), MESSAGES_DEFAULT, 1, MESSAGES_MAX);
		long now = now();
		authorizeCircleRequest(request, circleHint, now, true);
		long validAfter = now - config.messageRetention().toSeconds();
		MessagePage page;
		long maxBytes = config.limits().maxPageBytes();
		if (since >= TIME_CURSOR_LIMIT) {
			page = db.readMessages(circleHint, since - CURSOR_BASE, -1, limit, validAfter, maxBytes);
		} else {
			page = db.readMessages(circleHint, 0, Math.max(0, since), limit, validAfter, maxBytes);
		}
		long cursor = CURSOR_BASE + page.cursor();
		ObjectNode tail = RelayJson.object();
		tail.put("server_time", cursor);
		tail.put("cursor", cursor);
		tail.put("more", page.more());
		tail.put("time", now);
		ObjectNode head = RelayJson.object();
		head.put("ok", true);
		return ApiReply.ok(RelayJson.withRawArray(head, "messages", payloads(page.messages()), tail));
	}

	static List<String> payloads(List<StoredMessage> rows) {
		List<String> out = new ArrayList<>(rows.size());
		for (StoredMessage m : rows) {
			out.add(m.payload());
		}
		return out;
	}

	// ------------------------------------------------------------------ signals

	/**
	 * {@code POST /v1/signal}. Beyond the reference's per-sender limit (whose sender id the poster chooses), posts
	 * are limited per client address and per recipient, a recipient's mailbox holds a bounded number of rows and
	 * bytes, and the signal is bound to its circle: signed with the circle's key, or (unsigned, {@code compat}
	 * only, as the web client posts) between two nodes that are both registered in that circle, which outsiders
	 * cannot be once the circle's key is bound. A recipient that has no presence at this relay at all (a desktop
	 * signalling through the relay without using it for presence) is signalled as the reference does, within the
	 * per-address and per-recipient limits and the mailbox caps: the relay has no circle to bind it to.
	 */
	private ApiReply postSignal(ApiRequest request) throws ApiException, SQLException {
		long wait = limits.admitSignalPost(request.client());
		if (wait > 0) {
			throw ApiException.status(429, "too many signals from this address, retry after " + wait + " s",
					Map.of("Retry-After", Long.toString(wait)));
		}
		ObjectNode body = RelayJson.parseObject(request.body());
		JsonNode session = body.get("session_id");
		if (session == null || !session.isTextual() || !lengthBetween(session.textValue(), 8, 256)
				|| hasUnpairedSurrogate(session.textValue())) {
			throw ApiException.badRequest("session_id must be a string of 8-256 characters");
		}
		String from = requireId(body.get("from_node_id"), "from_node_id");
		String to = requireId(body.get("to_node_id"), "to_node_id");
		String circleHint = requireId(body.get("circle_hint"), "circle_hint");
		JsonNode type = body.get("type");
		if (type == null || !type.isTextual() || !SIGNAL_TYPES.contains(type.textValue())) {
			throw ApiException.badRequest(
					"type must be one of offer, answer, candidate, media-offer, media-answer, media-candidate");
		}
		JsonNode payload = body.get("payload");
		if (payload == null || !payload.isTextual()
				|| payload.textValue().codePointCount(0, payload.textValue().length()) > SIGNAL_PAYLOAD_MAX_CHARS
				|| hasUnpairedSurrogate(payload.textValue())) {
			throw ApiException.badRequest(
					"payload must be a string of at most " + SIGNAL_PAYLOAD_MAX_CHARS + " characters");
		}
		int maxTtl = type.textValue().endsWith("candidate") ? SIGNAL_CANDIDATE_TTL_MAX : SIGNAL_TTL_MAX;
		int ttl = clampTtl(body.get("ttl_s"), "ttl_s", SIGNAL_TTL_MIN, maxTtl, maxTtl);
		long now = now();
		authorizeSignal(request, circleHint, from, to, now);
		long retryAfter = db.acquireSignalRate(from, clock.millis(), config.signalRateLimit(),
				config.signalRateWindow().toMillis());
		if (retryAfter == 0) {
			retryAfter = db.acquireSignalRate("to:" + to, clock.millis(), config.limits().signalPostsPerRecipient(),
					config.signalRateWindow().toMillis());
		}
		if (retryAfter > 0) {
			throw ApiException.status(429, "Rate limit exceeded, retry after " + retryAfter + " s",
					Map.of("Retry-After", Long.toString(retryAfter)));
		}
		long id = db.insertSignal(circleHint, session.textValue(), from, to, type.textValue(), payload.textValue(),
				now, now + ttl, config.limits().signalMailboxRows(), config.limits().signalMailboxBytes());
		if (id == RelayStore.MAILBOX_FULL) {
			long window = Math.max(1, config.signalRateWindow().toSeconds());
			throw ApiException.status(429, "the recipient's signal mailbox is full, retry after " + window + " s",
					Map.of("Retry-After", Long.toString(window)));
		}
		ObjectNode o = RelayJson.object();
		o.put("ok", true);
		o.put("server_time", now);
		return ApiReply.ok(RelayJson.write(o));
	}

	private void authorizeSignal(ApiRequest request, String circleHint, String from, String to, long now)
			throws ApiException, SQLException {
		if (RequestAuthenticator.attemptsSignature(request) || config.signatures() == SignaturePolicy.STRICT) {
			authorizeCircleRequest(request, circleHint, now, false);
			return;
		}
		int expected = from.equals(to) ? 1 : 2;
		if (db.presentCount(circleHint, from.equals(to) ? List.of(from) : List.of(from, to), now) < expected
				&& db.presentAnywhere(to, now)) {
			throw ApiException.status(403,
					"from_node_id and to_node_id must both be registered (POST /v1/register) in circle_hint");
		}
	}

	/**
	 * {@code GET /v1/signal}. The web client polls it unsigned with only {@code to_node_id}, so in {@code compat}
	 * an unsigned read stays open; {@code circle_hint} narrows it to one circle, and a signed read (required in
	 * {@code strict}) must name the circle whose key it is signed with.
	 */
	private ApiReply getSignals(ApiRequest request) throws ApiException, SQLException {
		String to = requireId(request.queryParam("to_node_id"), "to_node_id");
		long sinceId = parseLong(request.queryParam("since_id"), 0);
		String session = request.queryParam("session_id");
		if (session != null && session.isEmpty()) {
			session = null;
		}
		String hint = request.queryParam("circle_hint");
		if (hint != null) {
			requireId(hint, "circle_hint");
		}
		long now = now();
		if (RequestAuthenticator.attemptsSignature(request) || config.signatures() == SignaturePolicy.STRICT) {
			if (hint == null) {
				throw ApiException.signature(401, RequestAuthenticator.INVALID_SIGNATURE,
						"a signed signal read must name its circle_hint");
			}
			authorizeCircleRequest(request, hint, now, false);
		}
		ArrayNode signals = RelayJson.MAPPER.createArrayNode();
		for (Signal s : db.signals(to, hint, sinceId, session, now, SIGNAL_PAGE, config.limits().maxPageBytes())) {
			ObjectNode o = signals.addObject();
			o.put("id", s.id());
			o.put("session_id", s.sessionId());
			o.put("from_node", s.fromNode());
			o.put("to_node", s.toNode());
			o.put("type", s.type());
			o.put("payload", s.payload());
			o.put("created_at", s.createdAt());
		}
		ObjectNode o = RelayJson.object();
		o.put("ok", true);
		o.set("signals", signals);
		o.put("server_time", now);
		return ApiReply.ok(RelayJson.write(o));
	}

	// ------------------------------------------------------------------ validation helpers

	/** A node id or circle hint: a string of 8-128 characters (the PHP relay's limits). */
	static String requireId(JsonNode node, String field) throws ApiException {
		return requireId(node != null && node.isTextual() ? node.textValue() : null, field);
	}

	static String requireId(String value, String field) throws ApiException {
		if (value == null || !lengthBetween(value, MIN_ID_CHARS, MAX_ID_CHARS) || hasUnpairedSurrogate(value)) {
			throw ApiException.badRequest(field + " must be a string of " + MIN_ID_CHARS + "-" + MAX_ID_CHARS
					+ " characters");
		}
		return value;
	}

	/** Length in Unicode code points, as the reference (Python {@code len}, PHP {@code mb_strlen}) counts. */
	static boolean lengthBetween(String s, int min, int max) {
		int n = s.codePointCount(0, s.length());
		return n >= min && n <= max;
	}

	static boolean hasUnpairedSurrogate(String s) {
		return org.felund.protocol.wire.Json.hasLoneSurrogate(s);
	}

	/** Absent → default; a number → clamped to [min, max] (as relay_ws does); anything else → 400. */
	static int clampTtl(JsonNode node, String field, int min, int max, int dflt) throws ApiException {
		if (node == null || node.isNull()) {
			return dflt;
		}
		if (!node.isNumber()) {
			throw ApiException.badRequest(field + " must be a number of seconds");
		}
		double v = node.doubleValue();
		if (Double.isNaN(v)) {
			return dflt;
		}
		return (int) Math.max(min, Math.min(max, Math.floor(v)));
	}

	/** Integer query parameter clamped to [min, max]; absent or not an integer → default. */
	static int clampInt(String text, int dflt, int min, int max) {
		long v = parseLong(text, dflt);
		return (int) Math.max(min, Math.min(max, v));
	}

	/** Optional {@code -} and digits; anything else (or overflow) → default, as relay_ws does. */
	static long parseLong(String text, long dflt) {
		if (text == null) {
			return dflt;
		}
		String t = text.trim();
		if (!t.matches("-?[0-9]{1,19}")) {
			return dflt;
		}
		try {
			return Long.parseLong(t);
		} catch (NumberFormatException e) {
			return dflt;
		}
	}

	private static ArrayNode validateEndpoints(JsonNode node) throws ApiException {
		ArrayNode out = RelayJson.MAPPER.createArrayNode();
		if (node == null || node.isNull()) {
			return out;
		}
		if (!node.isArray() || node.size() > MAX_ENDPOINTS) {
			throw ApiException.badRequest("endpoints must be an array of at most " + MAX_ENDPOINTS + " objects");
		}
		for (int i = 0; i < node.size(); i++) {
			String where = "endpoints[" + i + "]";
			JsonNode e = node.get(i);
			if (!e.isObject()) {
				throw ApiException.badRequest(where + " must be an object");
			}
			String transport = textOr(e.get("transport"), null);
			if (!"tcp".equals(transport) && !"ws".equals(transport)) {
				throw ApiException.badRequest(where + ".transport must be \"tcp\" or \"ws\"");
			}
			String host = textOr(e.get("host"), null);
			if (host == null || host.isEmpty() || !lengthBetween(host, 1, 255) || hasUnpairedSurrogate(host)) {
				throw ApiException.badRequest(where + ".host must be a non-empty string of at most 255 characters");
			}
			JsonNode port = e.get("port");
			if (port == null || !port.isIntegralNumber() || !port.canConvertToInt() || port.intValue() < 1
					|| port.intValue() > 65535) {
				throw ApiException.badRequest(where + ".port must be an integer from 1 to 65535");
			}
			String family = textOr(e.get("family"), "ipv4");
			if (!"ipv4".equals(family) && !"ipv6".equals(family)) {
				throw ApiException.badRequest(where + ".family must be \"ipv4\" or \"ipv6\"");
			}
			String nat = textOr(e.get("nat"), "unknown");
			if (!NAT_TYPES.contains(nat)) {
				throw ApiException.badRequest(
						where + ".nat must be one of \"unknown\", \"open\", \"restricted\", \"symmetric\"");
			}
			ObjectNode clean = out.addObject();
			clean.put("transport", transport);
			clean.put("host", host);
			clean.put("port", port.intValue());
			clean.put("family", family);
			clean.put("nat", nat);
		}
		return out;
	}

	/** Any JSON object of bounded size, stored verbatim (unlike PHP, {@code can_anchor} is kept). */
	private static ObjectNode validateCapabilities(JsonNode node) throws ApiException {
		if (node == null || node.isNull()) {
			ObjectNode dflt = RelayJson.object();
			dflt.put("relay", false);
			dflt.putArray("transport").add("tcp");
			return dflt;
		}
		if (!node.isObject()) {
			throw ApiException.badRequest("capabilities must be an object");
		}
		if (RelayJson.write(node).length() > MAX_CAPABILITIES_BYTES) {
			throw ApiException.badRequest("capabilities must be at most " + MAX_CAPABILITIES_BYTES + " bytes");
		}
		return (ObjectNode) node;
	}

	/** {@code null} when absent; otherwise 64 hex characters (any case), returned lower-case. */
	private static String validateSigningKey(JsonNode node) throws ApiException {
		if (node == null || node.isNull()) {
			return null;
		}
		String text = node.isTextual() ? node.textValue() : "";
		if (!text.matches("[0-9a-fA-F]{64}")) {
			throw ApiException.badRequest("signing_key must be 64 hex characters");
		}
		return text.toLowerCase(Locale.ROOT);
	}

	private static String textOr(JsonNode node, String dflt) {
		if (node == null || node.isNull()) {
			return dflt;
		}
		return node.isTextual() ? node.textValue() : null;
	}

	private static JsonNode readStored(String json) throws SQLException {
		try {
			return RelayJson.MAPPER.readTree(json);
		} catch (java.io.IOException e) {
			throw new SQLException("stored presence JSON is unreadable", e);
		}
	}
}
