package org.felund.transport.relay.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.felund.api.crypto.CircleCrypto;
import org.felund.api.crypto.CircleSecret;
import org.felund.protocol.wire.Json;
import org.felund.protocol.wire.MessageJson;
import org.felund.crypto.JcaCryptoService;
import org.felund.testsupport.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The requests this client builds are byte-identical to the reference's (api_signing.json): same body bytes, same
 * request line, same four signature headers.
 */
class RelayRequestsTest {
	private static final JcaCryptoService CRYPTO = new JcaCryptoService();
	private static final RelayUrl RELAY = RelayUrl.parse("http://127.0.0.1:8787");

	static Stream<JsonNode> signingCases() {
		return Vectors.cases("api_signing.json").stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("signingCases")
	void requestBytesPathAndHeadersMatchTheReference(JsonNode c) {
		CircleCrypto circle = CRYPTO.forCircle(CircleSecret.fromHex(c.get("secret_hex").asText()));
		assertEquals(c.get("signing_key_hex").asText(), circle.apiSigningKeyHex());
		String hint = circle.circleHint();
		String nodeId = c.get("node_id").asText();
		String method = c.get("method").asText();
		String signedPath = c.get("signed_path").asText();
		String expectedBody = c.get("body_utf8").asText();
		String requestLine = c.get("request_path_and_query").asText();

		byte[] body;
		URI uri;
		switch (method.toUpperCase(java.util.Locale.ROOT) + " " + signedPath) {
		case "POST /register" -> {
			JsonNode sent = Json.parse(expectedBody);
			JsonNode endpoint = sent.get("endpoints").get(0);
			body = RelayRequests.registerBody(nodeId, hint,
					new TcpEndpoint(endpoint.get("host").asText(), endpoint.get("port").asInt()),
					sent.get("capabilities").get("can_anchor").asBoolean(), sent.get("ttl_s").asLong(),
					circle.apiSigningKeyHex());
			uri = RELAY.api("register", null);
		}
		case "DELETE /register" -> {
			body = RelayRequests.unregisterBody(nodeId, hint);
			uri = RELAY.api("register", null);
		}
		case "GET /peers" -> {
			body = new byte[0];
			uri = RELAY.api("peers", RelayRequests.peersQuery(hint, 50));
		}
		case "POST /messages" -> {
			// The envelopes go through the same strip the transport applies before pushing.
			List<ObjectNode> envelopes = new ArrayList<>();
			for (JsonNode m : Json.parse(expectedBody).get("messages")) {
				envelopes.add(MessageJson.toRelayEnvelope(MessageJson.fromRelayEnvelope(m)));
			}
			body = RelayRequests.messagesBody(hint, envelopes);
			uri = RELAY.api("messages", null);
		}
		case "GET /messages" -> {
			body = new byte[0];
			uri = RELAY.api("messages", RelayRequests.messagesQuery(hint, 0, 200));
		}
		default -> throw new AssertionError("api_signing.json has a request this client does not send: " + method
				+ " " + signedPath);
		}
		assertArrayEquals(expectedBody.getBytes(StandardCharsets.UTF_8), body, () -> new String(body));
		assertEquals(requestLine, uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));

		Map<String, String> headers = RelayRequests.signedHeaders(circle, nodeId, method, signedPath, body,
				c.get("ts").asLong(), c.get("nonce").asText());
		Map<String, String> expected = new LinkedHashMap<>();
		c.get("headers").properties().forEach(e -> expected.put(e.getKey(), e.getValue().asText()));
		assertEquals(expected, headers);
		assertEquals(List.copyOf(expected.keySet()), List.copyOf(headers.keySet()));
	}

	@Test
	void registerWithoutListenerAdvertisesNoEndpointAndNoTcpTransport() {
		CircleCrypto circle = CRYPTO.forCircle(CircleSecret.fromHex("00".repeat(32)));
		String body = new String(RelayRequests.registerBody("0123456789abcdef01234567", circle.circleHint(), null, true,
				120, circle.apiSigningKeyHex()), StandardCharsets.UTF_8);
		assertEquals("{\"node_id\":\"0123456789abcdef01234567\",\"circle_hint\":\"" + circle.circleHint()
				+ "\",\"endpoints\":[],\"capabilities\":{\"relay\":false,\"transport\":[],\"can_anchor\":true},"
				+ "\"ttl_s\":120,\"signing_key\":\"" + circle.apiSigningKeyHex() + "\"}", body);
	}

	@Test
	void ipv6EndpointIsSentUnbracketedWithItsFamily() {
		String body = new String(RelayRequests.registerBody("0123456789abcdef01234567", "e03c84dccc271635",
				TcpEndpoint.parse("[::1]:9999"), false, 120, "00".repeat(32)), StandardCharsets.UTF_8);
		assertEquals("[{\"transport\":\"tcp\",\"host\":\"::1\",\"port\":9999,\"family\":\"ipv6\",\"nat\":\"unknown\"}]",
				Json.parse(body).get("endpoints").toString());
	}

	@Test
	void everyRequestGetsItsOwnSignatureOverTheExactBody() {
		CircleCrypto circle = CRYPTO.forCircle(CircleSecret.fromHex("11".repeat(32)));
		byte[] body = RelayRequests.unregisterBody("0123456789abcdef01234567", circle.circleHint());
		String a = RelayRequests.signedHeaders(circle, "n", "DELETE", "/register", body, 1767225600, "aa".repeat(16))
				.get(RelayRequests.HEADER_SIGNATURE);
		String otherNonce = RelayRequests.signedHeaders(circle, "n", "DELETE", "/register", body, 1767225600,
				"bb".repeat(16)).get(RelayRequests.HEADER_SIGNATURE);
		byte[] changed = body.clone();
		changed[changed.length - 2] ^= 1;
		String otherBody = RelayRequests.signedHeaders(circle, "n", "DELETE", "/register", changed, 1767225600,
				"aa".repeat(16)).get(RelayRequests.HEADER_SIGNATURE);
		assertNotEquals(a, otherNonce);
		assertNotEquals(a, otherBody);
		assertEquals(true, CRYPTO.verifyApiRequest(circle.apiSigningKeyHex(), "DELETE", "/register", body, 1767225600,
				"aa".repeat(16), a));
	}
}
