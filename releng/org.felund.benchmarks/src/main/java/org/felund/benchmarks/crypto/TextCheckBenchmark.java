package org.felund.benchmarks.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The techniques behind the envelope's text handling, side by side, so that the choices in
 * {@code org.felund.crypto.internal.JsonSafeAscii} and {@code JcaCircleCrypto} can be re-checked on another JDK or
 * CPU: how to find out whether bytes may stand in a JSON string unescaped (printable ASCII without {@code "} and
 * {@code \}), how to get a String's characters into a byte buffer exactly, and how to make the base64 String.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TextCheckBenchmark {
	private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
	private static final long ONES = 0x0101010101010101L;
	private static final long HIGH_BITS = 0x8080808080808080L;
	private static final byte[] NO_MARKS = new byte[8192];

	@Param({ "16", "256", "1024", "4096" })
	public int textLength;

	private String text;
	private byte[] bytes;
	private byte[] marks;
	private byte[] buffer;
	private char[] chars;
	private byte[] ciphertext;
	private final CharsetEncoder ascii = StandardCharsets.US_ASCII.newEncoder();

	@Setup
	public void setUp() {
		text = CryptoSamples.chatText(textLength);
		bytes = text.getBytes(StandardCharsets.US_ASCII);
		marks = new byte[textLength];
		buffer = new byte[2 * textLength + 64];
		chars = new char[textLength];
		ciphertext = Arrays.copyOf(bytes, textLength + 49); // JSON plaintext + tag, as in an envelope
	}

	/** What the bundle does: a branch-free marking loop C2 vectorizes, then the JDK's vectorized mismatch. */
	@Benchmark
	public boolean checkMarkAndMismatch() {
		byte[] b = bytes;
		byte[] m = marks;
		for (int i = 0; i < b.length; i++) {
			int c = b[i];
			m[i] = (byte) ((c | (c - 0x20) | (c + 1) | ((c ^ '"') - 1) | ((c ^ '\\') - 1)) & 0x80);
		}
		return Arrays.mismatch(m, 0, b.length, NO_MARKS, 0, b.length) < 0;
	}

	/** The previous code: eight bytes per step (SWAR) for control and non-ASCII bytes, String.indexOf for the rest. */
	@Benchmark
	public boolean checkEightBytesAtATime() {
		if (text.indexOf('"') >= 0 || text.indexOf('\\') >= 0) {
			return false;
		}
		byte[] b = bytes;
		int i = 0;
		for (; i + 2 * Long.BYTES <= b.length; i += 2 * Long.BYTES) {
			if ((flags((long) LONGS.get(b, i)) | flags((long) LONGS.get(b, i + Long.BYTES))) != 0) {
				return false;
			}
		}
		for (; i < b.length; i++) {
			if (b[i] < 0x20 || b[i] == 0x7f) {
				return false;
			}
		}
		return true;
	}

	/** Eight bytes per step for all five conditions, no String needed (what opening has: bytes only). */
	@Benchmark
	public boolean checkEightBytesAllConditions() {
		byte[] b = bytes;
		long bad = 0;
		int i = 0;
		for (; i + Long.BYTES <= b.length; i += Long.BYTES) {
			long w = (long) LONGS.get(b, i);
			bad |= flags(w) | hasZeroByte(w ^ 0x2222222222222222L) | hasZeroByte(w ^ 0x5c5c5c5c5c5c5c5cL);
		}
		for (; i < b.length; i++) {
			int c = b[i];
			bad |= (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') ? 1 : 0;
		}
		return bad == 0;
	}

	/** An OR reduction over the same per-byte expression: C2 in JDK 25 does not vectorize it. */
	@Benchmark
	public boolean checkOrReduction() {
		byte[] b = bytes;
		int bad = 0;
		for (int i = 0; i < b.length; i++) {
			int c = b[i];
			bad |= (c - 0x20) | (0x7e - c) | ((c ^ '"') - 1) | ((c ^ '\\') - 1);
		}
		return bad >= 0;
	}

	/** What the bundle does to copy a String exactly: its chars, then the JDK's US-ASCII encoder into the buffer. */
	@Benchmark
	public boolean copyThroughAsciiEncoder() {
		int n = text.length();
		text.getChars(0, n, chars, 0);
		ascii.reset();
		ByteBuffer target = ByteBuffer.wrap(buffer, 33, n);
		return !ascii.encode(CharBuffer.wrap(chars, 0, n), target, true).isError();
	}

	/** The alternative that needs a check afterwards (a lone surrogate becomes '?'): a fresh UTF-8 array. */
	@Benchmark
	public byte[] copyThroughUtf8Array() {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/** Fast, but keeps only the low byte of each char: not usable for text (U+0141 would become 'A'). */
	@Benchmark
	@SuppressWarnings("deprecation")
	public byte[] copyLowBytesUnchecked() {
		text.getBytes(0, text.length(), buffer, 33);
		return buffer;
	}

	@Benchmark
	public String base64EncodeToString() {
		return Base64.getEncoder().encodeToString(ciphertext);
	}

	/** What the bundle does: encode into a reused buffer, one copy into the String. */
	@Benchmark
	public String base64ThroughReusedBuffer() {
		int n = Base64.getEncoder().encode(ciphertext, buffer);
		return new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
	}

	private static long hasZeroByte(long v) {
		return (v - ONES) & ~v & HIGH_BITS;
	}

	private static long flags(long word) {
		return (word | ~(word + 0x6060606060606060L) | (word + ONES)) & HIGH_BITS;
	}
}
