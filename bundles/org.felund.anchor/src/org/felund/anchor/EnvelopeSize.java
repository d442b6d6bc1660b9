package org.felund.anchor;

import org.felund.api.model.ChatMessage;
import org.felund.api.model.Envelope;

/**
 * The size of an envelope as the reference counts it against the 50 MiB limit (§6.3): its relay form
 * ({@code msg_id, circle_id, channel_id, author_node_id, created_ts, enc}) as compact JSON with {@code ensure_ascii}.
 */
final class EnvelopeSize {
	private EnvelopeSize() {
	}

	static long of(ChatMessage m) {
		Envelope e = m.enc();
		long n = 2; // { }
		n += field("msg_id", m.msgId()) + 1;
		n += field("circle_id", m.circleId()) + 1;
		n += field("channel_id", m.channelId()) + 1;
		n += field("author_node_id", m.authorNodeId()) + 1;
		n += quoted("created_ts") + 1 + Long.toString(m.createdTs()).length() + 1;
		n += quoted("enc") + 1 + 2 + field("alg", e.alg()) + 1 + field("key_id", e.keyId()) + 1
				+ field("nonce", e.nonce()) + 1 + field("ciphertext", e.ciphertext());
		return n;
	}

	private static long field(String key, String value) {
		return quoted(key) + 1 + quoted(value);
	}

	/** A JSON string with ensure_ascii escaping: {@code \"}, {@code \\}, control characters and non-ASCII as escapes. */
	static long quoted(String s) {
		long n = 2;
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			if (c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f') {
				n += 2;
			} else if (c < 0x20 || c > 0x7f) {
				n += 6;
			} else {
				n += 1;
			}
		}
		return n;
	}
}
