package org.felund.transport.gossip.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.felund.api.crypto.CircleCrypto;
import org.felund.api.crypto.CircleSecret;
import org.felund.api.crypto.CryptoException;
import org.felund.api.crypto.SessionCipher;
import org.felund.protocol.wire.Json;
import org.felund.crypto.JcaCryptoService;
import org.felund.testsupport.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The wire level of session frames (session_frame.json) and the codec side of the handshake transcript
 * (handshake_transcript.json): every line byte for byte with the pinned frame nonces.
 */
class SessionFrameVectorsTest {

	/** The crypto bundle's cipher, sealing with a chosen nonce (its vector-only entry point). */
	static SessionCipher pinned(SessionCipher real, List<byte[]> nonces) {
		return new SessionCipher() {
			@Override
			public String seal(byte[] frameJson) {
				try {
					Method m = real.getClass().getMethod("seal", byte[].class, byte[].class);
					return (String) m.invoke(real, frameJson, nonces.remove(0));
				} catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
					throw new AssertionError("crypto bundle lacks seal(frame, nonce)", e);
				}
			}

			@Override
			public byte[] open(String line) throws CryptoException {
				return real.open(line);
			}
		};
	}

	static CircleCrypto circle(String secretHex) {
		return new JcaCryptoService().forCircle(CircleSecret.fromHex(secretHex));
	}

	static Stream<Arguments> sessionFrames() {
		return Vectors.cases("session_frame.json").stream().map(c -> Arguments.of(c.get("desc").asText(), c));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("sessionFrames")
	void sessionFramesEncodeAndDecodeByteForByte(String desc, JsonNode c) throws Exception {
		SessionCipher real = circle(c.get("secret_hex").asText()).session(c.get("client_nonce_hex").asText(),
				c.get("server_nonce_hex").asText());
		List<byte[]> nonces = new ArrayList<>(List.of(HexFormat.of().parseHex(c.get("nonce_hex").asText())));
		SessionCodec codec = new SessionCodec();
		codec.encrypt(pinned(real, nonces), false, true);
		ObjectNode frame = (ObjectNode) c.get("frame").deepCopy();
		assertEquals(c.get("plaintext_utf8").asText(), Json.ascii(frame));
		assertArrayEquals(HexFormat.of().parseHex(c.get("plaintext_hex").asText()),
				Json.ascii(frame).getBytes(StandardCharsets.UTF_8));
		String wire = c.get("wire_line_ascii").asText();
		assertEquals(wire, codec.encode(frame) + "\n");
		assertEquals(c.get("wire_line_length").asInt(), wire.length());
		assertEquals(c.get("wire_line_length").asInt(),
				FrameLimits.encryptedLineLength(c.get("plaintext_hex").asText().length() / 2));
		assertEquals(c.get("within_sender_limit").asBoolean(),
				FrameLimits.fits(c.get("plaintext_hex").asText().length() / 2, true));
		SessionCodec reader = new SessionCodec();
		reader.encrypt(real, false, false);
		assertEquals(c.get("frame"), reader.decode(wire.substring(0, wire.length() - 1)));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("sessionFrames")
	void tamperedSessionFramesAreRefused(String desc, JsonNode c) throws Exception {
		SessionCipher real = circle(c.get("secret_hex").asText()).session(c.get("client_nonce_hex").asText(),
				c.get("server_nonce_hex").asText());
		SessionCodec reader = new SessionCodec();
		reader.encrypt(real, false, false);
		String wire = c.get("wire_line_ascii").asText().strip();
		byte[] blob = java.util.Base64.getDecoder().decode(wire);
		for (int bit : new int[] { 0, 8 * 12 + 3, blob.length * 8 - 1 }) {
			byte[] flipped = blob.clone();
			flipped[bit / 8] ^= (byte) (1 << (bit % 8));
			String line = java.util.Base64.getEncoder().encodeToString(flipped);
			FrameException e = assertThrows(FrameException.class, () -> reader.decode(line));
			assertEquals(Frames.ERR_INTERNAL, e.errorText());
		}
		assertThrows(FrameException.class, () -> reader.decode(wire.substring(0, 30)));
		assertThrows(FrameException.class, () -> reader.decode("not base64 at all!"));
	}

	@Test
	void handshakeTranscriptLinesAreProducedByteForByte() throws Exception {
		JsonNode t = Vectors.file("handshake_transcript.json");
		SessionCipher real = circle(t.get("secret_hex").asText()).session(t.get("client_nonce_hex").asText(),
				t.get("server_nonce_hex").asText());
		List<byte[]> clientNonces = new ArrayList<>();
		List<byte[]> serverNonces = new ArrayList<>();
		for (JsonNode v : t.get("vectors")) {
			if ("enc".equals(v.get("kind").asText())) {
				(v.get("dir").asText().equals("C->S") ? clientNonces : serverNonces)
						.add(HexFormat.of().parseHex(v.get("nonce_hex").asText()));
			}
		}
		SessionCodec client = new SessionCodec();
		SessionCodec server = new SessionCodec();
		int steps = 0;
		for (JsonNode v : t.get("vectors")) {
			boolean fromClient = v.get("dir").asText().equals("C->S");
			SessionCodec writer = fromClient ? client : server;
			SessionCodec reader = fromClient ? server : client;
			if ("enc".equals(v.get("kind").asText()) && !writer.encrypted()) {
				client.encrypt(pinned(real, clientNonces), false, true);
				server.encrypt(pinned(real, serverNonces), false, false);
			}
			String wire = v.get("wire_line_ascii").asText();
			assertEquals(wire, writer.encode((ObjectNode) v.get("frame").deepCopy()) + "\n", v.get("desc").asText());
			assertEquals(v.get("frame"), reader.decode(wire.substring(0, wire.length() - 1)));
			steps++;
		}
		assertEquals(t.get("vector_count").asInt(), steps);
		assertTrue(clientNonces.isEmpty() && serverNonces.isEmpty());
	}

	@Test
	void referenceErrorTextsAreTheOnesInTheTranscript() {
		List<String> expected = new ArrayList<>();
		Vectors.file("handshake_transcript.json").get("server_error_frames")
				.forEach(e -> expected.add(Json.ascii(e.get("frame"))));
		List<String> ours = Stream.of(Frames.ERR_EXPECTED_HELLO, Frames.ERR_UNKNOWN_CIRCLE,
				Frames.ERR_EXPECTED_HELLO_AUTH, Frames.ERR_AUTH_FAILED, Frames.ERR_BAD_SYNC_FRAMES, Frames.ERR_INTERNAL)
				.map(text -> SessionCodec.plain(Frames.error(text))).toList();
		assertEquals(expected, ours);
	}

	@Test
	void sequencedFramesRefuseReplayReorderAndReflection() throws Exception {
		JsonNode t = Vectors.file("handshake_transcript.json");
		SessionCipher cipher = circle(t.get("secret_hex").asText()).session(t.get("client_nonce_hex").asText(),
				t.get("server_nonce_hex").asText());
		SessionCodec client = new SessionCodec();
		SessionCodec server = new SessionCodec();
		client.encrypt(cipher, true, true);
		server.encrypt(cipher, true, false);
		String first = client.encode(Frames.frame(Frames.X_PING));
		String second = client.encode(Frames.frame(Frames.X_PONG));
		String third = client.encode(Frames.frame(Frames.X_PING));
		assertEquals(Frames.X_PING, Frames.type(server.decode(first)));
		// Reordered (skips one), replayed, and reflected back to its writer: all refused.
		assertThrows(FrameException.class, () -> server.decode(third));
		SessionCodec server2 = new SessionCodec();
		server2.encrypt(cipher, true, false);
		server2.decode(first);
		server2.decode(second);
		assertThrows(FrameException.class, () -> server2.decode(second));
		SessionCodec client2 = new SessionCodec();
		client2.encrypt(cipher, true, true);
		assertThrows(FrameException.class, () -> client2.decode(first));
		// A plaintext ERROR inside an encrypted session ends it without an answer.
		FrameException e = assertThrows(FrameException.class,
				() -> client.decode("{\"t\":\"ERROR\",\"err\":\"Internal error\"}"));
		assertEquals(null, e.errorText());
	}
}
