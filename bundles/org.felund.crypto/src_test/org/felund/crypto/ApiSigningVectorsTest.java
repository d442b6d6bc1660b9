package org.felund.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.felund.crypto.Vectors.number;
import static org.felund.crypto.Vectors.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.Locale;
import java.util.stream.Stream;

import org.felund.api.crypto.CircleCrypto;
import org.felund.api.crypto.CircleSecret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

/** api_signing.json: relay request signatures (§3.8), from the client's and from the relay's side. */
class ApiSigningVectorsTest {
	private final JcaCryptoService crypto = new JcaCryptoService();

	static Stream<Arguments> cases() {
		return Vectors.arguments("api_signing.json");
	}

	@Test
	void fileLevelCircleIdAndHintBelongToTheSigningSecret() {
		JsonNode file = Vectors.file("api_signing.json");
		CircleCrypto circle = crypto.forCircle(CircleSecret.fromHex(text(file.get("vectors").get(0), "secret_hex")));
		assertEquals(text(file, "circle_id"), circle.circleId());
		assertEquals(text(file, "circle_hint"), circle.circleHint());
	}

	@ParameterizedTest
	@MethodSource("cases")
	void signatureCoversMethodPathBodyHashTimestampAndNonce(JsonNode c) {
		CircleCrypto circle = crypto.forCircle(CircleSecret.fromHex(text(c, "secret_hex")));
		String signingKey = text(c, "signing_key_hex");
		String method = text(c, "method");
		String path = text(c, "signed_path");
		byte[] body = text(c, "body_utf8").getBytes(UTF_8);
		long ts = number(c, "ts");
		String nonce = text(c, "nonce");
		String signature = text(c, "signature");

		assertEquals(signingKey, circle.apiSigningKeyHex());
		assertEquals(text(c, "body_sha256_hex"), crypto.sha256Hex(body));
		assertEquals(method.toUpperCase(Locale.ROOT) + path + text(c, "body_sha256_hex") + ts + nonce,
				text(c, "canonical_utf8"));
		assertEquals(signature, RawJca.hmacHex(HexFormat.of().parseHex(signingKey),
				text(c, "canonical_utf8").getBytes(UTF_8)));
		assertEquals(signature, circle.signApiRequest(method, path, body, ts, nonce));
		assertTrue(text(c, "request_path_and_query").startsWith("/v1" + path),
				"the signed path is the route after /v1, without the query");

		JsonNode headers = c.get("headers");
		assertEquals(text(c, "node_id"), text(headers, "X-Felund-Node"));
		assertEquals(Long.toString(ts), text(headers, "X-Felund-Ts"));
		assertEquals(nonce, text(headers, "X-Felund-Nonce"));
		assertEquals(signature, text(headers, "X-Felund-Signature"));

		// the relay side: knows only the registered signing key
		assertTrue(crypto.verifyApiRequest(signingKey, method, path, body, ts, nonce, signature));
		assertTrue(crypto.verifyApiRequest(signingKey, method, path, body, ts, nonce,
				signature.toUpperCase(Locale.ROOT)), "the PHP relay lower-cases the presented signature");
		assertFalse(crypto.verifyApiRequest(signingKey, method, path, (text(c, "body_utf8") + " ").getBytes(UTF_8),
				ts, nonce, signature));
		assertFalse(crypto.verifyApiRequest(signingKey, method, path + "/", body, ts, nonce, signature));
		assertFalse(crypto.verifyApiRequest(signingKey, method, path, body, ts + 1, nonce, signature));
		assertFalse(crypto.verifyApiRequest(signingKey, method, path, body, ts, nonce + "0", signature));
		assertFalse(crypto.verifyApiRequest(signingKey, "PUT", path, body, ts, nonce, signature));
	}
}
