package org.felund.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.felund.api.crypto.CircleCrypto;
import org.felund.api.crypto.CircleSecret;
import org.felund.api.crypto.CryptoException;
import org.felund.api.crypto.CryptoService;
import org.felund.api.crypto.DecryptedBody;
import org.felund.api.crypto.SessionCipher;
import org.felund.api.model.ChatMessage;
import org.felund.api.model.Envelope;
import org.felund.api.model.MessageHeader;
import org.felund.crypto.internal.CryptoServiceComponent;
import org.junit.jupiter.api.Test;

/** Behaviour of the service beyond the reference vectors: randomness, error reporting, thread safety. */
class JcaCryptoServiceTest {
	private static final String HEX = "[0-9a-f]*";
	private final CryptoService crypto = new JcaCryptoService();
	private final CircleCrypto circle = crypto.forCircle(CircleSecret.fromHex("00".repeat(31) + "01"));
	private final MessageHeader header = new MessageHeader("m".repeat(32), circle.circleId(), "general", "n".repeat(24),
			1767225600L);

	@Test
	void randomValuesHaveTheReferenceFormatsAndDiffer() {
		assertEquals(24, crypto.newNodeId().length());
		assertTrue(crypto.newNodeId().matches(HEX));
		assertNotEquals(crypto.newNodeId(), crypto.newNodeId());
		assertEquals(32, crypto.randomHex(16).length());
		assertTrue(crypto.randomHex(16).matches(HEX));
		assertEquals("", crypto.randomHex(0));
		assertThrows(IllegalArgumentException.class, () -> crypto.randomHex(-1));
		Set<CircleSecret> secrets = new HashSet<>();
		for (int i = 0; i < 50; i++) {
			secrets.add(crypto.newSecret());
		}
		assertEquals(50, secrets.size());
	}

	@Test
	void sealWithAFreshNonceEveryTimeAndOpenIt() throws CryptoException {
		Envelope a = circle.seal(header, "alice", "hello");
		Envelope b = circle.seal(header, "alice", "hello");
		assertNotEquals(a.nonce(), b.nonce());
		assertNotEquals(a.ciphertext(), b.ciphertext());
		assertEquals(Envelope.ALG, a.alg());
		assertEquals(Envelope.KEY_ID, a.keyId());
		assertEquals(new DecryptedBody("alice", "hello"), circle.open(header, a));
		assertEquals(new DecryptedBody("alice", "hello"), circle.open(header, b));
	}

	@Test
	void pinnedNonceCanBeReusedForTestsOnOneThread() {
		byte[] nonce = new byte[12];
		assertEquals(circle.seal(header, "a", "b", nonce), circle.seal(header, "a", "b", nonce));
		assertThrows(IllegalArgumentException.class, () -> circle.seal(header, "a", "b", new byte[8]));
	}

	@Test
	void anotherCircleCannotOpen() {
		Envelope sealed = circle.seal(header, "alice", "hello");
		CircleCrypto other = crypto.forCircle(crypto.newSecret());
		CryptoException e = assertThrows(CryptoException.class, () -> other.open(header, sealed));
		assertTrue(e.getMessage().contains("failed authentication"), e.getMessage());
	}

