package org.felund.transport.gossip.internal;

import java.nio.charset.StandardCharsets;

import org.felund.api.crypto.CryptoException;
import org.felund.api.crypto.SessionCipher;
import org.felund.api.model.ProtocolException;
import org.felund.protocol.wire.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns frames into lines and back for one connection: plaintext during the handshake, then AES-GCM lines
 * (§3.7) when encryption was negotiated. With the Felund extensions every encrypted frame also carries a
 * per-direction sequence number ({@code seq}) and the sender's role ({@code dir}) inside the ciphertext, so a
 * replayed, reordered, dropped or reflected frame is refused. Not thread-safe: one per connection, used on the
 * connection's thread.
 */
public final class SessionCodec {
	static final String SEQ = "seq";
	static final String DIR = "dir";

	private SessionCipher cipher;
	private boolean sequenced;
	private String ourDir = "";
	private String theirDir = "";
	private long sendSeq;
	private long receiveSeq;

	/** Switches to encrypted frames after WELCOME. */
	public void encrypt(SessionCipher sessionCipher, boolean withSequence, boolean weAreClient) {
		this.cipher = sessionCipher;
		this.sequenced = withSequence;
		this.ourDir = weAreClient ? "c" : "s";
		this.theirDir = weAreClient ? "s" : "c";
	}

	public boolean encrypted() {
		return cipher != null;
	}

	public boolean sequenced() {
		return sequenced;
	}

	/** Bytes of JSON the next frame may have, keeping room for the sequence fields. */
	public int jsonBudget() {
		return FrameLimits.maxJsonBytes(encrypted()) - (sequenced ? 48 : 0);
	}

	/**
	 * The line for a frame, without {@code \n}.
	 *
	 * @throws IllegalStateException if the frame exceeds what the reference accepts (callers size frames first)
	 */
	public String encode(ObjectNode frame) {
		if (cipher == null) {
			String json = Json.ascii(frame);
			if (!FrameLimits.fits(json.length(), false)) {
				throw new IllegalStateException("Frame too large: " + json.length() + " bytes of plaintext JSON");
			}
			return json;
		}
		if (sequenced) {
			frame.put(SEQ, sendSeq++);
			frame.put(DIR, ourDir);
		}
		byte[] json = Json.ascii(frame).getBytes(StandardCharsets.US_ASCII);
		if (!FrameLimits.fits(json.length, true)) {
			throw new IllegalStateException("Frame too large: " + json.length + " bytes of encrypted JSON");
		}
		return cipher.seal(json);
	}

	/** A plaintext line, for the handshake's ERROR texts that the reference sends unencrypted. */
	public static String plain(ObjectNode frame) {
		return Json.ascii(frame);
	}

	/**
	 * Reads one line (without {@code \n}) into a frame object.
	 *
	 * @throws FrameException with the reference's "Internal error" for undecodable input, or without error text
	 *             when the peer reported an error or broke the sequence
	 */
	public ObjectNode decode(String line) throws FrameException {
		if (cipher == null) {
			return parseObject(line.getBytes(StandardCharsets.UTF_8));
		}
		String trimmed = line.strip();
		if (trimmed.startsWith("{")) {
			// The reference answers failures with a plaintext ERROR even inside an encrypted session (§10 #2).
			ObjectNode frame;
			try {
				frame = parseObject(trimmed.getBytes(StandardCharsets.UTF_8));
			} catch (FrameException e) {
				throw new FrameException(null, "Plaintext garbage inside an encrypted session");
			}
			if (Frames.ERROR.equals(Frames.type(frame))) {
				throw new FrameException(null, "Peer reported error: " + Frames.text(frame, "err"));
			}
			throw new FrameException(null, "Plaintext frame inside an encrypted session refused");
		}
		byte[] json;
		try {
			json = cipher.open(trimmed);
		} catch (CryptoException | RuntimeException e) {
			throw new FrameException(Frames.ERR_INTERNAL, "Undecryptable frame: " + e.getMessage(), e);
		}
		ObjectNode frame = parseObject(json);
		if (sequenced) {
			JsonNode seq = frame.remove(SEQ);
			JsonNode dir = frame.remove(DIR);
			if (dir == null || !theirDir.equals(dir.asText())) {
				throw new FrameException(null, "Reflected or unmarked frame refused");
			}
			if (seq == null || !seq.isIntegralNumber() || seq.longValue() != receiveSeq) {
				throw new FrameException(null, "Frame out of sequence (expected " + receiveSeq + ", got " + seq + ")");
			}
			receiveSeq++;
		}
		return frame;
	}

	private static ObjectNode parseObject(byte[] json) throws FrameException {
		JsonNode node;
		try {
			node = Json.parse(json);
		} catch (ProtocolException e) {
			throw new FrameException(Frames.ERR_INTERNAL, e.getMessage(), e);
		}
		if (!node.isObject()) {
			throw new FrameException(Frames.ERR_INTERNAL, "A frame must be a JSON object, got " + Json.typeName(node));
		}
		return (ObjectNode) node;
	}
}
