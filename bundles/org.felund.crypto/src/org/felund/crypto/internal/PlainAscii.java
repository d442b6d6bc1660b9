package org.felund.crypto.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds bytes that a JSON string cannot carry as they are under Python's {@code ensure_ascii}: controls, DEL,
 * non-ASCII, {@code "} and {@code \}. Eight bytes are tested per step (SWAR), so the common case, plain chat text,
 * costs little more than a copy.
 */
final class PlainAscii {
	private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
	private static final long ONES = 0x0101010101010101L;
	private static final long HIGH_BITS = 0x8080808080808080L;
	private static final long LOW_7_BITS = 0x7f7f7f7f7f7f7f7fL;
	private static final long QUOTES = 0x2222222222222222L;
	private static final long BACKSLASHES = 0x5c5c5c5c5c5c5c5cL;
	private static final long QUESTION_MARKS = 0x3f3f3f3f3f3f3f3fL;
	private static final long FROM_0X20_TO_HIGH_BIT = 0x6060606060606060L;

	private PlainAscii() {
	}

	/**
	 * The index of the first byte in {@code [from, to)} that is not plain, or {@code to}. With
	 * {@code questionMarksToo}, {@code ?} counts as not plain as well: it is what Java's encoder puts in place of
	 * a lone surrogate, so the caller must look at the character it came from.
	 */
	static int firstNotPlain(byte[] bytes, int from, int to, boolean questionMarksToo) {
		int i = from;
		for (; i + Long.BYTES <= to; i += Long.BYTES) {
			if (flags((long) LONGS.get(bytes, i), questionMarksToo) != 0) {
				break;
			}
		}
		for (; i < to; i++) {
			if (!isPlain(bytes[i]) || (questionMarksToo && bytes[i] == '?')) {
				return i;
			}
		}
		return to;
	}

	static boolean isPlain(byte b) {
		return b >= 0x20 && b < 0x7f && b != '"' && b != '\\';
	}

	/** A high bit set in every byte of {@code word} that is not plain (exact as to whether any is set). */
	private static long flags(long word, boolean questionMarksToo) {
		long low = word & LOW_7_BITS; // bytes with the high bit set are flagged by "| word" below
		long flags = ((low + ONES) | word) // 0x7f or non-ASCII
				| ~(low + FROM_0X20_TO_HIGH_BIT) // below 0x20
				| zeroBytes(low ^ QUOTES)
				| zeroBytes(low ^ BACKSLASHES);
		if (questionMarksToo) {
			flags |= zeroBytes(low ^ QUESTION_MARKS);
		}
		return flags & HIGH_BITS;
	}

	/** High bit of each zero byte of {@code v}, whose bytes are all below 0x80; may also flag bytes above one. */
	private static long zeroBytes(long v) {
		return (v - ONES) & ~v;
	}
}
