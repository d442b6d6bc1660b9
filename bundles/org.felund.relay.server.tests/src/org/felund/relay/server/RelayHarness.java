package org.felund.relay.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

import org.felund.api.crypto.CircleCrypto;
import org.felund.api.crypto.CircleSecret;
import org.felund.api.crypto.CryptoService;
import org.felund.crypto.JcaCryptoService;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Starts a real {@link RelayServer} on 127.0.0.1 with an ephemeral port and a temporary database, and talks to
 * it over HTTP exactly as a client would (exact body bytes, headers, signatures).
 */
final class RelayHarness implements AutoCloseable {
	static final long START = 1_767_225_600L;
	static final ObjectMapper JSON = new ObjectMapper();
	static final CryptoService CRYPTO = new JcaCryptoService();

	/** Where a harness keeps its data. */
	enum Backend {
		SQLITE, POSTGRES
	}

	final MutableClock clock;
	final Backend backend;
	/** The SQLite file (SQLITE) */
	final Path database;
	/** The relay's own schema in the shared test server (POSTGRES) */
	final String postgresUrl;
	final HttpClient http;
	private final UnaryOperator<RelayConfig.Builder> tweak;
	private RelayServer server;
	private final AtomicLong nonceCounter = new AtomicLong();

	RelayHarness(Path dir) throws IOException {
		this(dir, b -> b);
	}

	RelayHarness(Path dir, UnaryOperator<RelayConfig.Builder> tweak) throws IOException {
		this(Backend.SQLITE, dir, tweak);
	}

	RelayHarness(Backend backend, Path dir) throws IOException {
		this(backend, dir, b -> b);
	}

	RelayHarness(Backend backend, Path dir, UnaryOperator<RelayConfig.Builder> tweak) throws IOException {
		this(backend, dir, backend == Backend.POSTGRES ? PostgresServer.shared().newSchemaUrl() : null, tweak);
	}

	/** A relay on an existing PostgreSQL schema (a second instance of a cluster), or SQLite when url is null. */
	RelayHarness(Backend backend, Path dir, String postgresUrl, UnaryOperator<RelayConfig.Builder> tweak)
			throws IOException {
		this.clock = new MutableClock(START);
		this.backend = backend;
		this.postgresUrl = postgresUrl;
		this.database = dir.resolve("relay.db");
		this.tweak = tweak;
		this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
				.connectTimeout(Duration.ofSeconds(5)).build();
		start();
	}

	void start() throws IOException {
		RelayConfig.Builder b = RelayConfig.builder().bindHost("127.0.0.1").port(0).database(database)
				.postgresUrl(postgresUrl).workerThreads(4);
		if (postgresUrl != null) {
			b.keyFile(PostgresServer.shared().keyFileFor(postgresUrl));
		}
		RelayConfig config = tweak.apply(b).build();
		server = new RelayServer(config, CRYPTO, clock);
		server.start();
	}

	/** Stops and starts the server on the same database (a new port). */
	void restart() throws IOException {
		server.stop();
		start();
	}

	RelayServer server() {
		return server;
	}

	URI uri(String pathAndQuery) {
		return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
	}

	/** A response with its parsed JSON body ({@code null} when the body is not JSON). */
	record Reply(int status, HttpResponse<String> raw, JsonNode json) {
		String header(String name) {
			return raw.headers().firstValue(name).orElse(null);
		}

		String body() {
			return raw.body();
		}
	}

