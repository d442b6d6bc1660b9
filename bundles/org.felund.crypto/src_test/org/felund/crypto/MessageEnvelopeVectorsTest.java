package org.felund.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.felund.crypto.Vectors.hex;
import static org.felund.crypto.Vectors.number;
import static org.felund.crypto.Vectors.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.stream.Stream;

import org.felund.api.crypto.CircleCrypto;
import org.felund.api.crypto.CircleSecret;
import org.felund.api.crypto.CryptoException;
import org.felund.api.crypto.DecryptedBody;
import org.felund.api.model.ChatMessage;
import org.felund.api.model.Envelope;
import org.felund.api.model.MessageHeader;
import org.felund.crypto.internal.EnvelopePlaintext;
import org.felund.crypto.internal.JcaCircleCrypto;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

/** message_key.json and message_encryption.json: {@code K_msg} and the schema-2 {@code enc} envelope (§3.4, §3.5). */
class MessageEnvelopeVectorsTest {
	private final JcaCryptoService crypto = new JcaCryptoService();

	static Stream<Arguments> keyCases() {
		return Vectors.arguments("message_key.json");
	}

	static Stream<Arguments> encryptionCases() {
		return Vectors.arguments("message_encryption.json");
	}

	@ParameterizedTest
	@MethodSource("keyCases")
	void messageKeyIsHkdfWithoutSalt(JsonNode c) {
		byte[] secret = hex(c, "secret_hex");
		assertEquals("felund-msg-v1", text(c, "info_utf8"));
		assertTrue(c.get("salt").isNull());
		assertEquals(text(c, "message_key_hex"), HexFormat.of().formatHex(JcaCircleCrypto.messageKey(secret)));
		assertArrayEquals(hex(c, "message_key_hex"), RawJca.hkdf32(secret, null, "felund-msg-v1"),
				"the two-HMAC form of §3.4 gives the same key");
	}

	@ParameterizedTest
	@MethodSource("encryptionCases")
	void envelopeMatchesTheReference(JsonNode c) throws Exception {
		CircleCrypto circle = crypto.forCircle(CircleSecret.fromHex(text(c, "secret_hex")));
		MessageHeader header = TestMessages.header(c);
		Envelope expected = TestMessages.envelope(c.get("enc"));
		assertEquals(text(c, "aad_utf8"), new String(JcaCircleCrypto.aad(header), UTF_8));
		assertTrue(Vectors.bool(c, "reference_decrypt_ok"));

		if (c.has("reference_decrypt_result")) {
			// decrypt-only: foreign plaintext encodings must parse, whatever their bytes
			checkCiphertextHoldsThePlaintext(c, expected, header);
			JsonNode result = c.get("reference_decrypt_result");
			assertEquals(new DecryptedBody(text(result, "display_name"), text(result, "text")),
					circle.open(header, expected));
			return;
		}

		String displayName = text(c, "display_name");
		String messageText = text(c, "text");
		assertEquals(text(c, "message_key_hex"), HexFormat.of().formatHex(JcaCircleCrypto.messageKey(
				hex(c, "secret_hex"))));
		assertArrayEquals(hex(c, "aad_hex"), JcaCircleCrypto.aad(header));
		assertArrayEquals(hex(c, "plaintext_hex"), EnvelopePlaintext.encode(displayName, messageText));
		assertArrayEquals(hex(c, "plaintext_hex"), text(c, "plaintext_utf8").getBytes(UTF_8));

		Envelope sealed = circle.seal(header, displayName, messageText, hex(c, "nonce_hex"));
		assertEquals(expected, sealed);
		byte[] ciphertextWithTag = Base64.getDecoder().decode(sealed.ciphertext());
		assertArrayEquals(hex(c, "ciphertext_with_tag_hex"), ciphertextWithTag);
		assertArrayEquals(hex(c, "tag_hex"),
				Arrays.copyOfRange(ciphertextWithTag, ciphertextWithTag.length - 16, ciphertextWithTag.length));

		// the random-nonce path builds the same envelope when its random source hands out this nonce
		FixedRandom pinned = new FixedRandom(hex(c, "nonce_hex"));
		Envelope viaRandomPath = new JcaCryptoService(pinned).forCircle(CircleSecret.fromHex(text(c, "secret_hex")))
				.seal(header, displayName, messageText);
		assertEquals(expected, viaRandomPath);
		assertEquals(1, pinned.calls());

		assertEquals(new DecryptedBody(displayName, messageText), circle.open(header, sealed));
		checkGossipDict(circle, c.get("gossip_message_dict"), header, expected);
		checkRelayEnvelope(c.get("relay_envelope"), header, expected);
	}

	private static void checkCiphertextHoldsThePlaintext(JsonNode c, Envelope enc, MessageHeader header)
			throws GeneralSecurityException {
		byte[] plaintext = RawJca.gcmDecrypt(JcaCircleCrypto.messageKey(hex(c, "secret_hex")), hex(c, "nonce_hex"),
				JcaCircleCrypto.aad(header), Base64.getDecoder().decode(enc.ciphertext()));
		assertArrayEquals(text(c, "plaintext_utf8").getBytes(UTF_8), plaintext);
		if (c.has("plaintext_hex")) {
			assertArrayEquals(hex(c, "plaintext_hex"), plaintext);
		}
		assertArrayEquals(hex(c, "ciphertext_with_tag_hex"), Base64.getDecoder().decode(enc.ciphertext()));
	}

	/** The MSGS_SEND form keeps a clear copy and a valid legacy MAC next to {@code enc}. */
	private static void checkGossipDict(CircleCrypto circle, JsonNode dict, MessageHeader header, Envelope enc)
			throws CryptoException {
		ChatMessage message = TestMessages.message(dict);
		assertEquals(header, message.header());
		assertEquals(2, message.schemaVersion());
		assertEquals(enc, message.enc());
		assertEquals(message.mac(), circle.legacyMac(message));
		assertTrue(circle.verifyLegacyMac(message));
		assertEquals(new DecryptedBody(message.displayName(), message.text()), circle.open(header, message.enc()));
	}

	private static void checkRelayEnvelope(JsonNode relay, MessageHeader header, Envelope enc) {
		assertEquals(header, new MessageHeader(text(relay, "msg_id"), text(relay, "circle_id"),
				text(relay, "channel_id"), text(relay, "author_node_id"), number(relay, "created_ts")));
		assertEquals(enc, TestMessages.envelope(relay.get("enc")));
	}
}
