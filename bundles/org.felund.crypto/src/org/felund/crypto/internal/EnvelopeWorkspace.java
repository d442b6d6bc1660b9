package org.felund.crypto.internal;

import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import javax.crypto.Cipher;

/**
 * Per-thread buffers for sealing and opening envelopes. At chat sizes the envelope's own work is dominated by
 * allocating and copying arrays, not by AES-GCM, so the plaintext and the base64 text are built in buffers that
 * are reused by the next message on the same thread. Plaintext is wiped from the buffer as soon as it has been
 * encrypted or read; buffers that grew beyond {@link #RETAINED_BYTES} for an unusually large message are dropped
 * again so that one big message does not pin memory for the life of the thread.
 */
final class EnvelopeWorkspace {
	/** Largest buffer kept between messages: the relay's 4,096-byte text limit as base64, with headroom. */
	static final int RETAINED_BYTES = 16 * 1024;

	private static final ThreadLocal<EnvelopeWorkspace> PER_THREAD = ThreadLocal.withInitial(EnvelopeWorkspace::new);

	final Cipher gcm = Primitives.newGcm();
	final CharsetEncoder ascii = StandardCharsets.US_ASCII.newEncoder();
	private byte[] plaintext = new byte[512];
	private byte[] base64 = new byte[1024];
	private char[] chars = new char[256];
	private byte[] flags = new byte[512];

	private EnvelopeWorkspace() {
	}

	static EnvelopeWorkspace current() {
		return PER_THREAD.get();
	}

	byte[] plaintext(int capacity) {
		return plaintext = atLeast(plaintext, capacity);
	}

	byte[] base64(int capacity) {
		return base64 = atLeast(base64, capacity);
	}

	/** Scratch for {@link JsonSafeAscii}, indexed like the bytes it checks. */
	byte[] flags(int capacity) {
		return flags = atLeast(flags, capacity);
	}

	char[] chars(int capacity) {
		return chars = chars.length >= capacity ? chars : new char[grow(chars.length, capacity)];
	}

	/**
	 * Called when a message is done: zeroes the plaintext bytes {@code [0, plaintextUsed)} and lets go of buffers
	 * that one oversized message made large.
	 */
	void release(int plaintextUsed) {
		Arrays.fill(plaintext, 0, Math.min(plaintextUsed, plaintext.length), (byte) 0);
		if (plaintext.length > RETAINED_BYTES) {
			plaintext = new byte[512];
		}
		if (base64.length > RETAINED_BYTES) {
			base64 = new byte[1024];
		}
		if (chars.length > RETAINED_BYTES) {
			chars = new char[256];
		}
		if (flags.length > RETAINED_BYTES) {
			flags = new byte[512];
		}
	}

	private static byte[] atLeast(byte[] buffer, int capacity) {
		return buffer.length >= capacity ? buffer : new byte[grow(buffer.length, capacity)];
	}

	private static int grow(int current, int needed) {
		return Math.max(needed, Math.min(Integer.MAX_VALUE - 8, Math.max(current * 2, needed + (needed >> 2))));
	}
}
