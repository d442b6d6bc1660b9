package org.felund.crypto.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.util.Arrays;

import org.felund.protocol.wire.AsciiJson;

/**
 * Finds out whether text can go into a JSON string exactly as it is: printable ASCII (0x20–0x7e) without {@code "}
 * or {@code \}. Python's {@code json.dumps(ensure_ascii=True)} escapes everything else, so text that passes is
 * written by copying, and a plaintext whose strings pass is read without a JSON parser.
 * <p>
 * No SIMD code of our own, and each technique where it measured fastest ({@code TextCheckBenchmark}): for long text
 * and for decrypted bytes, one branch-free loop that the JIT vectorizes marks each byte (0 = safe, 0x80 = needs an
 * escape) and the JDK's vectorized {@link Arrays#mismatch} looks for a mark; for mid-sized text being sealed, the
 * String's vectorized {@code indexOf} finds {@code "} and {@code \} and the copied ASCII bytes are checked eight
 * at a time; below 32 characters a plain loop.
 */
final class JsonSafeAscii {
	/** Bytes marked per pass before looking for a mark. */
	private static final int CHUNK = 2048;
	/** Below this, a plain loop is cheaper than setting up the vectorized passes. */
	private static final int SHORT = 32;
	private static final byte[] NO_MARKS = new byte[CHUNK];
	/** From this length on, the marking loop beats eight-bytes-per-step checks (TextCheckBenchmark). */
	private static final int WORDS_UP_TO = 1024;
	private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

	private JsonSafeAscii() {
	}

	/**
	 * Whether every byte in {@code [from, to)} may stand in a JSON string unescaped. {@code scratch} is indexed like
	 * {@code bytes} (at least {@code to} long): with equal indexes the JIT can vectorize the marking loop without
	 * having to rule out that the two arrays overlap.
	 */
	static boolean isSafe(byte[] bytes, int from, int to, byte[] scratch) {
		if (to - from < SHORT) {
			for (int i = from; i < to; i++) {
				if (!isSafe(bytes[i])) {
					return false;
				}
			}
			return true;
		}
		for (int start = from; start < to; start += CHUNK) {
			int end = Math.min(start + CHUNK, to);
			for (int i = start; i < end; i++) {
				int c = bytes[i];
				// bit 7 is set for: non-ASCII (c itself), c < 0x20, c == 0x7f, c == '"', c == '\\'
				scratch[i] = (byte) ((c | (c - 0x20) | (c + 1) | ((c ^ '"') - 1) | ((c ^ '\\') - 1)) & 0x80);
			}
			if (Arrays.mismatch(scratch, start, end, NO_MARKS, 0, end - start) >= 0) {
				return false;
			}
		}
		return true;
	}

	/** The rule itself is the wire format's ({@link AsciiJson#isSafe}); the passes above are faster forms of it. */
	static boolean isSafe(int c) {
		return AsciiJson.isSafe(c);
	}

	/**
	 * Writes the characters of {@code s} as bytes to {@code out} at {@code at} if all of them are JSON-safe and
	 * returns whether they were (if not, {@code out} holds garbage there). Exact for every string: a character
	 * outside ASCII or a lone surrogate is never mistaken for a safe byte.
	 */
	static boolean copyIfSafe(String s, byte[] out, int at, EnvelopeWorkspace ws) {
		int n = s.length();
		if (n < SHORT) {
			for (int i = 0; i < n; i++) {
				char c = s.charAt(i);
				if (!isSafe(c)) {
					return false;
				}
				out[at + i] = (byte) c;
			}
			return true;
		}
		// chars out of the String and ASCII bytes out of the chars are both JDK intrinsics; the ASCII encoder stops
		// at the first character it cannot map instead of substituting '?' as String.getBytes would
		char[] chars = ws.chars(n);
		s.getChars(0, n, chars, 0);
		CharsetEncoder ascii = ws.ascii;
		ascii.reset();
		ByteBuffer target = ByteBuffer.wrap(out, at, n);
		CoderResult result = ascii.encode(CharBuffer.wrap(chars, 0, n), target, true);
		if (result.isError() || target.position() != at + n) {
			return false;
		}
		if (n >= WORDS_UP_TO) {
			return isSafe(out, at, at + n, ws.flags(at + n));
		}
		// mid-sized text (TextCheckBenchmark): the String's vectorized indexOf for the two characters, and the now
		// known-ASCII bytes eight at a time for control characters and DEL
		return s.indexOf('"') < 0 && s.indexOf('\\') < 0 && !hasControlOrDel(out, at, at + n);
	}

	/** Whether ASCII bytes in {@code [from, to)} hold a control character or DEL, eight bytes per step. */
	private static boolean hasControlOrDel(byte[] ascii, int from, int to) {
		long marks = 0;
		int i = from;
		for (; i + Long.BYTES <= to; i += Long.BYTES) {
			long word = (long) LONGS.get(ascii, i);
			// per byte b < 0x80 (no carries between bytes): b + 0x60 < 0x80 iff b < 0x20; b + 1 >= 0x80 iff b == 0x7f
			marks |= (~(word + 0x6060606060606060L) | (word + 0x0101010101010101L)) & 0x8080808080808080L;
		}
		for (; i < to; i++) {
			marks |= ascii[i] < 0x20 || ascii[i] == 0x7f ? 1 : 0;
		}
		return marks != 0;
	}
}