	Reply send(String method, String pathAndQuery, String body, Map<String, String> headers) {
		HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(20));
		byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
		b.method(method, bytes.length == 0 && body == null ? HttpRequest.BodyPublishers.noBody()
				: HttpRequest.BodyPublishers.ofByteArray(bytes));
		if (body != null) {
			b.header("Content-Type", "application/json");
		}
		headers.forEach(b::header);
		try {
			HttpResponse<String> res = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
			JsonNode json = null;
			String ct = res.headers().firstValue("Content-Type").orElse("");
			if (ct.startsWith("application/json")) {
				json = JSON.readTree(res.body());
			}
			return new Reply(res.statusCode(), res, json);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	Reply get(String pathAndQuery) {
		return send("GET", pathAndQuery, null, Map.of());
	}

	Reply post(String path, String body) {
		return send("POST", path, body, Map.of());
	}

	/** Expects the status and returns the JSON body. */
	static JsonNode expect(int status, Reply r) {
		assertEquals(status, r.status(), () -> "unexpected status, body: " + r.body());
		return r.json();
	}

	/** A member of a circle: signs requests the way both reference clients do (§3.8). */
	final class Member {
		final CircleCrypto circle;
		final String nodeId;

		Member(CircleSecret secret, String nodeId) {
			this.circle = CRYPTO.forCircle(secret);
			this.nodeId = nodeId;
		}

		String hint() {
			return circle.circleHint();
		}

		String key() {
			return circle.apiSigningKeyHex();
		}

		/** Signature headers for the signed path (route below /v1) at the harness clock, with a fresh nonce. */
		Map<String, String> sign(String method, String signedPath, String body) {
			return signAt(method, signedPath, body, clock.seconds(), freshNonce());
		}

		Map<String, String> signAt(String method, String signedPath, String body, long ts, String nonce) {
			byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
			Map<String, String> h = new LinkedHashMap<>();
			h.put("X-Felund-Node", nodeId);
			h.put("X-Felund-Ts", Long.toString(ts));
			h.put("X-Felund-Nonce", nonce);
			h.put("X-Felund-Signature", circle.signApiRequest(method, signedPath, bytes, ts, nonce));
			return h;
		}

		String registerBody(boolean withKey) {
			return "{\"node_id\":\"" + nodeId + "\",\"circle_hint\":\"" + hint()
					+ "\",\"endpoints\":[{\"transport\":\"tcp\",\"host\":\"127.0.0.1\",\"port\":9001,\"family\":\"ipv4\",\"nat\":\"unknown\"}],"
					+ "\"capabilities\":{\"relay\":false,\"transport\":[\"tcp\"],\"can_anchor\":true},\"ttl_s\":120"
					+ (withKey ? ",\"signing_key\":\"" + key() + "\"" : "") + "}";
		}

		Reply register() {
			String body = registerBody(true);
			return send("POST", "/v1/register", body, sign("POST", "/register", body));
		}

		Reply signed(String method, String pathAndQuery, String body) {
			String route = pathAndQuery.replaceFirst("\\?.*$", "");
			String signedPath = route.substring(route.lastIndexOf("/v1") + 3).replaceAll("/+$", "");
			return send(method, pathAndQuery, body, sign(method, signedPath, body));
		}
	}

	Member member(CircleSecret secret, String nodeId) {
		return new Member(secret, nodeId);
	}

	/**
	 * Registers presence of the given nodes in a circle hint of the test's choosing (signed with a key that the
	 * first registration binds to that hint), e.g. so that they may signal each other.
	 */
	void present(String hint, String... nodeIds) {
		Member keyHolder = member(secret(77), "presence-helper");
		for (String node : nodeIds) {
			String body = "{\"node_id\":\"" + node + "\",\"circle_hint\":\"" + hint
					+ "\",\"endpoints\":[],\"ttl_s\":600,\"signing_key\":\"" + keyHolder.key() + "\"}";
			Reply r = send("POST", "/v1/register", body, keyHolder.sign("POST", "/register", body));
			assertEquals(200, r.status(), () -> "registering " + node + " in " + hint + ": " + r.body());
		}
	}

	String freshNonce() {
		return String.format("%032x", nonceCounter.incrementAndGet() + (System.nanoTime() << 20));
	}

	static CircleSecret secret(int fill) {
		byte[] b = new byte[32];
		for (int i = 0; i < b.length; i++) {
			b[i] = (byte) (fill + i);
		}
		return CircleSecret.fromBytes(b);
	}

	@Override
	public void close() {
		if (server != null) {
			server.stop();
		}
	}
}
