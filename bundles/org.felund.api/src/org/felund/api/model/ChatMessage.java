package org.felund.api.model;

import java.util.Objects;

/**
 * A chat or control message as it travels on every transport (the reference's ten wire keys).
 * <p>
 * {@code displayName} and {@code text} are the plaintext: filled after a successful decrypt or MAC check,
 * and left empty ({@code ""}) in copies that are only ciphertext (relay and anchor envelopes, rows at rest).
 * {@code mac} is {@code ""} when absent; {@code enc} is {@code null} for schema 1.
 */
public record ChatMessage(String msgId, String circleId, String channelId, String authorNodeId, long createdTs,
		String displayName, String text, String mac, int schemaVersion, Envelope enc) {

	public static final String GENERAL = "general";
	public static final String CONTROL = "__control";

	public ChatMessage {
		Objects.requireNonNull(msgId, "msgId");
		Objects.requireNonNull(circleId, "circleId");
		Objects.requireNonNull(authorNodeId, "authorNodeId");
		channelId = channelId == null ? GENERAL : channelId;
		displayName = displayName == null ? "" : displayName;
		text = text == null ? "" : text;
		mac = mac == null ? "" : mac;
	}

	public MessageHeader header() {
		return new MessageHeader(msgId, circleId, channelId, authorNodeId, createdTs);
	}

	public boolean isControl() {
		return CONTROL.equals(channelId);
	}

	public ChatMessage withPlaintext(String newDisplayName, String newText) {
		return new ChatMessage(msgId, circleId, channelId, authorNodeId, createdTs, newDisplayName, newText, mac,
				schemaVersion, enc);
	}

	public ChatMessage withEnvelope(Envelope newEnc) {
		return new ChatMessage(msgId, circleId, channelId, authorNodeId, createdTs, displayName, text, mac,
				newEnc == null ? 1 : 2, newEnc);
	}

	public ChatMessage withMac(String newMac) {
		return new ChatMessage(msgId, circleId, channelId, authorNodeId, createdTs, displayName, text, newMac,
				schemaVersion, enc);
	}

	/** The same message without its plaintext: what relays, anchors and the store keep. */
	public ChatMessage ciphertextOnly() {
		return new ChatMessage(msgId, circleId, channelId, authorNodeId, createdTs, "", "", mac, schemaVersion, enc);
	}
}
