package org.felund.api.crypto;

/**
 * AES-256-GCM framing for one gossip TCP session (§3.7): a line is
 * {@code base64(nonce12 || ciphertext || tag)} without the newline. Instances are not thread-safe.
 */
public interface SessionCipher {
	/** Encrypts one compact JSON frame and returns the base64 line (without {@code \n}). */
	String seal(byte[] frameJson);

	/** Decrypts a line (surrounding whitespace ignored) and returns the JSON bytes. */
	byte[] open(String line) throws CryptoException;
}
