package org.felund.api.crypto;

import org.felund.api.model.ChatMessage;
import org.felund.api.model.Envelope;
import org.felund.api.model.MessageHeader;

/**
 * Every operation keyed by one circle's secret, with the derived keys computed once. Thread-safe.
 */
public interface CircleCrypto {
	/** 24 hex: SHA-256 of the secret bytes. */
	String circleId();

	/** 16 hex: SHA-256 of the circle id text. */
	String circleHint();

	/** Encrypts {@code {"display_name","text"}} with a fresh nonce under the message key. */
	Envelope seal(MessageHeader header, String displayName, String text);

	/** Same, with a caller-chosen 12-byte nonce (tests and vectors only). */
	Envelope seal(MessageHeader header, String displayName, String text, byte[] nonce);

	/** Decrypts an envelope against the header; any tampering, bad base64 or bad JSON throws. */
	DecryptedBody open(MessageHeader header, Envelope envelope) throws CryptoException;

	/** The legacy schema-1 MAC over the seven {@code |}-joined fields, lower-case hex. */
	String legacyMac(ChatMessage message);

	/** Constant-time check of {@code message.mac()}; an empty MAC never verifies. */
	boolean verifyLegacyMac(ChatMessage message);

	/** The HELLO_AUTH token for {@code node_id|circle_id|server_nonce}. */
	String gossipToken(String nodeId, String circleId, String serverNonce);

	boolean verifyGossipToken(String nodeId, String circleId, String serverNonce, String token);

	/** The per-connection frame cipher; nonces are the HELLO and CHALLENGE hex strings. */
	SessionCipher session(String clientNonceHex, String serverNonceHex) throws CryptoException;

	/** HMAC-SHA256(secret, "api-v1") as 64 hex: the relay {@code signing_key}. */
	String apiSigningKeyHex();

	/** The X-Felund-Signature for a relay request we send. */
	String signApiRequest(String method, String path, byte[] body, long ts, String nonce);

	/** The DataChannel AUTH value for our nonce and the peer's. */
	String dataChannelAuth(String myNonce, String peerNonce);

	/** Constant-time check of the peer's DataChannel AUTH value. */
	boolean verifyDataChannelAuth(String myNonce, String peerNonce, String peerAuth);

	/** SHA-256 of {@code circle_id|channel_id|key} as hex: the channel key hash of access mode {@code key}. */
	String channelKeyHash(String channelId, String channelKey);
}
