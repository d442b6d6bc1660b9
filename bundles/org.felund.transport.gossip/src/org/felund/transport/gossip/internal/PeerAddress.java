package org.felund.transport.gossip.internal;

import java.util.Locale;
import java.util.Optional;

/**
 * A dialable {@code host:port} as the reference writes it: IPv6 literals appear unbracketed
 * ({@code fe80::1:9999}, the port after the last colon) or bracketed ({@code [::1]:9999}). Anything else
 * (no port, port out of range, spaces, control characters, a URL) is refused before it is dialled or stored,
 * because one bad address in a reference node's PEERS otherwise stops its gossip loop (§10 #7).
 */
public record PeerAddress(String host, int port) {
	private static final int MAX_HOST_LENGTH = 255;

	public static Optional<PeerAddress> parse(String addr) {
		if (addr == null) {
			return Optional.empty();
		}
		String s = addr.trim();
		int colon = s.lastIndexOf(':');
		if (colon <= 0 || colon == s.length() - 1 || s.length() > MAX_HOST_LENGTH + 6) {
			return Optional.empty();
		}
		String host = s.substring(0, colon);
		String portText = s.substring(colon + 1);
		if (portText.length() > 5 || !portText.chars().allMatch(c -> c >= '0' && c <= '9')) {
			return Optional.empty();
		}
		int port = Integer.parseInt(portText);
		if (port < 1 || port > 65535) {
			return Optional.empty();
		}
		if (host.startsWith("[") && host.endsWith("]")) {
			host = host.substring(1, host.length() - 1);
		}
		if (host.isEmpty() || !validHost(host)) {
			return Optional.empty();
		}
		return Optional.of(new PeerAddress(host.toLowerCase(Locale.ROOT), port));
	}

	private static boolean validHost(String host) {
		if (host.contains(":")) {
			// IPv6 literal: hex digits, colons, dots (embedded IPv4) and an optional zone id.
			// ASCII only: Character.digit also takes other scripts' digits, which no resolver reads as an address.
			return host.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
					|| c == ':' || c == '.' || c == '%');
		}
		// Host name or IPv4: letters, digits, '-', '.', '_'.
		return host.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
				|| (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_');
	}

	/** The reference form: IPv6 hosts unbracketed, as its own {@code PEERS} entries look. */
	public String wire() {
		return host + ":" + port;
	}

	@Override
	public String toString() {
		return wire();
	}
}
