package org.felund.crypto.internal;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

import org.felund.api.crypto.CryptoException;
import org.felund.api.crypto.SessionCipher;

/**
 * The encrypted framing of one gossip TCP session (protocol §3.7): a line is
 * {@code base64(nonce12 ‖ AES-256-GCM(K_sess, nonce, frame, no AAD))}. Not thread-safe: a session is read by one
 * thread and written by one thread at a time, and each direction may use its own instance with the same key.
 */
public final class GcmSessionCipher implements SessionCipher {
	/** A frame line holds at least the nonce and the tag. */
	public static final int MIN_FRAME_BYTES = Primitives.GCM_NONCE_BYTES + Primitives.GCM_TAG_BYTES;

	private final SecretKeySpec key;
	private final SecureRandom random;
	private final Cipher cipher = Primitives.newGcm();

	public GcmSessionCipher(byte[] sessionKey, SecureRandom random) {
		if (sessionKey.length != 32) {
			throw new IllegalArgumentException("A session key is 32 bytes, got " + sessionKey.length);
		}
		this.key = new SecretKeySpec(sessionKey, Primitives.AES);
		this.random = random;
	}

	@Override
	public String seal(byte[] frameJson) {
		byte[] nonce = new byte[Primitives.GCM_NONCE_BYTES];
		random.nextBytes(nonce);
		return seal(frameJson, nonce);
	}

	/** {@link #seal(byte[])} with a caller-chosen nonce: for test vectors only, never on the wire. */
	public String seal(byte[] frameJson, byte[] nonce) {
		if (nonce.length != Primitives.GCM_NONCE_BYTES) {
			throw new IllegalArgumentException("A frame nonce is 12 bytes, got " + nonce.length);
		}
		byte[] blob = new byte[MIN_FRAME_BYTES + frameJson.length];
		System.arraycopy(nonce, 0, blob, 0, nonce.length);
		Primitives.gcmEncryptInto(cipher, key, nonce, null, frameJson, blob, nonce.length);
		return Base64.getEncoder().encodeToString(blob);
	}

	@Override
	public byte[] open(String line) throws CryptoException {
		if (line == null) {
			throw new CryptoException("Encrypted frame is missing");
		}
		byte[] blob;
		try {
			blob = Base64.getDecoder().decode(line.strip());
		} catch (IllegalArgumentException e) {
			throw new CryptoException("Encrypted frame is not valid base64 (a plaintext line inside an encrypted"
					+ " session?): " + e.getMessage(), e);
		}
		if (blob.length < MIN_FRAME_BYTES) {
			throw new CryptoException("Encrypted frame too short: " + blob.length + " bytes, need at least "
					+ MIN_FRAME_BYTES + " (12-byte nonce and 16-byte tag)");
		}
		try {
			return Primitives.gcmDecrypt(cipher, key, blob, 0, null, blob, Primitives.GCM_NONCE_BYTES,
					blob.length - Primitives.GCM_NONCE_BYTES);
		} catch (AEADBadTagException e) {
			throw new CryptoException("Encrypted frame failed authentication: wrong session key or altered data", e);
		} catch (GeneralSecurityException e) {
			throw new CryptoException("Encrypted frame could not be decrypted: " + e.getMessage(), e);
		}
	}

	@Override
	public String toString() {
		return "GcmSessionCipher[key redacted]";
	}
}
