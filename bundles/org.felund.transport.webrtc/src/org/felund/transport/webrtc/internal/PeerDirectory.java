package org.felund.transport.webrtc.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.felund.api.transport.CircleAccess;
import org.felund.protocol.wire.Json;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads who is in a circle from the relay's presence list ({@code GET /v1/peers}, protocol §7.4), signed (§3.8) so
 * that it works against relays that enforce signatures. The web client calls {@code connectToPeer} for every node
 * listed; so do we. A refused timestamp makes the directory adopt the relay's clock (from {@code /v1/health}).
 */
final class PeerDirectory {
	static final int LIMIT = 200;
	private static final byte[] NO_BODY = new byte[0];

	private final HttpClient http;
	private final Duration timeout;
	private final SecureRandom random = new SecureRandom();
	private volatile long clockOffsetSeconds;

	PeerDirectory(HttpClient http, Duration timeout) {
		this.http = http;
		this.timeout = timeout;
	}

	/** The node ids listed for the circle, without this node; fails with an {@link IOException} on any error. */
	CompletableFuture<Set<String>> lookup(String relayBase, CircleAccess circle, String nodeId) {
		return request(relayBase, circle, nodeId).thenCompose(response -> {
			if (response.statusCode() == 400 && body(response).path("code").asText("").equals("EXPIRED_TIMESTAMP")) {
				return adoptClock(relayBase).thenCompose(adopted -> request(relayBase, circle, nodeId));
			}
			return CompletableFuture.completedFuture(response);
		}).thenApply(response -> {
			if (response.statusCode() != 200) {
				throw new IllegalStateException("the relay answered HTTP " + response.statusCode() + " to GET /v1/peers");
			}
			JsonNode root = body(response);
			Set<String> peers = new LinkedHashSet<>();
			for (JsonNode p : root.path("peers")) {
				String id = p.path("node_id").asText("");
				if (!id.equals(nodeId) && plausible(id)) {
					peers.add(id);
				}
			}
			return peers;
		});
	}

	private CompletableFuture<HttpResponse<byte[]>> request(String relayBase, CircleAccess circle, String nodeId) {
		long ts = System.currentTimeMillis() / 1000 + clockOffsetSeconds;
		byte[] nonce = new byte[16];
		random.nextBytes(nonce);
		String nonceHex = HexFormat.of().formatHex(nonce);
		String hint = circle.crypto().circleHint();
		URI uri = api(relayBase, "peers",
				"circle_hint=" + URLEncoder.encode(hint, StandardCharsets.UTF_8) + "&limit=" + LIMIT);
		HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json")
				.header("X-Felund-Node", nodeId).header("X-Felund-Ts", Long.toString(ts))
				.header("X-Felund-Nonce", nonceHex)
				.header("X-Felund-Signature", circle.crypto().signApiRequest("GET", "/peers", NO_BODY, ts, nonceHex))
				.GET().build();
		return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
	}

	private CompletableFuture<Boolean> adoptClock(String relayBase) {
		HttpRequest health = HttpRequest.newBuilder(api(relayBase, "health", null)).timeout(timeout).GET().build();
		return http.sendAsync(health, HttpResponse.BodyHandlers.ofByteArray()).thenApply(r -> {
			JsonNode time = body(r).get("time");
			if (time == null || !time.canConvertToLong()) {
				return false;
			}
			clockOffsetSeconds = time.longValue() - System.currentTimeMillis() / 1000;
			return true;
		});
	}

	/** {@code <base>/v1/<name>}, or {@code <base>/<name>} when the base ends with {@code /v1} (protocol §7.1). */
	static URI api(String relayBase, String name, String query) {
		String b = relayBase.trim();
		while (b.endsWith("/")) {
			b = b.substring(0, b.length() - 1);
		}
		String path = b.endsWith("/v1") ? b + "/" + name : b + "/v1/" + name;
		return URI.create(query == null ? path : path + "?" + query);
	}

	private static JsonNode body(HttpResponse<byte[]> response) {
		try {
			return Json.parse(response.body());
		} catch (RuntimeException e) {
			return Json.object();
		}
	}

	static boolean plausible(String id) {
		return id.length() >= 8 && id.length() <= 128 && id.indexOf(':') < 0
				&& id.chars().allMatch(c -> c > 0x20 && c < 0x7f);
	}
}
