package org.felund.benchmarks.crypto;

/** Inputs shaped like real traffic. */
final class CryptoSamples {
	private static final String WORDS = "see you at the station at nine, bring the maps and the spare charger please ";

	private CryptoSamples() {
	}

	/** Plain ASCII chat text of exactly {@code length} characters (no JSON escapes needed). */
	static String chatText(int length) {
		StringBuilder out = new StringBuilder(length);
		while (out.length() < length) {
			out.append(WORDS, 0, Math.min(WORDS.length(), length - out.length()));
		}
		return out.toString();
	}

	/** A compact JSON frame of exactly {@code length} bytes (the cipher does not care what the frame says). */
	static byte[] frame(int length) {
		String head = "{\"t\":\"MSGS_HAVE\",\"circle_id\":\"630dcd2966c4336691125448\",\"msg_ids\":[\"";
		String tail = "\"]}";
		String ids = "0123456789abcdef".repeat(length / 16 + 1).substring(0, length - head.length() - tail.length());
		return (head + ids + tail).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
	}
}
