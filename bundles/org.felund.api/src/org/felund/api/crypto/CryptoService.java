package org.felund.api.crypto;

/**
 * Entry point of the crypto bundle, registered as an OSGi service.
 */
public interface CryptoService {
	/** Derives all keys of a circle once; the result may be cached by callers. */
	CircleCrypto forCircle(CircleSecret secret);

	/** 16 hex: the relay circle hint for a circle id (no secret needed). */
	String circleHint(String circleId);

	/** A fresh random secret from a strong source. */
	CircleSecret newSecret();

	/** {@code n} random bytes as lower-case hex (nonces, ids). */
	String randomHex(int n);

	/** First 32 hex of SHA-256 of {@code node_id|created_ts|salt}. */
	String messageId(String nodeId, long createdTs, String saltHex);

	/** A new 24-hex node id (first 24 hex of SHA-256 of 32 random bytes). */
	String newNodeId();

	/**
	 * Verifies a relay request signature with a stored signing key (the relay knows keys, not secrets).
	 *
	 * @param signingKeyHex the 64-hex key bound by {@code POST /v1/register}
	 */
	boolean verifyApiRequest(String signingKeyHex, String method, String path, byte[] body, long ts, String nonce,
			String signature);

	/** Lower-case hex SHA-256. */
	String sha256Hex(byte[] data);
}
