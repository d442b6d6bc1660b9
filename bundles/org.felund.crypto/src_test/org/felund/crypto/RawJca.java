package org.felund.crypto;

import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Independent textbook computations with plain JCA, used to check the vectors' intermediate values without going
 * through the code under test.
 */
final class RawJca {
	private RawJca() {
	}

	static byte[] hmac(byte[] key, byte[] data) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key, "HmacSHA256"));
			return mac.doFinal(data);
		} catch (GeneralSecurityException e) {
			throw new AssertionError(e);
		}
	}

	static String hmacHex(byte[] key, byte[] data) {
		return HexFormat.of().formatHex(hmac(key, data));
	}

	/** RFC 5869 for L = 32: one extract and one expand block. */
	static byte[] hkdf32(byte[] ikm, byte[] salt, String info) {
		byte[] prk = hmac(salt == null ? new byte[32] : salt, ikm);
		byte[] infoBytes = info.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
		byte[] block = new byte[infoBytes.length + 1];
		System.arraycopy(infoBytes, 0, block, 0, infoBytes.length);
		block[infoBytes.length] = 1;
		return hmac(prk, block);
	}

	static byte[] gcmDecrypt(byte[] key, byte[] nonce, byte[] aad, byte[] ciphertextWithTag)
			throws GeneralSecurityException {
		Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
		cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
		if (aad != null) {
			cipher.updateAAD(aad);
		}
		return cipher.doFinal(ciphertextWithTag);
	}
}
