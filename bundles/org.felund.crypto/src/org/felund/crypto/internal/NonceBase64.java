package org.felund.crypto.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Standard base64 of a 12-byte GCM nonce, which is always exactly 16 characters without padding. Every envelope
 * writes or reads one; doing it in place saves the general codec's length arithmetic and intermediate arrays (a
 * few tens of nanoseconds, a noticeable part of sealing a short message). Anything that is not 16 alphabet
 * characters goes to {@link Base64#getDecoder()}, so the accepted inputs and the errors are the JDK's.
 */
final class NonceBase64 {
	private static final byte[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
			.getBytes(StandardCharsets.US_ASCII);
	private static final int[] VALUES = new int[128];

	static {
		Arrays.fill(VALUES, -1);
		for (int i = 0; i < ALPHABET.length; i++) {
			VALUES[ALPHABET[i]] = i;
		}
	}

	private NonceBase64() {
	}

	static String encode(byte[] nonce) {
		if (nonce.length != Primitives.GCM_NONCE_BYTES) {
			return Base64.getEncoder().encodeToString(nonce);
		}
		byte[] out = new byte[16];
		for (int in = 0, at = 0; in < 12; in += 3, at += 4) {
			int bits = (nonce[in] & 0xff) << 16 | (nonce[in + 1] & 0xff) << 8 | (nonce[in + 2] & 0xff);
			out[at] = ALPHABET[bits >>> 18];
			out[at + 1] = ALPHABET[(bits >>> 12) & 0x3f];
			out[at + 2] = ALPHABET[(bits >>> 6) & 0x3f];
			out[at + 3] = ALPHABET[bits & 0x3f];
		}
		return new String(out, StandardCharsets.ISO_8859_1);
	}

	/** @throws IllegalArgumentException as {@link Base64.Decoder#decode(String)} does */
	static byte[] decode(String text) {
		if (text.length() != 16) {
			return Base64.getDecoder().decode(text);
		}
		byte[] out = new byte[12];
		for (int at = 0, in = 0; at < 16; at += 4, in += 3) {
			int bits = value(text.charAt(at)) << 18 | value(text.charAt(at + 1)) << 12
					| value(text.charAt(at + 2)) << 6 | value(text.charAt(at + 3));
			if (bits < 0) {
				return Base64.getDecoder().decode(text); // not 16 alphabet characters: the JDK's verdict
			}
			out[in] = (byte) (bits >>> 16);
			out[in + 1] = (byte) (bits >>> 8);
			out[in + 2] = (byte) bits;
		}
		return out;
	}

	/** The 6-bit value, or a negative number that survives the shifts and ORs above. */
	private static int value(char c) {
		return c < 128 ? VALUES[c] : -1;
	}
}
