package org.felund.crypto.internal;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

import org.felund.protocol.wire.AsciiJson;

/**
 * UTF-8 encoding for bytes that get hashed, MACed or authenticated. A lone UTF-16 surrogate has no UTF-8 form:
 * the reference raises, WebCrypto substitutes U+FFFD and Java substitutes {@code ?}, so the three would disagree
 * on the bytes. We refuse such strings instead of guessing (protocol §3.6).
 */
public final class StrictUtf8 {
	private StrictUtf8() {
	}

	/** @throws IllegalArgumentException naming {@code field} and the position of the lone surrogate */
	public static void requireWellFormed(String s, String field) {
		int at = AsciiJson.loneSurrogateIndex(Objects.requireNonNull(s, field));
		if (at >= 0) {
			throw loneSurrogate(field, at, s.charAt(at));
		}
	}

	public static byte[] encode(String s, String field) {
		byte[] utf8 = Objects.requireNonNull(s, field).getBytes(StandardCharsets.UTF_8);
		if (!isAscii(s, utf8)) {
			requireWellFormed(s, field);
		}
		return utf8;
	}

	/**
	 * UTF-8 of {@code joined}, which the caller built from {@code parts}; a lone surrogate is reported with the name
	 * of the part that holds it.
	 */
	public static byte[] encodeJoined(String joined, String[] partNames, String... parts) {
		byte[] utf8 = joined.getBytes(StandardCharsets.UTF_8);
		if (!isAscii(joined, utf8)) {
			for (int i = 0; i < parts.length; i++) {
				requireWellFormed(parts[i], partNames[i]);
			}
		}
		return utf8;
	}

	/**
	 * Whether {@code s} is plain ASCII, given its UTF-8. Java encodes a lone surrogate as one {@code ?}, so equal
	 * lengths alone do not prove it; decoding the bytes back and comparing does (intrinsics make both cheap).
	 */
	private static boolean isAscii(String s, byte[] utf8) {
		return utf8.length == s.length() && s.equals(new String(utf8, StandardCharsets.ISO_8859_1));
	}

	static IllegalArgumentException loneSurrogate(String field, int index, char c) {
		return new IllegalArgumentException(String.format(
				"%s contains a lone UTF-16 surrogate U+%04X at index %d; it has no UTF-8 form and cannot be hashed,"
						+ " MACed or encrypted consistently",
				field, (int) c, index));
	}
}
