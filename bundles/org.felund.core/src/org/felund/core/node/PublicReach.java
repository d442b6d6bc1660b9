package org.felund.core.node;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.felund.api.transport.Endpoint;

/**
 * Whether others reach this node from the internet, learned from what transports observe, never from what the node
 * claims: an inbound connection accepted from a public address, or a relay that observes for us a public address
 * that is also the host of one of our direct endpoints (so nothing translates it). Evidence counts for
 * {@link #EVIDENCE_SECONDS}.
 */
final class PublicReach {
	static final long EVIDENCE_SECONDS = 600;
	private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|\\[?[0-9a-fA-F:.]+(%\\w+)?\\]?");

	private final LongSupplier clock;
	private final Supplier<List<Endpoint>> endpoints;
	private volatile long lastEvidence = Long.MIN_VALUE;

	PublicReach(LongSupplier clock, Supplier<List<Endpoint>> endpoints) {
		this.clock = clock;
		this.endpoints = endpoints;
	}

	void observed(String remoteHost, boolean inbound) {
		if (!isPublic(remoteHost)) {
			return;
		}
		if (inbound || endpoints.get().stream().filter(e -> e.kind() == Endpoint.Kind.DIRECT)
				.anyMatch(e -> sameHost(e.address(), remoteHost))) {
			lastEvidence = clock.getAsLong();
		}
	}

	boolean reachable() {
		long last = lastEvidence;
		return last != Long.MIN_VALUE && clock.getAsLong() - last <= EVIDENCE_SECONDS;
	}

	private static boolean sameHost(String hostPort, String host) {
		int colon = hostPort.lastIndexOf(':');
		String h = colon > 0 ? hostPort.substring(0, colon) : hostPort;
		return strip(h).equalsIgnoreCase(strip(host));
	}

	private static String strip(String h) {
		return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
	}

	/** A literal IP address that is globally routable (not loopback, private, link-local, CGNAT or unique-local). */
	static boolean isPublic(String host) {
		if (host == null || !IP_LITERAL.matcher(host.strip()).matches()) {
			return false; // names are not evidence (and resolving them here would block)
		}
		InetAddress a;
		try {
			a = InetAddress.getByName(strip(host.strip())); // a literal: no lookup
		} catch (UnknownHostException | SecurityException e) {
			return false;
		}
		if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
				|| a.isMulticastAddress()) {
			return false;
		}
		byte[] b = a.getAddress();
		if (b.length == 4) {
			int first = b[0] & 0xff;
			int second = b[1] & 0xff;
			return !(first == 100 && second >= 64 && second < 128) && first != 0 && first < 224; // CGNAT, reserved
		}
		return (b[0] & 0xfe) != 0xfc; // fc00::/7 unique local
	}
}
