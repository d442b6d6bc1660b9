package org.felund.crypto.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * The primitives of protocol §0.1. SHA-256, HMAC and AES-GCM go through JCA (the JDK's intrinsics use AES-NI,
 * CLMUL and SHA extensions); only HKDF comes from Bouncy Castle, because Java 21 has no HKDF. JCA objects are
 * expensive to look up, so they are reused: digest and unkeyed HMAC per thread here, AES-GCM ciphers by their
 * callers (the envelope workspace per thread, a session cipher per session).
 */
public final class Primitives {
	public static final int GCM_NONCE_BYTES = 12;
	public static final int GCM_TAG_BYTES = 16;
	public static final String AES = "AES";
	public static final String HMAC_SHA256 = "HmacSHA256";

	private static final String AES_GCM = "AES/GCM/NoPadding";
	private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> newInstance("SHA-256"));
	private static final ThreadLocal<Mac> UNKEYED_HMAC = ThreadLocal.withInitial(Primitives::newHmac);

	private Primitives() {
	}

	public static byte[] sha256(byte[] data) {
		MessageDigest digest = SHA256.get();
		// digest() resets, so a failure half-way cannot leave state behind for the next caller on this thread
		return digest.digest(data);
	}

	public static String sha256Hex(byte[] data) {
		return Hex.encode(sha256(data));
	}

	/** HKDF-SHA256 (RFC 5869); a {@code null} salt means HashLen zero bytes. */
	public static byte[] hkdfSha256(byte[] ikm, byte[] salt, String info, int length) {
		HKDFBytesGenerator generator = new HKDFBytesGenerator(new SHA256Digest());
		generator.init(new HKDFParameters(ikm, salt, info.getBytes(StandardCharsets.US_ASCII)));
		byte[] out = new byte[length];
		generator.generateBytes(out, 0, length);
		return out;
	}

	/** One-off HMAC-SHA256 with a key that is not worth keeping a {@link KeyedHmac} for. */
	public static byte[] hmacSha256(byte[] key, byte[] data) {
		Mac mac = UNKEYED_HMAC.get();
		try {
			mac.init(new SecretKeySpec(key, HMAC_SHA256));
		} catch (GeneralSecurityException e) {
			throw new IllegalStateException("HmacSHA256 rejected a " + key.length + "-byte key", e);
		}
		return mac.doFinal(data);
	}

	/**
	 * Encrypts into {@code out} at {@code offset} with the given cipher. SunJCE refuses to encrypt twice with the
	 * same key and nonce on one {@link Cipher} object; that only happens with caller-pinned nonces (vectors,
	 * tests), and then a fresh object does the work.
	 */
	public static byte[] gcmEncryptInto(Cipher cipher, SecretKeySpec key, byte[] nonce, byte[] aad,
			byte[] plaintext, byte[] out, int offset) {
		try {
			cipher = initEncrypt(cipher, key, nonce);
			if (aad != null) {
				cipher.updateAAD(aad);
			}
			cipher.doFinal(plaintext, 0, plaintext.length, out, offset);
			return out;
		} catch (GeneralSecurityException e) {
			throw new IllegalStateException("AES-GCM encryption failed: " + e.getMessage(), e);
		}
	}

	/**
	 * AES-256-GCM of {@code plaintext[0, plaintextLength)} with {@code aad} on the given cipher;
	 * returns ciphertext followed by the tag. A caller-pinned nonce used twice gets a fresh cipher, as in
	 * {@link #gcmEncryptInto}.
	 */
	public static byte[] gcmEncrypt(Cipher cipher, SecretKeySpec key, byte[] nonce, byte[] aad, byte[] plaintext,
			int plaintextLength) {
		try {
			cipher = initEncrypt(cipher, key, nonce);
			cipher.updateAAD(aad);
			return cipher.doFinal(plaintext, 0, plaintextLength);
		} catch (GeneralSecurityException e) {
			throw new IllegalStateException("AES-GCM encryption failed: " + e.getMessage(), e);
		}
	}

	/** {@code cipher} ready to encrypt, or a fresh one when SunJCE refuses a key and nonce it has just used. */
	private static Cipher initEncrypt(Cipher cipher, SecretKeySpec key, byte[] nonce) throws GeneralSecurityException {
		GCMParameterSpec spec = new GCMParameterSpec(GCM_TAG_BYTES * 8, nonce);
		try {
			cipher.init(Cipher.ENCRYPT_MODE, key, spec);
			return cipher;
		} catch (InvalidAlgorithmParameterException reusedNonce) {
			Cipher fresh = newGcm();
			fresh.init(Cipher.ENCRYPT_MODE, key, spec);
			return fresh;
		}
	}

	/**
	 * AES-256-GCM decryption of {@code input} (ciphertext ‖ tag) into {@code out} at 0; returns the plaintext
	 * length.
	 *
	 * @throws javax.crypto.AEADBadTagException when the tag does not verify
	 */
	public static int gcmDecryptInto(Cipher cipher, SecretKeySpec key, byte[] nonce, byte[] aad, byte[] input,
			byte[] out) throws GeneralSecurityException {
		cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(GCM_TAG_BYTES * 8, nonce));
		cipher.updateAAD(aad);
		return cipher.doFinal(input, 0, input.length, out, 0);
	}

	/**
	 * AES-256-GCM decryption of {@code ciphertext ‖ tag} on the given cipher.
	 *
	 * @throws javax.crypto.AEADBadTagException when the tag does not verify (wrong key, nonce, AAD or data)
	 */
	public static byte[] gcmDecrypt(Cipher cipher, SecretKeySpec key, byte[] nonce, int nonceOffset, byte[] aad,
			byte[] input, int inputOffset, int inputLength) throws GeneralSecurityException {
		cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(GCM_TAG_BYTES * 8, nonce, nonceOffset,
				GCM_NONCE_BYTES));
		if (aad != null) {
			cipher.updateAAD(aad);
		}
		return cipher.doFinal(input, inputOffset, inputLength);
	}

	/**
	 * Constant-time comparison of a value we computed (lower-case hex) with one we were sent. A presented value
	 * of another length or with non-ASCII characters simply does not match.
	 */
	public static boolean hexEquals(String expected, String presented) {
		if (presented == null) {
			return false;
		}
		return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
				presented.getBytes(StandardCharsets.UTF_8));
	}

	public static Cipher newGcm() {
		try {
			return Cipher.getInstance(AES_GCM);
		} catch (NoSuchAlgorithmException | NoSuchPaddingException e) {
			throw new IllegalStateException("This JRE has no " + AES_GCM, e);
		}
	}

	public static Mac newHmac() {
		try {
			return Mac.getInstance(HMAC_SHA256);
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("This JRE has no " + HMAC_SHA256, e);
		}
	}

	private static MessageDigest newInstance(String algorithm) {
		try {
			return MessageDigest.getInstance(algorithm);
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("This JRE has no " + algorithm, e);
		}
	}
}
