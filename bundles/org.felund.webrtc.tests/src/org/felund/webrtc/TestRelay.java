package org.felund.webrtc;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import org.felund.api.crypto.CircleCrypto;
import org.felund.api.crypto.CircleSecret;
import org.felund.crypto.JcaCryptoService;
import org.felund.relay.server.RelayConfig;
import org.felund.relay.server.RelayServer;
import org.felund.relay.server.SignaturePolicy;

/**
 * The real relay server on 127.0.0.1 (an ephemeral port), with its signal rate limit chosen by the test, in the
 * {@code compat} signature policy (the web client's unsigned signaling, which this layer speaks). Such a relay takes
 * unsigned signals only between nodes present in the signal's circle, so the test nodes' ids are registered
 * (signed with the circle's key, as every register must be) in {@link #CIRCLE}.
 */
final class TestRelay implements AutoCloseable {
	/** The node ids the tests and harnesses use. */
	static final String A = "0a0a0a0a0a0a0a0a0a0a0a0a";
	static final String B = "0b0b0b0b0b0b0b0b0b0b0b0b";
	/** The circle the test nodes are present in; its hint is {@link TestPeer#HINT}. */
	static final CircleCrypto CIRCLE = new JcaCryptoService()
			.forCircle(CircleSecret.fromHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));

	private final RelayServer server;
	private final Clock clock;

	TestRelay(Path database, int signalRateLimit, Duration signalWindow) throws IOException {
		this(database, signalRateLimit, signalWindow, SignaturePolicy.COMPAT, Clock.systemUTC());
	}

	/** A relay with the given signature policy and clock (e.g. one that runs ahead of ours). */
	TestRelay(Path database, SignaturePolicy signatures, Clock clock) throws IOException {
		this(database, 1000, Duration.ofSeconds(10), signatures, clock);
	}

	private TestRelay(Path database, int signalRateLimit, Duration signalWindow, SignaturePolicy signatures,
			Clock clock) throws IOException {
		this.clock = clock;
		server = new RelayServer(RelayConfig.builder().bindHost("127.0.0.1").port(0).database(database)
				.signatures(signatures).signalRateLimit(signalRateLimit).signalRateWindow(signalWindow)
				// Every test peer is 127.0.0.1, and busy mailboxes poll every 20 ms: the per-address limits follow
				// the test's signal limit instead of the relay's defaults for one hostile address.
				.limits(l -> l.withRequestRate(10_000, 10_000).withSignalLimits(signalRateLimit, signalRateLimit,
						l.signalMailboxRows(), l.signalMailboxBytes()))
				.workerThreads(4).build(),
				new JcaCryptoService(), clock);
		server.start();
		register(A);
		register(B);
	}

	/** Presence in {@link #CIRCLE} for ten minutes: {@code POST /v1/register}, signed with the circle's key. */
	void register(String nodeId) throws IOException {
		String body = "{\"node_id\":\"" + nodeId + "\",\"circle_hint\":\"" + CIRCLE.circleHint()
				+ "\",\"endpoints\":[],\"capabilities\":{\"relay\":false,\"transport\":[]},\"ttl_s\":600,"
				+ "\"signing_key\":\"" + CIRCLE.apiSigningKeyHex() + "\"}";
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		long ts = clock.millis() / 1000;
		byte[] nonceBytes = new byte[16];
		new SecureRandom().nextBytes(nonceBytes);
		String nonce = HexFormat.of().formatHex(nonceBytes);
		try {
			HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url() + "/v1/register"))
					.header("Content-Type", "application/json").header("X-Felund-Node", nodeId)
					.header("X-Felund-Ts", Long.toString(ts)).header("X-Felund-Nonce", nonce)
					.header("X-Felund-Signature", CIRCLE.signApiRequest("POST", "/register", bytes, ts, nonce))
					.POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
					HttpResponse.BodyHandlers.ofString());
			if (r.statusCode() != 200) {
				throw new IOException("register " + nodeId + ": HTTP " + r.statusCode() + " " + r.body());
			}
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted", e);
		}
	}

	TestRelay(Path database) throws IOException {
		this(database, 1000, Duration.ofSeconds(10));
	}

	String url() {
		return "http://127.0.0.1:" + server.port();
	}

	@Override
	public void close() {
		server.stop();
	}
}
