package org.felund.transport.webrtc.internal;

import java.nio.charset.StandardCharsets;

import org.felund.api.crypto.CryptoException;
import org.felund.api.crypto.SessionCipher;
import org.felund.api.model.ProtocolException;
import org.felund.protocol.wire.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The frames of an extended channel: each one JSON object, sealed with the session key of the two HELLO nonces (the
 * gossip session cipher, protocol §3.7) and sent as the base64 text. Inside the ciphertext every frame carries a
 * per-direction sequence number ({@code seq}) and the sender's role ({@code dir}: {@code o} offerer, {@code a}
 * answerer), so a replayed, dropped, reordered or reflected frame closes the channel. Not thread-safe.
 */
final class SealedFrames {
	private final SessionCipher cipher;
	private final String ourDir;
	private final String theirDir;
	private long sendSeq;
	private long receiveSeq;

	SealedFrames(SessionCipher cipher, boolean offerer) {
		this.cipher = cipher;
		this.ourDir = offerer ? "o" : "a";
		this.theirDir = offerer ? "a" : "o";
	}

	String seal(ObjectNode frame) {
		frame.put("seq", sendSeq++);
		frame.put("dir", ourDir);
		return cipher.seal(Json.compact(frame).getBytes(StandardCharsets.UTF_8));
	}

	ObjectNode open(String text) throws ChannelException {
		if (text.startsWith("{")) {
			throw new ChannelException("plain frame on a sealed channel");
		}
		byte[] json;
		try {
			json = cipher.open(text);
		} catch (CryptoException | RuntimeException e) {
			throw new ChannelException("undecryptable frame");
		}
		JsonNode node;
		try {
			node = Json.parse(json);
		} catch (ProtocolException e) {
			throw new ChannelException("malformed sealed frame: " + e.getMessage());
		}
		if (!node.isObject()) {
			throw new ChannelException("a sealed frame must be a JSON object");
		}
		ObjectNode frame = (ObjectNode) node;
		JsonNode seq = frame.remove("seq");
		JsonNode dir = frame.remove("dir");
		if (dir == null || !theirDir.equals(dir.asText())) {
			throw new ChannelException("reflected or unmarked sealed frame");
		}
		if (seq == null || !seq.isIntegralNumber() || seq.longValue() != receiveSeq) {
			throw new ChannelException("sealed frame out of sequence (expected " + receiveSeq + ", got " + seq + ")");
		}
		receiveSeq++;
		return frame;
	}
}
