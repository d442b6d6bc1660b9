package org.felund.transport.relay.internal;

/**
 * A gossip address as presence carries it ({@code {"transport":"tcp","host",…,"port",…}}).
 *
 * @param host a host name or IP literal (IPv6 without brackets), or {@code ""} for "the host the relay observes"
 * @param port 1..65535
 */
public record TcpEndpoint(String host, int port) {
	public static final int MAX_HOST_CHARS = 255;

	public TcpEndpoint {
		if (host == null) {
			throw new IllegalArgumentException("TCP endpoint host is missing");
		}
		if (port < 1 || port > 65535) {
			throw new IllegalArgumentException("TCP endpoint port must be 1..65535, got " + port);
		}
		if (!isPlausibleHost(host) && !host.isEmpty()) {
			throw new IllegalArgumentException("TCP endpoint host '" + host + "' is not a host name or IP address");
		}
	}

	/**
	 * Reads {@code host:port}, {@code [ipv6]:port} or {@code :port}.
	 *
	 * @throws IllegalArgumentException naming what is wrong
	 */
	public static TcpEndpoint parse(String text) {
		String t = text == null ? "" : text.trim();
		int colon = t.lastIndexOf(':');
		if (colon < 0) {
			throw new IllegalArgumentException("TCP endpoint '" + text + "' must be host:port");
		}
		String host = t.substring(0, colon);
		if (host.startsWith("[") && host.endsWith("]")) {
			host = host.substring(1, host.length() - 1);
		} else if (host.indexOf(':') >= 0) {
			throw new IllegalArgumentException("TCP endpoint '" + text + "': write an IPv6 address as [address]:port");
		}
		int port;
		try {
			port = Integer.parseInt(t.substring(colon + 1));
		} catch (NumberFormatException e) {
			throw new IllegalArgumentException("TCP endpoint '" + text + "' has no numeric port", e);
		}
		return new TcpEndpoint(host, port);
	}

	/** The text {@link #parse} reads: {@code host:port}, {@code [v6]:port} or {@code :port} for an empty host. */
	public static String format(String host, int port) {
		return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
	}

	/** Whether the relay's observed host must fill in the host. */
	public boolean hostFromRelay() {
		return host.isEmpty();
	}

	public TcpEndpoint withHost(String newHost) {
		return new TcpEndpoint(newHost, port);
	}

	/** {@code ipv6} for an IPv6 literal, else {@code ipv4} (what both clients send for host names). */
	public String family() {
		return host.indexOf(':') >= 0 ? "ipv6" : "ipv4";
	}

	/** The dialable {@code host:port} form gossip peers use, IPv6 in brackets. */
	public String address() {
		return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
	}

	/**
	 * Whether only this machine or its own network can reach {@code host}: an IP literal that is loopback, private
	 * (RFC 1918, IPv6 unique-local), link-local, shared (100.64/10) or unspecified, or {@code localhost}. Host names
	 * are not resolved, so they count as reachable.
	 */
	public static boolean isLocalOnly(String host) {
		String h = host.toLowerCase(java.util.Locale.ROOT);
		if (h.equals("localhost")) {
			return true;
		}
		boolean ipLiteral = h.indexOf(':') >= 0 || h.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.');
		if (!ipLiteral || h.isEmpty()) {
			return false;
		}
		try {
			java.net.InetAddress a = java.net.InetAddress.getByName(h);
			byte[] b = a.getAddress();
			boolean uniqueLocal = b.length == 16 && (b[0] & 0xfe) == 0xfc;
			boolean shared = b.length == 4 && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
			return a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()
					|| uniqueLocal || shared;
		} catch (java.net.UnknownHostException e) {
			return false;
		}
	}

	/**
	 * A host as other nodes may hand it to gossip: non-empty, at most {@value #MAX_HOST_CHARS} characters, and only
	 * characters of host names and IP literals (no spaces, slashes, brackets or controls that could confuse a dialer).
	 */
	public static boolean isPlausibleHost(String host) {
		if (host == null || host.isEmpty() || host.length() > MAX_HOST_CHARS) {
			return false;
		}
		for (int i = 0; i < host.length(); i++) {
			char c = host.charAt(i);
			boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-'
					|| c == ':' || c == '_' || c == '%';
			if (!ok) {
				return false;
			}
		}
		return true;
	}
}
