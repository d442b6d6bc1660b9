package org.felund.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.felund.crypto.Vectors.hex;
import static org.felund.crypto.Vectors.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.stream.Stream;

import org.felund.api.crypto.CircleCrypto;
import org.felund.api.crypto.CircleSecret;
import org.felund.api.crypto.CryptoException;
import org.felund.api.crypto.DecryptedBody;
import org.felund.api.crypto.SessionCipher;
import org.felund.api.model.ChatMessage;
import org.felund.api.model.Envelope;
import org.felund.api.model.MessageHeader;
import org.felund.crypto.internal.GcmSessionCipher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * negative.json: tampered and malformed input must be rejected with a clear message, and the reference's surprising
 * acceptances must be accepted too.
 * <p>
 * The {@code merge} cases are decisions of the gossip merge (MAC ignored when {@code enc} is present, decrypted text
 * wins over the clear copy); the core bundle's tests cover those rules. Here only their envelope part is checked.
 */
class NegativeVectorsTest {
	private static final Set<String> KINDS = Set.of("message", "frame", "wire", "mac", "token", "merge");
	private final JcaCryptoService crypto = new JcaCryptoService();

	static Stream<Arguments> cases() {
		return Vectors.arguments("negative.json", c -> !"merge".equals(c.path("kind").asText()));
	}

	static Stream<Arguments> mergeCases() {
		return Vectors.arguments("negative.json", c -> "merge".equals(c.path("kind").asText()));
	}

	@Test
	void everyKindInTheFileIsKnown() {
		for (JsonNode c : Vectors.cases("negative.json")) {
			assertTrue(KINDS.contains(text(c, "kind")), "unknown kind in " + c);
		}
	}

	@ParameterizedTest
	@MethodSource("cases")
	void rejectsWhatTheReferenceRejectsAndAcceptsItsQuirks(JsonNode c) throws Exception {
		boolean accepted = switch (text(c, "outcome")) {
		case "accepted" -> true;
		case "rejected" -> false;
		default -> throw new AssertionError("Unknown outcome in " + c);
		};
		switch (text(c, "kind")) {
		case "message" -> checkEnvelope(c, accepted);
		case "frame" -> checkFrame(c, accepted);
		case "wire" -> {
			assertFalse(accepted);
			SessionCipher cipher = new GcmSessionCipher(new byte[32], new SecureRandom());
			CryptoException e = assertThrows(CryptoException.class, () -> cipher.open(text(c, "line_ascii")));
			assertTrue(e.getMessage().contains("base64"), e.getMessage());
		}
		case "mac" -> {
			assertFalse(accepted);
			CircleCrypto circle = circle(c);
			ChatMessage message = TestMessages.message(c.get("message"));
			assertEquals(1, message.schemaVersion());
			assertFalse(circle.verifyLegacyMac(message));
		}
		case "token" -> {
			assertFalse(accepted);
			assertFalse(circle(c).verifyGossipToken(text(c, "node_id"), text(c, "circle_id"),
					text(c, "server_nonce"), text(c, "token")));
		}
		default -> fail("Unhandled kind " + text(c, "kind"));
		}
	}

	@ParameterizedTest
	@MethodSource("mergeCases")
	void mergeCasesEnvelopeOpensOnlyUnderItsOwnHeader(JsonNode c) throws Exception {
		ChatMessage message = TestMessages.message(c.get("message"));
		CircleCrypto circle = circle(c);
		assertFalse(circle.verifyLegacyMac(message), "the junk MAC never verifies; merge ignores it when enc is set");
		if ("accepted".equals(text(c, "outcome"))) {
			DecryptedBody body = circle.open(message.header(), message.enc());
			if (c.has("stored_text")) {
				assertEquals(new DecryptedBody(text(c, "stored_display_name"), text(c, "stored_text")), body);
			}
		} else {
			assertThrows(CryptoException.class, () -> circle.open(message.header(), message.enc()));
		}
	}

	private void checkEnvelope(JsonNode c, boolean accepted) throws CryptoException {
		CircleCrypto circle = circle(c);
		MessageHeader header = TestMessages.header(c);
		JsonNode enc = c.get("enc");
		if (!enc.has("nonce")) {
			// an enc without nonce cannot even become an Envelope: the wire parser drops the message
			assertFalse(accepted);
			NullPointerException e = assertThrows(NullPointerException.class, () -> TestMessages.envelope(enc));
			assertTrue(e.getMessage().contains("nonce"), e.getMessage());
			return;
		}
		Envelope envelope = TestMessages.envelope(enc);
		if (accepted) {
			JsonNode result = c.get("result");
			assertEquals(new DecryptedBody(text(result, "display_name"), text(result, "text")),
					circle.open(header, envelope));
			return;
		}
		CryptoException e = assertThrows(CryptoException.class, () -> circle.open(header, envelope));
		String expectedWording = expectedEnvelopeWording(c, envelope);
		assertTrue(e.getMessage().contains(expectedWording),
				"expected '" + expectedWording + "' in: " + e.getMessage());
	}

	/** What a clear message must mention, derived from the case itself. */
	private static String expectedEnvelopeWording(JsonNode c, Envelope envelope) {
		if (text(c, "exception").startsWith("binascii")) {
			return "not valid base64";
		}
		if (text(c, "exception").startsWith("json")) {
			return "not valid JSON";
		}
		if (Base64.getDecoder().decode(envelope.nonce()).length != 12) {
			return "must be 12 bytes";
		}
		if (Base64.getDecoder().decode(envelope.ciphertext()).length < 16) {
			return "shorter than the 16-byte GCM tag";
		}
		return "failed authentication";
	}

	private void checkFrame(JsonNode c, boolean accepted) throws CryptoException {
		byte[] blob = hex(c, "blob_hex");
		String line = c.has("wire_line_ascii") ? text(c, "wire_line_ascii") : Base64.getEncoder().encodeToString(blob);
		assertArrayEquals(blob, Base64.getDecoder().decode(line.strip()));
		SessionCipher withVectorKey = new GcmSessionCipher(hex(c, "session_key_hex"), new SecureRandom());
		if (accepted) {
			byte[] expected = text(c, "result_utf8").getBytes(UTF_8);
			assertArrayEquals(expected, withVectorKey.open(line));
			assertArrayEquals(expected, circle(c).session(text(c, "client_nonce_hex"), text(c, "server_nonce_hex"))
					.open(line));
			return;
		}
		CryptoException e = assertThrows(CryptoException.class, () -> withVectorKey.open(line));
		String expectedWording = blob.length < 28 ? "too short" : "failed authentication";
		assertTrue(e.getMessage().contains(expectedWording),
				"expected '" + expectedWording + "' in: " + e.getMessage());
	}

	private CircleCrypto circle(JsonNode c) {
		return crypto.forCircle(CircleSecret.fromHex(text(c, "secret_hex")));
	}
}
