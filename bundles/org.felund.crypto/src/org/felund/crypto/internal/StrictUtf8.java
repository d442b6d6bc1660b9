package org.felund.crypto.internal;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

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
		Objects.requireNonNull(s, field);
		int n = s.length();
		for (int i = 0; i < n; i++) {
			char c = s.charAt(i);
			if (Character.isSurrogate(c)) {
				if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
					i++;
				} else {
					throw loneSurrogate(field, i, c);
				}
			}
		}
	}

	public static byte[] encode(String s, String field) {
		requireWellFormed(s, field);
		return s.getBytes(StandardCharsets.UTF_8);
	}

	/** Joins the parts with {@code |} and encodes the result; a lone surrogate is reported with its field. */
	public static byte[] joinWithBars(String[] fieldNames, String... parts) {
		int length = parts.length - 1;
		for (int i = 0; i < parts.length; i++) {
			length += Objects.requireNonNull(parts[i], fieldNames[i]).length();
		}
		// ids, hex and decimal timestamps are ASCII: then one pass both checks and encodes
		byte[] out = new byte[length];
		int at = 0;
		for (int i = 0; i < parts.length; i++) {
			if (i > 0) {
				out[at++] = '|';
			}
			String part = parts[i];
			for (int j = 0, n = part.length(); j < n; j++) {
				char c = part.charAt(j);
				if (c >= 0x80) {
					return joinWithBarsSlowly(fieldNames, parts);
				}
				out[at++] = (byte) c;
			}
		}
		return out;
	}

	private static byte[] joinWithBarsSlowly(String[] fieldNames, String[] parts) {
		for (int i = 0; i < parts.length; i++) {
			requireWellFormed(parts[i], fieldNames[i]);
		}
		return String.join("|", parts).getBytes(StandardCharsets.UTF_8);
	}

	static IllegalArgumentException loneSurrogate(String field, int index, char c) {
		return new IllegalArgumentException(String.format(
				"%s contains a lone UTF-16 surrogate U+%04X at index %d; it has no UTF-8 form and cannot be hashed,"
						+ " MACed or encrypted consistently",
				field, (int) c, index));
	}
}
