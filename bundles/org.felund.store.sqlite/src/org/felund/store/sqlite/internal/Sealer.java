package org.felund.store.sqlite.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM sealing of small values at rest (JCA). A sealed value is {@code 0x01 ‖ nonce(12) ‖ ciphertext ‖
 * tag(16)}, the leading byte naming this format. The caller's AAD binds a value to its row, so a sealed value
 * copied into another row does not open.
 */
public final class Sealer {
	private static final byte FORMAT = 1;
	private static final int NONCE = 12;
	private static final int TAG_BITS = 128;
	private static final int OVERHEAD = 1 + NONCE + TAG_BITS / 8;
	private static final SecureRandom RANDOM = new SecureRandom();

	private final SecretKeySpec key;

	public Sealer(byte[] key32) {
		if (key32.length != 32) {
			throw new IllegalArgumentException("An AES-256 key is 32 bytes, got " + key32.length);
		}
		this.key = new SecretKeySpec(key32, "AES");
	}

	/** A sub-key for one purpose: HKDF-Expand(PRK = master, info, L = 32), a single HMAC-SHA256 block. */
	public static byte[] subkey(byte[] master, String info) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(master, "HmacSHA256"));
			mac.update(info.getBytes(StandardCharsets.UTF_8));
			mac.update((byte) 1);
			return mac.doFinal();
		} catch (NoSuchAlgorithmException | InvalidKeyException e) {
			throw new IllegalStateException("HMAC-SHA256 is missing from this Java runtime", e);
		}
	}

	/**
	 * An unambiguous AAD from several strings: each is written as its UTF-8 length, {@code ':'}, its bytes, so
	 * ({@code "a|b"}, {@code "c"}) and ({@code "a"}, {@code "b|c"}) differ.
	 */
	public static byte[] aad(String... parts) {
		StringBuilder sb = new StringBuilder();
		for (String p : parts) {
			byte[] b = p.getBytes(StandardCharsets.UTF_8);
			sb.append(b.length).append(':').append(p);
		}
		return sb.toString().getBytes(StandardCharsets.UTF_8);
	}

	public byte[] seal(byte[] plaintext, byte[] aad) {
		try {
			byte[] nonce = new byte[NONCE];
			RANDOM.nextBytes(nonce);
			Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
			c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
			c.updateAAD(aad);
			byte[] out = new byte[1 + NONCE + c.getOutputSize(plaintext.length)];
			out[0] = FORMAT;
			System.arraycopy(nonce, 0, out, 1, NONCE);
			c.doFinal(plaintext, 0, plaintext.length, out, 1 + NONCE);
			return out;
		} catch (GeneralSecurityException e) {
			throw new IllegalStateException("AES-256-GCM is not available in this Java runtime", e);
		}
	}

	public byte[] sealString(String plaintext, byte[] aad) {
		return seal(plaintext.getBytes(StandardCharsets.UTF_8), aad);
	}

	/**
	 * Opens a sealed value.
	 *
	 * @throws SealedValueException when the value is truncated, of an unknown format, or fails authentication
	 *             (damaged, moved from another row, or sealed with another key)
	 */
	public byte[] open(byte[] sealed, byte[] aad) throws SealedValueException {
		if (sealed == null || sealed.length < OVERHEAD) {
			throw new SealedValueException("it is truncated (" + (sealed == null ? 0 : sealed.length) + " bytes)");
		}
		if (sealed[0] != FORMAT) {
			throw new SealedValueException("it has unknown format " + sealed[0]);
		}
		try {
			Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
			c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE));
			c.updateAAD(aad);
			return c.doFinal(sealed, 1 + NONCE, sealed.length - 1 - NONCE);
		} catch (AEADBadTagException e) {
			throw new SealedValueException("it fails authentication (damaged, moved from another row, or sealed"
					+ " with another key)");
		} catch (GeneralSecurityException e) {
			throw new IllegalStateException("AES-256-GCM is not available in this Java runtime", e);
		}
	}

	public String openString(byte[] sealed, byte[] aad) throws SealedValueException {
		return new String(open(sealed, aad), StandardCharsets.UTF_8);
	}

	/** Overwrites a key array the caller no longer needs. */
	public static void wipe(byte[] key) {
		if (key != null) {
			Arrays.fill(key, (byte) 0);
		}
	}

	/** A sealed value that cannot be opened; the message says why, to be completed with the row's name. */
	public static final class SealedValueException extends Exception {
		private static final long serialVersionUID = 1L;

		public SealedValueException(String reason) {
			super(reason);
		}
	}
}
