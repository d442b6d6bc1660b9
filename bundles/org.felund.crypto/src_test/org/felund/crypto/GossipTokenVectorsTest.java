package org.felund.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.felund.crypto.Vectors.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.felund.api.crypto.CircleCrypto;
import org.felund.api.crypto.CircleSecret;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

/** gossip_token.json: the HELLO_AUTH token (protocol §3.2). */
class GossipTokenVectorsTest {
	private final JcaCryptoService crypto = new JcaCryptoService();

	static Stream<Arguments> cases() {
		return Vectors.arguments("gossip_token.json");
	}

	@ParameterizedTest
	@MethodSource("cases")
	void tokenIsHmacOfNodeCircleAndServerNonce(JsonNode c) {
		CircleCrypto circle = crypto.forCircle(CircleSecret.fromHex(text(c, "secret_hex")));
		String nodeId = text(c, "node_id");
		String circleId = text(c, "circle_id");
		String serverNonce = text(c, "server_nonce");
		String presented = text(c, "token");
		String computed = circle.gossipToken(nodeId, circleId, serverNonce);
		if (Vectors.bool(c, "verify")) {
			assertEquals(presented, computed);
			assertEquals(nodeId + "|" + circleId + "|" + serverNonce, text(c, "hmac_message_utf8"));
			assertEquals(presented, RawJca.hmacHex(Vectors.hex(c, "secret_hex"),
					text(c, "hmac_message_utf8").getBytes(UTF_8)));
			assertTrue(circle.verifyGossipToken(nodeId, circleId, serverNonce, presented));
		} else {
			assertNotEquals(presented, computed);
			assertFalse(circle.verifyGossipToken(nodeId, circleId, serverNonce, presented));
		}
	}
}
