package org.felund.api.crypto;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A circle's 32-byte shared secret. Parsing is strict (64 hex characters, trimmed, any case), and
 * {@link #toString()} never reveals the value.
 */
public final class CircleSecret {
	public static final int LENGTH = 32;
	private final byte[] bytes;

	private CircleSecret(byte[] bytes) {
		this.bytes = bytes;
	}

	public static CircleSecret fromBytes(byte[] raw) {
		if (raw == null || raw.length != LENGTH) {
			throw new IllegalArgumentException("A circle secret is 32 bytes, got " + (raw == null ? 0 : raw.length));
		}
		return new CircleSecret(raw.clone());
	}

	/** @throws IllegalArgumentException with a message that says what is wrong with the text */
	public static CircleSecret fromHex(String hex) {
		if (hex == null || hex.isBlank()) {
			throw new IllegalArgumentException("The circle secret is empty");
		}
		String clean = hex.trim().toLowerCase(Locale.ROOT);
		if (clean.length() != LENGTH * 2) {
			throw new IllegalArgumentException(
					"A circle secret is 64 hex characters, got " + clean.length());
		}
		for (int i = 0; i < clean.length(); i++) {
			char c = clean.charAt(i);
			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
				throw new IllegalArgumentException(
						"The circle secret has a non-hex character at position " + (i + 1));
			}
		}
		return new CircleSecret(HexFormat.of().parseHex(clean));
	}

	public byte[] bytes() {
		return bytes.clone();
	}

	public String hex() {
		return HexFormat.of().formatHex(bytes);
	}

	@Override
	public boolean equals(Object o) {
		return o instanceof CircleSecret other && java.security.MessageDigest.isEqual(bytes, other.bytes);
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(bytes);
	}

	@Override
	public String toString() {
		return "CircleSecret[redacted]";
	}
}