	@Test
	void headerWithALoneSurrogateIsRefusedClearly() {
		Envelope sealed = circle.seal(header, "alice", "hello");
		MessageHeader bad = new MessageHeader(header.msgId(), header.circleId(), "gen\uD800", header.authorNodeId(),
				header.createdTs());
		CryptoException e = assertThrows(CryptoException.class, () -> circle.open(bad, sealed));
		assertTrue(e.getMessage().contains("channel_id contains a lone UTF-16 surrogate"), e.getMessage());
		IllegalArgumentException sealError = assertThrows(IllegalArgumentException.class,
				() -> circle.seal(bad, "alice", "hello"));
		assertTrue(sealError.getMessage().contains("channel_id"), sealError.getMessage());
		ChatMessage message = new ChatMessage("m", circle.circleId(), "general", "n", 1, "\uDC00", "t", "ab", 1, null);
		assertThrows(IllegalArgumentException.class, () -> circle.legacyMac(message));
		assertFalse(circle.verifyLegacyMac(message));
		assertThrows(IllegalArgumentException.class, () -> circle.gossipToken("n\uD800", "c", "s"));
		assertFalse(circle.verifyGossipToken("n\uD800", "c", "s", "00"));
		assertThrows(IllegalArgumentException.class, () -> crypto.messageId("n\uD800", 1, "00"));
		assertThrows(IllegalArgumentException.class, () -> crypto.circleHint("\uD800"));
		assertThrows(IllegalArgumentException.class, () -> circle.channelKeyHash("c", "k\uDFFF"));
	}

	@Test
	void badBase64AndLengthsAreNamedInTheError() {
		assertEnvelopeError(Envelope.of("AAAA!!!!AAAAAAAA", "AAAA"), "enc.nonce is not valid base64");
		assertEnvelopeError(Envelope.of("AAAAAAAAAAAAAAAA", "@@@@"), "enc.ciphertext is not valid base64");
		assertEnvelopeError(Envelope.of("AAAAAAAAAAAAAAAAAAAA", "AAAA"), "enc.nonce must be 12 bytes, got 15");
		assertEnvelopeError(Envelope.of("AAAAAAAAAAAAAAAA", "AAAA"), "3 bytes, shorter than the 16-byte GCM tag");
	}

	private void assertEnvelopeError(Envelope envelope, String expected) {
		CryptoException e = assertThrows(CryptoException.class, () -> circle.open(header, envelope));
		assertTrue(e.getMessage().contains(expected), e.getMessage());
	}

	@Test
	void legacyMacRoundTripAndEmptyMacNeverVerifies() {
		ChatMessage message = new ChatMessage("m1", circle.circleId(), "general", "n1", 5, "x", "y", "", 1, null);
		String mac = circle.legacyMac(message);
		assertTrue(circle.verifyLegacyMac(message.withMac(mac)));
		assertFalse(circle.verifyLegacyMac(message));
		assertFalse(circle.verifyLegacyMac(message.withMac(mac.toUpperCase())), "exact compare, as the reference");
		assertFalse(circle.verifyLegacyMac(message.withMac(mac.substring(1))));
		assertFalse(circle.verifyLegacyMac(message.withPlaintext("x", "z").withMac(mac)));
	}

	@Test
	void sessionNoncesMustBeHex() {
		CryptoException odd = assertThrows(CryptoException.class, () -> circle.session("abc", "00"));
		assertTrue(odd.getMessage().contains("Client nonce (HELLO.nonce) is not valid hex: odd length 3"),
				odd.getMessage());
		CryptoException junk = assertThrows(CryptoException.class, () -> circle.session("00", "0g"));
		assertTrue(junk.getMessage().contains("Server nonce (CHALLENGE.nonce) is not valid hex"), junk.getMessage());
		assertThrows(CryptoException.class, () -> circle.session(null, "00"));
	}

	@Test
	void bothEndsOfASessionTalkAndEachLineHasItsOwnNonce() throws CryptoException {
		String client = crypto.randomHex(16);
		String server = crypto.randomHex(16);
		SessionCipher initiator = circle.session(client, server);
		SessionCipher responder = crypto.forCircle(CircleSecret.fromHex("00".repeat(31) + "01")).session(client,
				server);
		byte[] frame = "{\"t\":\"MSGS_HAVE\",\"msg_ids\":[]}".getBytes(UTF_8);
		String first = initiator.seal(frame);
		String second = initiator.seal(frame);
		assertNotEquals(first, second);
		assertArrayEquals(frame, responder.open(first));
		assertArrayEquals(frame, responder.open("  " + second + "\r\n"));
		assertArrayEquals(new byte[0], responder.open(initiator.seal(new byte[0])));
		SessionCipher swapped = circle.session(server, client);
		assertThrows(CryptoException.class, () -> swapped.open(first));
	}

