package org.felund.transport.webrtc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.felund.api.crypto.CircleCrypto;
import org.felund.api.crypto.CircleSecret;
import org.felund.api.model.ChatMessage;
import org.felund.api.model.MessageHeader;
import org.felund.crypto.JcaCryptoService;
import org.felund.protocol.wire.Json;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The extended channel's sealed frames and the reference frames' limits, without any network. */
class SealedFramesTest {
	private static final CircleCrypto CRYPTO = new JcaCryptoService()
			.forCircle(CircleSecret.fromHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));
	private static final String OFFERER_NONCE = "aa".repeat(16);
	private static final String ANSWERER_NONCE = "bb".repeat(16);

	private static SealedFrames side(boolean offerer) throws Exception {
		return new SealedFrames(CRYPTO.session(OFFERER_NONCE, ANSWERER_NONCE), offerer);
	}

	private static ObjectNode frame(String type) {
		ObjectNode o = Json.object();
		o.put("t", type);
		return o;
	}

	@Test
	void framesTravelInOrderAndCarryNoPlaintext() throws Exception {
		SealedFrames offerer = side(true);
		SealedFrames answerer = side(false);
		for (int i = 0; i < 3; i++) {
			String line = offerer.seal(frame("X_PING"));
			assertTrue(!line.contains("X_PING") && !line.startsWith("{"), line);
			assertEquals("X_PING", answerer.open(line).get("t").asText());
		}
		assertEquals("X_PONG", offerer.open(answerer.seal(frame("X_PONG"))).get("t").asText());
	}

	@Test
	void aReplayedDroppedReflectedPlainOrForeignFrameIsRefused() throws Exception {
		SealedFrames offerer = side(true);
		SealedFrames answerer = side(false);
		String first = offerer.seal(frame("X_RECON"));
		String second = offerer.seal(frame("X_REQ"));
		String third = offerer.seal(frame("X_MSGS"));
		answerer.open(first);
		assertTrue(assertThrows(ChannelException.class, () -> answerer.open(first)).getMessage()
				.contains("out of sequence"), "replay");
		assertTrue(assertThrows(ChannelException.class, () -> side(false).open(second)).getMessage()
				.contains("out of sequence"), "a dropped frame leaves a gap");
		SealedFrames other = side(false);
		other.open(first);
		other.open(second);
		other.open(third);
		String own = answerer.seal(frame("X_PING"));
		assertTrue(assertThrows(ChannelException.class, () -> side(false).open(own)).getMessage()
				.contains("reflected"), "our own frame sent back to us");
		assertTrue(assertThrows(ChannelException.class, () -> answerer.open("{\"t\":\"X_MSGS\"}")).getMessage()
				.contains("plain frame"));
		SealedFrames stranger = new SealedFrames(CRYPTO.session(OFFERER_NONCE, "cc".repeat(16)), true);
		assertTrue(assertThrows(ChannelException.class, () -> side(false).open(stranger.seal(frame("X_PING"))))
				.getMessage().contains("undecryptable"), "another session's key");
	}

	@Test
	void historyIsSplitIntoFramesWithinTheBudgetAndEmptyHistoryIsOneEmptyFrame() {
		List<ChatMessage> messages = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			String id = String.format("%032x", i);
			MessageHeader h = new MessageHeader(id, CRYPTO.circleId(), ChatMessage.GENERAL, "a".repeat(24), 1_700_000_000L);
			messages.add(new ChatMessage(id, CRYPTO.circleId(), ChatMessage.GENERAL, "a".repeat(24), 1_700_000_000L, "",
					"", "", 2, CRYPTO.seal(h, "alice", "x".repeat(2000))));
		}
		List<byte[]> frames = ChannelFrames.msgsSend(messages);
		assertTrue(frames.size() > 1, "100 messages of 2 kB do not fit one 60 kB frame");
		int total = 0;
		for (byte[] f : frames) {
			assertTrue(f.length <= ChannelFrames.FRAME_BUDGET, "frame of " + f.length + " bytes");
			total += Json.parse(f).get("messages").size();
		}
		assertEquals(100, total);
		List<byte[]> none = ChannelFrames.msgsSend(List.of());
		assertEquals(1, none.size());
		assertEquals("{\"type\":\"MSGS_SEND\",\"messages\":[]}", new String(none.get(0)));
	}

	@Test
	void theFingerprintBindingFailsWhenTheRelaySwappedADescription() {
		String ours = "SHA-256 AA:AA";
		String theirs = "SHA-256 BB:BB";
		String intruder = "SHA-256 EE:EE";
		assertTrue(ExtendedLink.bindingHolds(Json.parse("[\"SHA-256 BB:BB\",\"SHA-256 AA:AA\"]"), ours, theirs));
		// In the middle: the peer negotiated with the intruder's certificate, and so did we.
		assertTrue(!ExtendedLink.bindingHolds(Json.parse("[\"SHA-256 BB:BB\",\"SHA-256 EE:EE\"]"), ours, intruder));
		assertTrue(!ExtendedLink.bindingHolds(Json.parse("[\"SHA-256 BB:BB\",\"SHA-256 EE:EE\"]"), ours, theirs));
		assertTrue(!ExtendedLink.bindingHolds(Json.parse("[\"SHA-256 BB:BB\"]"), ours, theirs));
		assertTrue(!ExtendedLink.bindingHolds(Json.parse("[\"\",\"\"]"), "", ""));
		assertTrue(!ExtendedLink.bindingHolds(null, ours, theirs));
	}

	@Test
	void aHelloNonceIsEvenLowerCaseHexOfSensibleLength() {
		assertTrue(ChannelFrames.isNonce("0123456789abcdef0123456789abcdef"));
		for (String bad : new String[] { null, "", "0123456789ABCDEF0123456789ABCDEF", "abc", "zz".repeat(16),
				"a".repeat(33), "ab".repeat(65) }) {
			assertTrue(!ChannelFrames.isNonce(bad), String.valueOf(bad));
		}
	}
}
