package org.felund.relay.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.felund.api.crypto.CircleCrypto;
import org.felund.api.crypto.CircleSecret;
import org.felund.crypto.JcaCryptoService;
import org.felund.relay.server.RelayConfig;
import org.felund.relay.server.SignaturePolicy;
import org.felund.relay.server.internal.store.SqliteRelayStore;

import com.fasterxml.jackson.databind.JsonNode;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based fuzzing of the relay's request handling (JSON bodies, query parameters, headers, signatures) on a
 * real SQLite store, in process so that a million inputs take minutes. Seed-stable: every build runs the first
 * {@code jqwik.tries.default} inputs (1,000), the benchmark run a million ({@code docs/reliability.md}).
 *
 * <ul>
 * <li>no input crashes the handler: every answer is a status the API documents, never 500, never a storage error;
 * <li>no forgery: a request the relay accepts is signed with the key bound to the circle it names (checked
 * independently with that key), and no nonce is accepted twice;
 * <li>a stored envelope comes back as the client's own text, whatever it holds.
 * </ul>
 */
class RelayApiFuzzTest {
	static final long NOW = 1_767_225_600L;
	static final JcaCryptoService CRYPTO = new JcaCryptoService();
	static final CircleCrypto CIRCLE_A = CRYPTO.forCircle(secret(1));
	static final CircleCrypto CIRCLE_B = CRYPTO.forCircle(secret(2));

	static Path dir;
	static SqliteRelayStore store;
	static RelayApi compat;
	static RelayApi strict;
	static final AtomicLong NONCES = new AtomicLong();
	static final Set<String> ACCEPTED_NONCES = new HashSet<>();
	static final AtomicLong FORGERIES_TRIED = new AtomicLong();
	static final AtomicLong GENUINE_ACCEPTED = new AtomicLong();
	static final AtomicLong REQUESTS = new AtomicLong();
	static final AtomicLong ROUND_TRIPS = new AtomicLong();

	static CircleSecret secret(int fill) {
		byte[] b = new byte[32];
		for (int i = 0; i < b.length; i++) {
			b[i] = (byte) (fill * 31 + i);
		}
		return CircleSecret.fromBytes(b);
	}

	@BeforeContainer
	static void open() throws Exception {
		dir = Files.createTempDirectory("felund-relay-fuzz");
		RelayConfig base = RelayConfig.builder().database(dir.resolve("relay.db"))
				.limits(l -> l.withCircleQuota(Long.MAX_VALUE / 4, Long.MAX_VALUE / 4)).build();
		store = SqliteRelayStore.open(base.database(), false, 4);
		Clock clock = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
		KeySealer sealer = KeySealer.of(new byte[32]);
		ClientLimits limits = new ClientLimits(base.limits(), base.trustProxy(), 10_000);
		compat = new RelayApi(base, store, CRYPTO, clock, limits, sealer);
		strict = new RelayApi(base.toBuilder().signatures(SignaturePolicy.STRICT).build(), store, CRYPTO, clock, limits,
				sealer);
		for (CircleCrypto c : List.of(CIRCLE_A, CIRCLE_B)) {
			String body = "{\"node_id\":\"" + FuzzInputs.NODE + "\",\"circle_hint\":\"" + c.circleHint()
					+ "\",\"signing_key\":\"" + c.apiSigningKeyHex() + "\"}";
			ApiReply r = strict.handle(signed(c, "POST", "/v1/register", Map.of(), body.getBytes(StandardCharsets.UTF_8)));
			assertEquals(200, r.status());
		}
	}

