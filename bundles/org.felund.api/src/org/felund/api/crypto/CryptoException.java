package org.felund.api.crypto;

/**
 * A cryptographic check failed or its input was malformed: bad GCM tag, wrong lengths, bad base64 or hex,
 * a plaintext that is not the expected JSON. Callers drop the input; nothing is partially applied.
 */
public class CryptoException extends Exception {
	private static final long serialVersionUID = 1L;

	public CryptoException(String message) {
		super(message);
	}

	public CryptoException(String message, Throwable cause) {
		super(message, cause);
	}
}
