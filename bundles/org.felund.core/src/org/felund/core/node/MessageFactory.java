package org.felund.core.node;

import org.felund.api.crypto.CircleCrypto;
import org.felund.api.crypto.CryptoService;
import org.felund.api.model.ChatMessage;
import org.felund.api.model.Envelope;

/**
 * Builds outgoing messages the way the reference's interactive client does: schema 2 with BOTH the legacy MAC
 * and the {@code enc} envelope, and the plaintext kept in the clear fields (Python peers read either).
 */
public final class MessageFactory {
	/** Bytes of randomness in a message id's salt (the reference uses 8). */
	public static final int SALT_BYTES = 8;

	private MessageFactory() {
	}

	/** A new message with a random salt and a fresh nonce. */
	public static ChatMessage create(CryptoService crypto, CircleCrypto circle, String channelId, String authorNodeId,
			String displayName, String text, long createdTs) {
		return create(crypto, circle, channelId, authorNodeId, displayName, text, createdTs,
				crypto.randomHex(SALT_BYTES), null);
	}

	/**
	 * A new message with a caller-chosen id salt and nonce (vectors and tests).
	 *
	 * @param nonce 12 bytes, or {@code null} for a fresh random nonce
	 */
	public static ChatMessage create(CryptoService crypto, CircleCrypto circle, String channelId, String authorNodeId,
			String displayName, String text, long createdTs, String saltHex, byte[] nonce) {
		String msgId = crypto.messageId(authorNodeId, createdTs, saltHex);
		ChatMessage plain = new ChatMessage(msgId, circle.circleId(), channelId, authorNodeId, createdTs, displayName,
				text, "", 2, null);
		String mac = circle.legacyMac(plain);
		Envelope enc = nonce == null ? circle.seal(plain.header(), displayName, text)
				: circle.seal(plain.header(), displayName, text, nonce);
		return plain.withMac(mac).withEnvelope(enc);
	}
}
