package org.felund.transport.gossip.internal;

/**
 * Line sizes of the gossip transport (protocol §4.2). Writers stay within what the reference writer allows,
 * because its reader enforces the plaintext limit and its writer aborts on the encrypted one; the reader
 * accepts more, so that nothing a reference node can send is refused.
 */
public final class FrameLimits {
	/** Longest plaintext line incl. {@code \n} that the reference writes and reads. */
	public static final int PLAIN_LINE_MAX = 16_384;
	/** Longest encrypted line incl. {@code \n} that the reference writes. */
	public static final int ENCRYPTED_LINE_MAX = 32_768;
	/** Nonce and GCM tag around the encrypted JSON. */
	public static final int ENCRYPTION_OVERHEAD = 12 + 16;
	/** Longest line we read (excl. {@code \n}): asyncio's default 64 KiB plus a margin. */
	public static final int READ_LINE_MAX = 65_536 + 1_024;

	private FrameLimits() {
	}

	/** Length incl. {@code \n} of the encrypted line that carries {@code plaintextBytes} of JSON. */
	public static int encryptedLineLength(int plaintextBytes) {
		return 4 * ((plaintextBytes + ENCRYPTION_OVERHEAD + 2) / 3) + 1;
	}

	/** The largest JSON frame (bytes, without {@code \n}) a writer may send in a session of this kind. */
	public static int maxJsonBytes(boolean encrypted) {
		if (!encrypted) {
			return PLAIN_LINE_MAX - 1;
		}
		// Largest p with 4*ceil((p+28)/3)+1 <= 32768: 24,545.
		int p = (ENCRYPTED_LINE_MAX - 1) / 4 * 3 - ENCRYPTION_OVERHEAD;
		while (encryptedLineLength(p + 1) <= ENCRYPTED_LINE_MAX) {
			p++;
		}
		while (encryptedLineLength(p) > ENCRYPTED_LINE_MAX) {
			p--;
		}
		return p;
	}

	/** Whether the reference writer would send a frame of {@code jsonBytes} in a session of this kind. */
	public static boolean fits(int jsonBytes, boolean encrypted) {
		return encrypted ? encryptedLineLength(jsonBytes) <= ENCRYPTED_LINE_MAX : jsonBytes + 1 <= PLAIN_LINE_MAX;
	}
}
