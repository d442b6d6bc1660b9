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
		if (plaintext.length < capacity) {
			plaintext = new byte[grow(plaintext.length, capacity)];
		}
		return plaintext;
	}

	byte[] base64(int capacity) {
		if (base64.length < capacity) {
			base64 = new byte[grow(base64.length, capacity)];
		}
		return base64;
	}

	/** Scratch for {@link JsonSafeAscii}, indexed like the bytes it checks. */
	byte[] flags(int capacity) {
		if (flags.length < capacity) {
			flags = new byte[grow(flags.length, capacity)];
		}
		return flags;
	}

	char[] chars(int capacity) {
		if (chars.length < capacity) {
			chars = new char[grow(chars.length, capacity)];
		}
		return chars;
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

	private static int grow(int current, int needed) {
		return Math.max(needed, Math.min(Integer.MAX_VALUE - 8, Math.max(current * 2, needed + (needed >> 2))));
	}
}