	@Test
	void truncatedFramesSayHowShortTheyAre() {
		SessionCipher cipher = sessionOrFail();
		CryptoException e = assertThrows(CryptoException.class, () -> cipher.open("AAAA"));
		assertTrue(e.getMessage().contains("too short: 3 bytes, need at least 28"), e.getMessage());
		assertThrows(CryptoException.class, () -> cipher.open(""));
		assertThrows(CryptoException.class, () -> cipher.open(null));
	}

	private SessionCipher sessionOrFail() {
		try {
			return circle.session("00", "11");
		} catch (CryptoException e) {
			throw new AssertionError(e);
		}
	}

	@Test
	void relayVerificationRejectsMalformedKeysAndMissingSignatures() {
		String key = circle.apiSigningKeyHex();
		byte[] body = "{}".getBytes(UTF_8);
		String signature = circle.signApiRequest("post", "/messages", body, 7, "n");
		assertEquals(signature, circle.signApiRequest("POST", "/messages", body, 7, "n"));
		assertTrue(crypto.verifyApiRequest(key.toUpperCase(), "POST", "/messages", body, 7, "n", signature));
		assertFalse(crypto.verifyApiRequest(key, "POST", "/messages", body, 7, "n", null));
		assertFalse(crypto.verifyApiRequest(key, "POST", "/messages", body, 7, "n", ""));
		assertFalse(crypto.verifyApiRequest(key, "POST", "/messages", body, 7, "n", signature + "00"));
		IllegalArgumentException shortKey = assertThrows(IllegalArgumentException.class,
				() -> crypto.verifyApiRequest("abcd", "POST", "/messages", body, 7, "n", signature));
		assertTrue(shortKey.getMessage().contains("64 hex"), shortKey.getMessage());
		assertThrows(IllegalArgumentException.class,
				() -> crypto.verifyApiRequest("zz".repeat(32), "POST", "/messages", body, 7, "n", signature));
	}

	@Test
	void channelKeyHashCoversCircleChannelAndKey() {
		String expected = crypto.sha256Hex((circle.circleId() + "|dev|hunter2").getBytes(UTF_8));
		assertEquals(expected, circle.channelKeyHash("dev", "hunter2"));
	}

	@Test
	void nothingPrintsKeyMaterial() throws CryptoException {
		String secretHex = "00".repeat(31) + "01";
		for (Object o : List.of(circle, circle.session("00", "11"), crypto)) {
			assertFalse(o.toString().contains(secretHex), o.toString());
			assertFalse(o.toString().contains(circle.apiSigningKeyHex()), o.toString());
		}
	}

	@Test
	void oneCircleServesManyThreadsAtOnce() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(4);
		try {
			List<Future<Boolean>> results = new ArrayList<>();
			for (int t = 0; t < 4; t++) {
				int thread = t;
				results.add(pool.submit(() -> {
					for (int i = 0; i < 300; i++) {
						String text = "thread " + thread + " message " + i;
						Envelope sealed = circle.seal(header, "t" + thread, text);
						if (!circle.open(header, sealed).text().equals(text)) {
							return false;
						}
						ChatMessage m = new ChatMessage("id" + i, circle.circleId(), "general", "n", i, "a", text,
								"", 1, null);
						if (!circle.verifyLegacyMac(m.withMac(circle.legacyMac(m)))) {
							return false;
						}
					}
					return true;
				}));
			}
			for (Future<Boolean> result : results) {
				assertTrue(result.get(60, TimeUnit.SECONDS));
			}
		} finally {
			pool.shutdownNow();
		}
	}

	@Test
	void theDsComponentIsTheSameService() {
		CryptoService component = new CryptoServiceComponent();
		assertEquals(circle.circleId(), component.forCircle(CircleSecret.fromHex("00".repeat(31) + "01")).circleId());
	}
}
