package org.felund.crypto.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds control characters, DEL and non-ASCII bytes, eight bytes per step (SWAR). Together with
 * {@link String#indexOf(int)} for {@code "} and {@code \} (a JDK intrinsic), this tells whether text can go into
 * a JSON string as it is, at a fraction of the cost of a char-by-char loop.
 */
final class PlainAscii {
	private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
	private static final long ONES = 0x0101010101010101L;
	private static final long HIGH_BITS = 0x8080808080808080L;
	private static final long FROM_0X20_TO_HIGH_BIT = 0x6060606060606060L;

	private PlainAscii() {
	}

	/** Whether {@code [from, to)} holds a byte below 0x20, DEL (0x7f) or a byte with the high bit set. */
	static boolean hasControlOrNonAscii(byte[] bytes, int from, int to) {
		int i = from;
		for (; i + 2 * Long.BYTES <= to; i += 2 * Long.BYTES) {
			if ((flags((long) LONGS.get(bytes, i)) | flags((long) LONGS.get(bytes, i + Long.BYTES))) != 0) {
				return true;
			}
		}
		for (; i < to; i++) {
			if (bytes[i] < 0x20 || bytes[i] == 0x7f) { // bytes are signed: non-ASCII is negative
				return true;
			}
		}
		return false;
	}

	/**
	 * A high bit set for a byte below 0x20, 0x7f or above. Additions can carry into the next byte only out of a
	 * byte that is flagged itself, so whether any bit is set is exact.
	 */
	private static long flags(long word) {
		return (word | ~(word + FROM_0X20_TO_HIGH_BIT) | (word + ONES)) & HIGH_BITS;
	}
}
