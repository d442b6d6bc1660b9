package org.felund.protocol.wire;

/**
 * What an identifier received from someone else may look like before anything stores it or shows it. The reference
 * formats are 24 hex (Python) and 32 hex (web) for node ids and 32 hex for message ids (protocol §1); relays accept 8
 * to 128 characters. We accept any printable identifier of plain letters, digits, {@code -} and {@code _} within those
 * lengths, so no direction override (U+202E), control character or 5,000-character id reaches a table or a screen.
 */
public final class Identifiers {
	public static final int MIN_LENGTH = 8;
	public static final int MAX_LENGTH = 64;

	private Identifiers() {
	}

	/** Whether {@code id} is acceptable as a peer's {@code node_id} (and as a {@code circle_id}). */
	public static boolean isNodeId(String id) {
		if (id == null || id.length() < MIN_LENGTH || id.length() > MAX_LENGTH) {
			return false;
		}
		for (int i = 0; i < id.length(); i++) {
			char c = id.charAt(i);
			boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-'
					|| c == '_';
			if (!ok) {
				return false;
			}
		}
		return true;
	}

	/** A short, printable form of an id we refused, for logs and errors (never the raw text). */
	public static String describe(String id) {
		if (id == null) {
			return "(none)";
		}
		StringBuilder out = new StringBuilder();
		for (int i = 0; i < id.length() && out.length() < 40; i++) {
			char c = id.charAt(i);
			out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
		}
		return "\"" + out + (id.length() > 40 ? "…" : "") + "\" (" + id.length() + " chars)";
	}
}
