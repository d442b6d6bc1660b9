package org.felund.crypto;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Base64;
import java.util.HexFormat;

import org.felund.api.crypto.CircleCrypto;
import org.felund.api.crypto.CircleSecret;
import org.felund.api.model.Envelope;
import org.felund.api.model.MessageHeader;
import org.felund.crypto.internal.GcmSessionCipher;
import org.felund.crypto.internal.JcaCircleCrypto;
import org.junit.jupiter.api.Test;

/** The test-vector table of protocol §3.11, row by row. */
class ProtocolTableTest {
	private static final String SECRET = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
	private static final String NODE = "0123456789abcdef01234567";
	private static final String MSG_ID = "5f".repeat(16);
	private static final long TS = 1700000000L;

	private final JcaCryptoService crypto = new JcaCryptoService();
	private final CircleCrypto circle = crypto.forCircle(CircleSecret.fromHex(SECRET));

	@Test
	void circleIdAndHint() {
		assertEquals("630dcd2966c4336691125448", circle.circleId());
		assertEquals("e03c84dccc271635", circle.circleHint());
		assertEquals("e03c84dccc271635", crypto.circleHint("630dcd2966c4336691125448"));
	}

	@Test
	void handshakeToken() {
		assertEquals("0fdfef53c324194cf77d0b14288e6ec6cc3d18cd2bba0a4a27b889bffb1d07a9",
				circle.gossipToken(NODE, circle.circleId(), "00112233445566778899aabbccddeeff"));
	}

	@Test
	void legacyMac() {
		var message = new org.felund.api.model.ChatMessage(MSG_ID, circle.circleId(), "general", NODE, TS, "alice",
				"hello", "", 1, null);
		assertEquals("974dd442ac9b05da8b24471f7956eed3da0a896993df5471c26f7207787db162", circle.legacyMac(message));
	}

	@Test
	void messageKeyAndEnvelope() throws Exception {
		assertEquals("9ecf1f063d75560bcb2448b2cb97f460d30893f0b95247a074666be04ac16915",
				HexFormat.of().formatHex(JcaCircleCrypto.messageKey(HexFormat.of().parseHex(SECRET))));
		MessageHeader header = new MessageHeader(MSG_ID, circle.circleId(), "general", NODE, TS);
		assertEquals(MSG_ID + "|630dcd2966c4336691125448|general|0123456789abcdef01234567|1700000000",
				new String(JcaCircleCrypto.aad(header), US_ASCII));
		byte[] nonce = HexFormat.of().parseHex("000102030405060708090a0b");
		Envelope enc = circle.seal(header, "alice", "hello", nonce);
		assertEquals("AAECAwQFBgcICQoL", enc.nonce());
		assertEquals("P+qAgq7+/8wc0tBDIRdixIF9acii+xplJavxON37gZgiV68RQgL/MgdkbUPMQX9vgxtUQvDjTA==", enc.ciphertext());
		assertEquals("hello", circle.open(header, enc).text());
	}

	@Test
	void sessionKeyAndEncryptedFrame() throws Exception {
		String client = "aa".repeat(16);
		String server = "bb".repeat(16);
		assertEquals("b7d112994fad8bd1ab0663255ee4b1d6e593d889a49416bafae53a0c92d96358",
				HexFormat.of().formatHex(JcaCircleCrypto.sessionKey(HexFormat.of().parseHex(SECRET),
						HexFormat.of().parseHex(client), HexFormat.of().parseHex(server))));
		GcmSessionCipher cipher = (GcmSessionCipher) circle.session(client, server);
		byte[] frame = "{\"t\":\"MSGS_REQ\",\"circle_id\":\"630dcd2966c4336691125448\",\"msg_ids\":[]}"
				.getBytes(US_ASCII);
		byte[] nonce = new byte[12];
		java.util.Arrays.fill(nonce, (byte) 1);
		String line = cipher.seal(frame, nonce);
		assertEquals("AQEBAQEBAQEBAQEBIQEnu24VtXty67SBozVs7ftRnCyrkDYogH8rzXCFonnK1xLC9YESz1ZoEJx9UhrcXRTbWiI6xQrmnYjQ"
				+ "UKCMkFYvb/3uRPpsYZyi3Omu+7YAbl81", line);
		assertEquals(new String(frame, US_ASCII), new String(cipher.open(line), US_ASCII));
		assertEquals(12 + frame.length + 16, Base64.getDecoder().decode(line).length);
	}

	@Test
	void apiSigningKeyAndSignature() {
		assertEquals("10f949b7b330494e5aa0c8d585da75796242d39ab1378bf05f2c416cdd2efdd3", circle.apiSigningKeyHex());
		String nonce = "cc".repeat(16);
		assertEquals("GET/messagese3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" + TS + nonce,
				"GET" + "/messages" + crypto.sha256Hex(new byte[0]) + TS + nonce);
		assertEquals("a467ced79a4b83cd4787425c837232f0948702245fef98076b3ec944cc23118b",
				circle.signApiRequest("GET", "/messages", new byte[0], TS, nonce));
		assertEquals("a467ced79a4b83cd4787425c837232f0948702245fef98076b3ec944cc23118b",
				circle.signApiRequest("GET", "/messages", null, TS, nonce), "no body hashes like an empty one");
	}

	@Test
	void dataChannelAuth() {
		assertEquals("dafa585c721b57347d56c64bc94725e846c6b2ee2a8f363fba1e2009358962a6",
				circle.dataChannelAuth("11".repeat(16), "22".repeat(16)));
	}
}
