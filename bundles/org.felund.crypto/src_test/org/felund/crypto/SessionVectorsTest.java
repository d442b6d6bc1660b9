package org.felund.crypto;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.felund.crypto.Vectors.hex;
import static org.felund.crypto.Vectors.number;
import static org.felund.crypto.Vectors.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Base64;
import java.util.stream.Stream;

import org.felund.api.crypto.CircleSecret;
import org.felund.api.crypto.SessionCipher;
import org.felund.crypto.internal.GcmSessionCipher;
import org.felund.crypto.internal.JcaCircleCrypto;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** session_key.json and session_frame.json: the per-connection key and encrypted gossip lines (§3.7). */
class SessionVectorsTest {
	private static final ObjectMapper JSON = new ObjectMapper();
	private final JcaCryptoService crypto = new JcaCryptoService();

	static Stream<Arguments> keyCases() {
		return Vectors.arguments("session_key.json");
	}

	static Stream<Arguments> frameCases() {
		return Vectors.arguments("session_frame.json");
	}

	@ParameterizedTest
	@MethodSource("keyCases")
	void sessionKeyIsHkdfSaltedWithClientThenServerNonce(JsonNode c) throws Exception {
		byte[] secret = hex(c, "secret_hex");
		byte[] clientNonce = hex(c, "client_nonce_hex");
		byte[] serverNonce = hex(c, "server_nonce_hex");
		byte[] salt = hex(c, "salt_hex");
		assertArrayEquals(salt, concat(clientNonce, serverNonce));
		assertEquals("felund-session-v1", text(c, "info_utf8"));
		byte[] expectedKey = hex(c, "session_key_hex");
		assertArrayEquals(expectedKey, JcaCircleCrypto.sessionKey(secret, clientNonce, serverNonce));
		assertArrayEquals(expectedKey, RawJca.hkdf32(secret, salt, "felund-session-v1"));

		// the API path uses that key: what it seals opens with plain JCA under the vector's key
		SessionCipher cipher = crypto.forCircle(CircleSecret.fromBytes(secret))
				.session(text(c, "client_nonce_hex"), text(c, "server_nonce_hex"));
		byte[] frame = "{\"t\":\"MSGS_REQ\",\"circle_id\":\"x\",\"msg_ids\":[]}".getBytes(US_ASCII);
		byte[] blob = Base64.getDecoder().decode(cipher.seal(frame));
		assertArrayEquals(frame, RawJca.gcmDecrypt(expectedKey, Arrays.copyOf(blob, 12), null,
				Arrays.copyOfRange(blob, 12, blob.length)));
	}

	@ParameterizedTest
	@MethodSource("frameCases")
	void frameLineMatchesTheReference(JsonNode c) throws Exception {
		byte[] plaintext = hex(c, "plaintext_hex");
		assertArrayEquals(plaintext, text(c, "plaintext_utf8").getBytes(US_ASCII), "frames are pure ASCII");
		assertEquals(JSON.readTree(plaintext), c.get("frame"));
		assertArrayEquals(hex(c, "session_key_hex"), JcaCircleCrypto.sessionKey(hex(c, "secret_hex"),
				hex(c, "client_nonce_hex"), hex(c, "server_nonce_hex")));

		GcmSessionCipher cipher = (GcmSessionCipher) crypto.forCircle(CircleSecret.fromHex(text(c, "secret_hex")))
				.session(text(c, "client_nonce_hex"), text(c, "server_nonce_hex"));
		String wireLine = text(c, "wire_line_ascii");
		String sealed = cipher.seal(plaintext, hex(c, "nonce_hex"));
		assertEquals(wireLine, sealed + "\n");
		assertEquals(number(c, "wire_line_length"), wireLine.length());
		assertArrayEquals(hex(c, "encrypted_blob_hex"), Base64.getDecoder().decode(sealed));
		assertEquals(Vectors.bool(c, "within_sender_limit"), wireLine.length() <= Vectors.number(
				Vectors.file("session_frame.json").get("limits"), "encrypted_line_max_bytes_incl_newline_sender_check"));
		assertTrue(Vectors.bool(c, "within_sender_limit"));

		assertArrayEquals(plaintext, cipher.open(wireLine), "the reader strips the newline");
		assertArrayEquals(plaintext, cipher.open(sealed));
	}

	private static byte[] concat(byte[] a, byte[] b) {
		byte[] out = Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, out, a.length, b.length);
		return out;
	}
}
