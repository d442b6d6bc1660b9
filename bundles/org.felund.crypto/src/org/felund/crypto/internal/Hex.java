package org.felund.crypto.internal;

import java.util.HexFormat;

/** Lower-case hex out; strict hex in (even length, 0-9 a-f A-F, nothing else). */
public final class Hex {
	private static final HexFormat LOWER = HexFormat.of();

	private Hex() {
	}

	public static String encode(byte[] bytes) {
		return LOWER.formatHex(bytes);
	}

	/** @throws IllegalArgumentException saying what is wrong with {@code what} */
	public static byte[] decode(String hex, String what) {
		if (hex == null) {
			throw new IllegalArgumentException(what + " is missing");
		}
		if ((hex.length() & 1) != 0) {
			throw new IllegalArgumentException(what + " is not valid hex: odd length " + hex.length());
		}
		for (int i = 0; i < hex.length(); i++) {
			char c = hex.charAt(i);
			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
				throw new IllegalArgumentException(
						what + " is not valid hex: unexpected character at position " + (i + 1));
			}
		}
		return LOWER.parseHex(hex);
	}
}
