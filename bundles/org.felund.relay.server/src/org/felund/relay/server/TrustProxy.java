package org.felund.relay.server;

import java.util.Locale;

/**
 * Whether {@code X-Forwarded-For} / {@code X-Real-IP} are believed when reporting a registrant's
 * {@code observed_host}. The headers are trivially forged by a direct client, so by default they are only
 * trusted when the TCP peer is a loopback address (a reverse proxy on the same host).
 */
public enum TrustProxy {
	/** Trust forwarding headers only from a loopback peer. */
	LOOPBACK,
	/** Always trust forwarding headers (the relay sits behind a proxy on another host). */
	ALWAYS,
	/** Never trust them; report the socket address. */
	NEVER;

	public static TrustProxy parse(String text) {
		if (text != null) {
			switch (text.trim().toLowerCase(Locale.ROOT)) {
			case "loopback":
				return LOOPBACK;
			case "always":
				return ALWAYS;
			case "never":
				return NEVER;
			default:
				break;
			}
		}
		throw new IllegalArgumentException("trust-proxy must be 'loopback', 'always' or 'never', got '" + text + "'");
	}
}
