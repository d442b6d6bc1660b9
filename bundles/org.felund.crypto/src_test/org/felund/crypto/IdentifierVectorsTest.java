package org.felund.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.felund.crypto.Vectors.hex;
import static org.felund.crypto.Vectors.number;
import static org.felund.crypto.Vectors.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.stream.Stream;

import org.felund.api.crypto.CircleSecret;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

/** circle_id.json, circle_hint.json and ids.json (protocol §1). */
class IdentifierVectorsTest {
	private final JcaCryptoService crypto = new JcaCryptoService();

	static Stream<Arguments> circleIdCases() {
		return Vectors.arguments("circle_id.json");
	}

	static Stream<Arguments> circleHintCases() {
		return Vectors.arguments("circle_hint.json");
	}

	static Stream<Arguments> idCases() {
		return Vectors.arguments("ids.json");
	}

	@ParameterizedTest
	@MethodSource("circleIdCases")
	void circleIdIsSha256OfTheRawSecretBytes(JsonNode c) {
		if (c.has("circle_id")) {
			byte[] secret = hex(c, "secret_hex");
			assertEquals(text(c, "sha256_of_secret_bytes_hex"), crypto.sha256Hex(secret));
			assertEquals(text(c, "circle_id"), crypto.forCircle(CircleSecret.fromBytes(secret)).circleId());
		} else if (c.has("circle_id_if_wrongly_hashing_text")) {
			String secretHex = text(c, "secret_hex");
			assertEquals(text(c, "sha256_of_secret_hex_ascii"), crypto.sha256Hex(secretHex.getBytes(UTF_8)));
			String circleId = crypto.forCircle(CircleSecret.fromHex(secretHex)).circleId();
			assertEquals(text(c, "correct_circle_id"), circleId);
			assertNotEquals(text(c, "circle_id_if_wrongly_hashing_text"), circleId);
		} else if (c.has("sha256_hex")) {
			assertEquals(text(c, "sha256_hex"), crypto.sha256Hex(hex(c, "input_hex")));
		} else {
			fail("Unknown circle_id vector shape: " + c);
		}
	}

	@ParameterizedTest
	@MethodSource("circleHintCases")
	void circleHintIsSha256OfTheCircleIdText(JsonNode c) {
		String circleId = text(c, "circle_id");
		assertEquals(text(c, "sha256_of_circle_id_utf8_hex"), crypto.sha256Hex(circleId.getBytes(UTF_8)));
		assertEquals(text(c, "circle_hint"), crypto.circleHint(circleId));
	}

	@ParameterizedTest
	@MethodSource("idCases")
	void nodeAndMessageIdsDeriveAsTheReferenceDoes(JsonNode c) {
		if (c.has("msg_id")) {
			String msgId = crypto.messageId(text(c, "node_id"), number(c, "created_ts"), text(c, "salt_hex"));
			assertEquals(text(c, "msg_id"), msgId);
			assertEquals(msgId, crypto.sha256Hex(text(c, "preimage_utf8").getBytes(UTF_8)).substring(0, 32));
		} else if (c.has("random_bytes_hex")) {
			FixedRandom random = new FixedRandom(hex(c, "random_bytes_hex"));
			assertEquals(text(c, "node_id"), new JcaCryptoService(random).newNodeId());
			assertEquals(1, random.calls());
		} else if (c.has("derived_as")) {
			for (String name : List.of("alice", "bob", "carol")) {
				assertEquals(text(c, name), crypto.sha256Hex(("node-" + name).getBytes(UTF_8)).substring(0, 24),
						name);
			}
		} else {
			fail("Unknown ids vector shape: " + c);
		}
	}
}
