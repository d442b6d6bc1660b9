package org.felund.relay.server;

import java.util.Locale;

/**
 * How strictly the relay enforces request signatures (protocol §3.8, §7.3).
 *
 * <p>In both policies a request that carries signature headers is verified completely, a circle's signing key
 * can only be replaced by a request signed with the key already bound, and register / unregister / peers
 * need a valid signature once a key is bound for the circle.
 */
public enum SignaturePolicy {
	/** Every presence and message request must be signed with the circle's bound key. */
	STRICT,
	/**
	 * Like {@link #STRICT}, except that requests without any signature header are accepted for
	 * {@code POST/GET /v1/messages} (the reference web client never signs them) and, while no key is bound for
	 * the circle, for register, unregister and peers (as the reference {@code relay_ws.py} does).
	 */
	COMPAT;

	/** Parses {@code strict} or {@code compat} (any case). */
	public static SignaturePolicy parse(String text) {
		if (text != null) {
			switch (text.trim().toLowerCase(Locale.ROOT)) {
			case "strict":
				return STRICT;
			case "compat":
				return COMPAT;
			default:
				break;
			}
		}
		throw new IllegalArgumentException("signatures must be 'strict' or 'compat', got '" + text + "'");
	}
}
