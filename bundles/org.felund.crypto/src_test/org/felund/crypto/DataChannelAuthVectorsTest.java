package org.felund.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.felund.crypto.Vectors.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.stream.Stream;

import org.felund.api.crypto.CircleCrypto;
import org.felund.api.crypto.CircleSecret;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

/** dc_auth.json: the web client's DataChannel mutual authentication (§3.9). */
class DataChannelAuthVectorsTest {
	private final JcaCryptoService crypto = new JcaCryptoService();

	static Stream<Arguments> cases() {
		return Vectors.arguments("dc_auth.json");
	}

	/** The HELLO/AUTH example and the session-id case carry no secret; they belong to the first case's circle. */
	private static JsonNode firstCase() {
		return Vectors.cases("dc_auth.json").get(0);
	}

	@ParameterizedTest
	@MethodSource("cases")
	void authIsHmacOfBothNoncesInTheSendersOrder(JsonNode c) {
		if (c.has("auth")) {
			CircleCrypto circle = circle(c);
			String mine = text(c, "my_nonce");
			String peer = text(c, "peer_nonce");
			assertEquals("dc-auth:" + mine + ":" + peer, text(c, "hmac_message_utf8"));
			assertEquals(text(c, "auth"), RawJca.hmacHex(Vectors.hex(c, "secret_hex"),
					text(c, "hmac_message_utf8").getBytes(UTF_8)));
			assertEquals(text(c, "auth"), circle.dataChannelAuth(mine, peer));
			assertTrue(circle.verifyDataChannelAuth(peer, mine, text(c, "auth")), "the peer accepts it");
			assertFalse(circle.verifyDataChannelAuth(mine, peer, text(c, "auth")), "it is not symmetric");
		} else if (c.has("expected_auth")) {
			CircleCrypto circle = circle(c);
			String receiverMine = text(c, "receiver_my_nonce");
			String receiverPeer = text(c, "receiver_peer_nonce");
			String expected = text(c, "expected_auth");
			assertEquals(expected, circle.dataChannelAuth(receiverPeer, receiverMine));
			assertTrue(circle.verifyDataChannelAuth(receiverMine, receiverPeer, expected));
			assertFalse(circle.verifyDataChannelAuth(receiverMine, receiverPeer, expected.toUpperCase()),
					"the web client compares exact strings");
			assertFalse(circle.verifyDataChannelAuth(receiverMine, receiverPeer, null));
		} else if (c.has("auth_frame")) {
			JsonNode first = firstCase();
			CircleCrypto circle = circle(first);
			JsonNode hello = c.get("frame");
			assertEquals("HELLO", text(hello, "type"));
			assertEquals(circle.circleHint(), text(hello, "circle_hint"));
			assertEquals(text(first, "my_nonce"), text(hello, "nonce"));
			JsonNode auth = c.get("auth_frame");
			assertEquals("AUTH", text(auth, "type"));
			assertEquals(circle.dataChannelAuth(text(hello, "nonce"), text(first, "peer_nonce")), text(auth, "auth"));
		} else if (c.has("session_id")) {
			// the pairing rule itself belongs to the WebRTC transport; here only its id format is checked
			List<String> pair = Stream.of(text(c, "node_a"), text(c, "node_b")).sorted().toList();
			assertEquals(pair.get(0) + ":" + pair.get(1), text(c, "session_id"));
		} else {
			fail("Unknown dc_auth vector shape: " + c);
		}
	}

	private CircleCrypto circle(JsonNode c) {
		return crypto.forCircle(CircleSecret.fromHex(text(c, "secret_hex")));
	}
}
