package org.felund.api.model;

import java.util.Locale;

/** How a channel is joined: anyone, with a shared key, or by request and approval. */
public enum AccessMode {
	PUBLIC, KEY, INVITE;

	public String wire() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** Parses the wire form; anything unknown is {@link #PUBLIC}, as both reference clients do. */
	public static AccessMode fromWire(String value) {
		if (value == null) {
			return PUBLIC;
		}
		return switch (value.trim().toLowerCase(Locale.ROOT)) {
		case "key" -> KEY;
		case "invite" -> INVITE;
		default -> PUBLIC;
		};
	}
}
