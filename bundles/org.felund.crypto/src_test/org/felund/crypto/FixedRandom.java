package org.felund.crypto;

import java.security.SecureRandom;

/** A "random" source that hands out pinned bytes, so the random code paths can be checked against vectors. */
final class FixedRandom extends SecureRandom {
	private static final long serialVersionUID = 1L;
	private final byte[] bytes;
	private int calls;

	FixedRandom(byte[] bytes) {
		this.bytes = bytes.clone();
	}

	@Override
	public void nextBytes(byte[] out) {
		if (out.length != bytes.length) {
			throw new AssertionError("Asked for " + out.length + " random bytes, pinned " + bytes.length);
		}
		calls++;
		System.arraycopy(bytes, 0, out, 0, out.length);
	}

	int calls() {
		return calls;
	}
}