	@AfterContainer
	static void close() throws IOException {
		System.out.printf("relay API fuzzing: %d requests without a crash; %d mutated signed requests, 0 accepted"
				+ " forgeries (%d genuine ones accepted); %d envelopes round-tripped%n", REQUESTS.get(),
				FORGERIES_TRIED.get(), GENUINE_ACCEPTED.get(), ROUND_TRIPS.get());
		store.close();
		try (Stream<Path> files = Files.walk(dir)) {
			for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(p);
			}
		}
	}

	static ApiRequest request(String method, String route, Map<String, List<String>> query, Map<String, String> headers,
			byte[] body) {
		Map<String, String> lower = new LinkedHashMap<>();
		headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
		return new ApiRequest(method, route, query, name -> lower.get(name.toLowerCase(Locale.ROOT)), body,
				new InetSocketAddress("127.0.0.1", 40000), null);
	}

	static ApiRequest signed(CircleCrypto c, String method, String route, Map<String, List<String>> query, byte[] body) {
		Map<String, String> h = signatureHeaders(c, method, route.substring(3), body, NOW, nonce());
		return request(method, route, query, h, body);
	}

	static String nonce() {
		return String.format("%032x", NONCES.incrementAndGet());
	}

	static Map<String, String> signatureHeaders(CircleCrypto c, String method, String signedPath, byte[] body, long ts,
			String nonce) {
		Map<String, String> h = new LinkedHashMap<>();
		h.put("X-Felund-Node", FuzzInputs.NODE);
		h.put("X-Felund-Ts", Long.toString(ts));
		h.put("X-Felund-Nonce", nonce);
		h.put("X-Felund-Signature", c.signApiRequest(method, signedPath, body, ts, nonce));
		return h;
	}

	/** Runs a request as the HTTP layer would; fails the property on a crash or a storage failure. */
	static int answer(RelayApi api, ApiRequest r) {
		REQUESTS.incrementAndGet();
		try {
			ApiReply reply = api.handle(r);
			assertTrue(reply.json() == null || RelayJson.MAPPER.readTree(reply.json()) != null);
			return reply.status();
		} catch (ApiException e) {
			assertTrue(e.status() >= 400 && e.status() < 600 && e.status() != 500, "status " + e.status());
			return e.status();
		} catch (SQLException e) {
			if (e.getSQLState() != null && e.getSQLState().startsWith("22")) {
				return 400;
			}
			fail("storage failure on " + r.method() + " " + r.route() + ": " + e);
			return -1;
		} catch (IOException e) {
			fail("an answer that is not JSON: " + e);
			return -1;
		}
	}

	// ------------------------------------------------------------------ 1. no crash

	@Provide
	Arbitrary<String> routes() {
		return Arbitraries.of(List.copyOf(RelayApi.ROUTES.keySet())).filter(r -> !r.equals(HttpApiHandler.WS_ROUTE));
	}

	@Provide
	Arbitrary<String> methods() {
		return Arbitraries.of("GET", "POST", "DELETE");
	}

	@Provide
	Arbitrary<Map<String, List<String>>> queries() {
		return FuzzInputs.queries();
	}

	@Provide
	Arbitrary<Map<String, String>> headers() {
		return FuzzInputs.headers();
	}

	@Provide
	Arbitrary<byte[]> bodies() {
		return FuzzInputs.bodies();
	}

	@Property(seed = "20261204")
	void everyRequestGetsADocumentedAnswerAndNeverCrashes(@ForAll("methods") String method,
			@ForAll("routes") String route, @ForAll("queries") Map<String, List<String>> query,
			@ForAll("headers") Map<String, String> headers, @ForAll("bodies") byte[] body, @ForAll boolean isStrict) {
		if (!RelayApi.ROUTES.get(route).contains(method)) {
			return; // the HTTP layer answers 405 before the API sees it
		}
		answer(isStrict ? strict : compat, request(method, route, query, headers, body));
	}

	// ------------------------------------------------------------------ 2. no forgery

	/** One change an attacker makes to a request it saw (or builds): any of them must make it fail. */
	enum Mutation {
		NONE, FLIP_SIGNATURE, UPPER_SIGNATURE, OTHER_KEY, FLIP_NONCE, TS_PLUS_ONE, TS_OUTSIDE, TS_GARBAGE, FLIP_BODY,
		BODY_SPACE, OTHER_METHOD, OTHER_PATH, OTHER_CIRCLE, DROP_SIGNATURE, EMPTY_NONCE, REPLAY, SIGNATURE_OF_EMPTY_BODY
	}

	record Signed(String method, String route, Map<String, List<String>> query, byte[] body, CircleCrypto circle) {
	}

	@Provide
	Arbitrary<Signed> genuine() {
		Arbitrary<CircleCrypto> circles = Arbitraries.of(CIRCLE_A, CIRCLE_B);
		return circles.flatMap(c -> Arbitraries.of(0, 1, 2, 3, 4, 5, 6).flatMap(kind -> FuzzInputs.nastyStrings()
				.map(text -> genuineRequest(c, kind, text))));
	}

	static Signed genuineRequest(CircleCrypto c, int kind, String text) {
		String hint = c.circleHint();
		String id = String.format("%032x", NONCES.incrementAndGet());
		return switch (kind) {
		case 0 -> new Signed("POST", "/v1/register", Map.of(), utf8("{\"node_id\":\"" + FuzzInputs.NODE
				+ "\",\"circle_hint\":\"" + hint + "\",\"signing_key\":\"" + c.apiSigningKeyHex() + "\",\"capabilities\":{\"t\":"
				+ FuzzInputs.quote(text) + "}}"), c);
		case 1 -> new Signed("GET", "/v1/peers", Map.of("circle_hint", List.of(hint)), new byte[0], c);
		case 2 -> new Signed("POST", "/v1/messages", Map.of(), utf8("{\"circle_hint\":\"" + hint
				+ "\",\"messages\":[{\"msg_id\":\"" + id + "\",\"created_ts\":1,\"t\":" + FuzzInputs.quote(text) + "}]}"), c);
		case 3 -> new Signed("GET", "/v1/messages", Map.of("circle_hint", List.of(hint), "since", List.of("0"), "limit",
				List.of("1")), new byte[0], c);
		case 4 -> new Signed("DELETE", "/v1/register", Map.of(), utf8("{\"node_id\":\"" + id + "\",\"circle_hint\":\""
				+ hint + "\"}"), c);
		case 5 -> new Signed("POST", "/v1/signal", Map.of(), utf8("{\"session_id\":\"" + id + "\",\"from_node_id\":\""
				+ id + "\",\"to_node_id\":\"" + id + "\",\"circle_hint\":\"" + hint
				+ "\",\"type\":\"offer\",\"payload\":" + FuzzInputs.quote(text) + "}"), c);
		default -> new Signed("GET", "/v1/signal", Map.of("to_node_id", List.of(FuzzInputs.NODE), "circle_hint",
				List.of(hint)), new byte[0], c);
		};
	}

	static byte[] utf8(String s) {
		return s.getBytes(StandardCharsets.UTF_8);
	}

	@Property(seed = "20261205")
	void onlyRequestsSignedWithTheNamedCirclesKeyAreAccepted(@ForAll("genuine") Signed g,
			@ForAll Mutation first, @ForAll Mutation second, @ForAll("nastyByte") int position) {
		String method = g.method();
		String route = g.route();
		byte[] body = g.body();
		Map<String, List<String>> query = new LinkedHashMap<>(g.query());
		long ts = NOW;
		String nonce = nonce();
		Map<String, String> headers = signatureHeaders(g.circle(), method, route.substring(3), body, ts, nonce);
		boolean replay = false;
		for (Mutation m : List.of(first, second)) {
			switch (m) {
			case NONE -> {
			}
			case FLIP_SIGNATURE -> headers.computeIfPresent("X-Felund-Signature", (k, v) -> flip(v, position));
			case UPPER_SIGNATURE -> headers.computeIfPresent("X-Felund-Signature", (k, v) -> v.toUpperCase(Locale.ROOT));
			case OTHER_KEY -> headers.put("X-Felund-Signature", other(g.circle()).signApiRequest(method, route.substring(3),
					body, ts, headers.get("X-Felund-Nonce")));
			case FLIP_NONCE -> headers.computeIfPresent("X-Felund-Nonce", (k, v) -> flip(v, position));
			case TS_PLUS_ONE -> headers.put("X-Felund-Ts", Long.toString(ts + 1));
			case TS_OUTSIDE -> headers.put("X-Felund-Ts", Long.toString(ts - 301));
			case TS_GARBAGE -> headers.put("X-Felund-Ts", " " + ts + "x");
			case FLIP_BODY -> body = flipByte(body, position);
			case BODY_SPACE -> body = utf8(new String(body, StandardCharsets.UTF_8) + " ");
			case OTHER_METHOD -> method = method.equals("GET") ? "DELETE" : "GET";
			case OTHER_PATH -> route = route.equals("/v1/messages") ? "/v1/peers" : "/v1/messages";
			case OTHER_CIRCLE -> {
				String from = g.circle().circleHint();
				String to = other(g.circle()).circleHint();
				body = utf8(new String(body, StandardCharsets.UTF_8).replace(from, to));
				query.replaceAll((k, v) -> v.stream().map(x -> x.replace(from, to)).toList());
			}
			case DROP_SIGNATURE -> headers.remove("X-Felund-Signature");
			case EMPTY_NONCE -> headers.put("X-Felund-Nonce", "");
			case REPLAY -> replay = true;
			case SIGNATURE_OF_EMPTY_BODY -> headers.put("X-Felund-Signature", g.circle().signApiRequest(method,
					route.substring(3), new byte[0], ts, headers.get("X-Felund-Nonce")));
			}
		}
		if (!RelayApi.ROUTES.containsKey(route) || !RelayApi.ROUTES.get(route).contains(method)) {
			return;
		}
		boolean mutated = first != Mutation.NONE || second != Mutation.NONE;
		if (mutated) {
			FORGERIES_TRIED.incrementAndGet();
		}
		ApiRequest r = request(method, route, query, headers, body);
		checkAccepted(answer(strict, r), first, second, method, route, query, headers, body);
		if (replay) {
			checkAccepted(answer(strict, r), first, second, method, route, query, headers, body);
		}
	}

	/** An accepted request must verify with the key of the circle it names, and its nonce must be new. */
	static void checkAccepted(int status, Mutation first, Mutation second, String method, String route,
			Map<String, List<String>> query, Map<String, String> headers, byte[] body) {
		if (status != 200) {
			return;
		}
		String named = namedCircle(route, query, body);
		CircleCrypto c = named.equals(CIRCLE_A.circleHint()) ? CIRCLE_A : named.equals(CIRCLE_B.circleHint()) ? CIRCLE_B : null;
		assertTrue(c != null, "accepted a request for a circle without a key: " + named);
		long sentTs = Long.parseLong(headers.get("X-Felund-Ts").trim());
		boolean genuine = CRYPTO.verifyApiRequest(c.apiSigningKeyHex(), method, route.substring(3), body, sentTs,
				headers.get("X-Felund-Nonce"), headers.get("X-Felund-Signature"));
		assertTrue(genuine, "FORGERY accepted: " + first + "+" + second + " on " + method + " " + route);
		synchronized (ACCEPTED_NONCES) {
			assertTrue(ACCEPTED_NONCES.add(headers.get("X-Felund-Nonce")), "a nonce was accepted twice");
		}
		GENUINE_ACCEPTED.incrementAndGet();
	}

	@Provide
	Arbitrary<Integer> nastyByte() {
		return Arbitraries.integers().between(0, 1_000);
	}

	static CircleCrypto other(CircleCrypto c) {
		return c == CIRCLE_A ? CIRCLE_B : CIRCLE_A;
	}

	static String flip(String s, int position) {
		if (s.isEmpty()) {
			return "0";
		}
		int i = position % s.length();
		char c = s.charAt(i);
		return s.substring(0, i) + (c == '0' ? '1' : '0') + s.substring(i + 1);
	}

	static byte[] flipByte(byte[] b, int position) {
		if (b.length == 0) {
			return new byte[] { ' ' };
		}
		byte[] copy = b.clone();
		copy[position % copy.length] ^= 0x01;
		return copy;
	}

	static String namedCircle(String route, Map<String, List<String>> query, byte[] body) {
		if (body.length > 0) {
			try {
				JsonNode n = RelayJson.MAPPER.readTree(body);
				if (n != null && n.path("circle_hint").isTextual()) {
					return n.get("circle_hint").textValue();
				}
			} catch (IOException e) {
				// fall through
			}
		}
		List<String> q = query.get("circle_hint");
		return q == null ? "" : q.get(0);
	}

	// ------------------------------------------------------------------ 3. round trip

	@Provide
	Arbitrary<String> envelopes() {
		return FuzzInputs.json(3).list().ofMaxSize(6).map(extra -> {
			StringBuilder sb = new StringBuilder("{\"msg_id\":\"" + String.format("%032x", NONCES.incrementAndGet())
					+ "\",\"created_ts\":7");
			for (int i = 0; i < extra.size(); i++) {
				sb.append(",\"f").append(i).append("\":").append(extra.get(i));
			}
			return sb.append('}').toString();
		});
	}

	@Property(seed = "20261206")
	void aStoredEnvelopeComesBackAsTheSameJsonValue(@ForAll("envelopes") String envelope) throws Exception {
		String hint = String.format("%016x", NONCES.incrementAndGet());
		byte[] post = utf8("{\"circle_hint\":\"" + hint + "\",\"messages\":[" + envelope + "]}");
		int status = answer(compat, request("POST", "/v1/messages", Map.of(), Map.of(), post));
		if (status != 200) {
			return; // e.g. a value PostgreSQL or the size limit refuses
		}
		ApiReply page = compat.handle(request("GET", "/v1/messages", Map.of("circle_hint", List.of(hint)), Map.of(),
				new byte[0]));
		JsonNode messages = RelayJson.MAPPER.readTree(page.json()).get("messages");
		assertEquals(1, messages.size());
		assertEquals(RelayJson.MAPPER.readTree(envelope), messages.get(0));
		assertTrue(page.json().contains("[" + envelope + "]"), "the element comes back as the client's own text");
		ROUND_TRIPS.incrementAndGet();
	}
}
