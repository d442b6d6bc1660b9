package org.felund.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.felund.crypto.Vectors.hex;
import static org.felund.crypto.Vectors.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.felund.api.crypto.CircleCrypto;
import org.felund.api.crypto.CircleSecret;
import org.felund.api.model.ChatMessage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

/** message_mac.json: the schema-1 MAC over seven {@code |}-joined fields (protocol §3.3). */
class LegacyMacVectorsTest {
	private final JcaCryptoService crypto = new JcaCryptoService();

	static Stream<Arguments> cases() {
		return Vectors.arguments("message_mac.json");
	}

	@ParameterizedTest
	@MethodSource("cases")
	void macCoversTheSevenRawFields(JsonNode c) {
		CircleCrypto circle = crypto.forCircle(CircleSecret.fromHex(text(c, "secret_hex")));
		ChatMessage message = TestMessages.message(c);
		if (c.has("verify")) {
			assertFalse(Vectors.bool(c, "verify"), "only negative cases carry 'verify'");
			assertNotEquals(message.mac(), circle.legacyMac(message));
			assertFalse(circle.verifyLegacyMac(message));
			return;
		}
		assertArrayEquals(hex(c, "payload_hex"), text(c, "payload_utf8").getBytes(UTF_8));
		assertEquals(text(c, "mac"), RawJca.hmacHex(hex(c, "secret_hex"), hex(c, "payload_hex")));
		assertEquals(text(c, "mac"), circle.legacyMac(message));
		assertTrue(circle.verifyLegacyMac(message));
	}
}
