package org.felund.transport.gossip.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import io.netty.channel.Channel;

/**
 * Who may hold an inbound gossip connection. Connections that have not authenticated (no valid HELLO_AUTH yet) and
 * authenticated sessions have separate budgets, so idle sockets can never crowd out members:
 * <ul>
 * <li>one source address (an IPv4 address, or an IPv6 /64, which one host usually owns whole) holds at most
 * {@link #PER_ADDRESS} unauthenticated connections; more are closed at accept;</li>
 * <li>all sources together hold at most {@link #UNAUTHENTICATED} unauthenticated connections; when full, the oldest
 * is closed to make room, so a flood from many addresses delays a real handshake instead of blocking it (a real
 * handshake takes milliseconds; a squatter must keep reconnecting faster than handshakes arrive);</li>
 * <li>authenticated sessions hold at most {@link #AUTHENTICATED}; an authentication beyond that is refused.</li>
 * </ul>
 * Together with the handshake timeout (about 5 s from accept to HELLO_AUTH) this bounds memory and work per source.
 * Thread-safe; called at accept, at authentication and at close.
 */
final class InboundLimiter {
	static final int PER_ADDRESS = 8;
	static final int UNAUTHENTICATED = 64;
	static final int AUTHENTICATED = 128;

	private final int perAddress;
	private final int unauthenticatedMax;
	private final int authenticatedMax;
	private final ArrayDeque<Channel> unauthenticated = new ArrayDeque<>();
	private final Map<String, Integer> perSource = new HashMap<>();
	private final Map<Channel, String> sourceOf = new HashMap<>();
	private int authenticated;

	InboundLimiter() {
		this(PER_ADDRESS, UNAUTHENTICATED, AUTHENTICATED);
	}

	InboundLimiter(int perAddress, int unauthenticatedMax, int authenticatedMax) {
		this.perAddress = perAddress;
		this.unauthenticatedMax = unauthenticatedMax;
		this.authenticatedMax = authenticatedMax;
	}

	/**
	 * Admits a freshly accepted connection as unauthenticated, closing the oldest unauthenticated one when the budget
	 * is full; returns false (and admits nothing) when its source already holds its share.
	 */
	boolean admit(Channel channel) {
		String source = sourceKey(channel.remoteAddress());
		Channel evicted = null;
		synchronized (this) {
			if (perSource.getOrDefault(source, 0) >= perAddress) {
				return false;
			}
			if (unauthenticated.size() >= unauthenticatedMax) {
				evicted = unauthenticated.pollFirst();
				release(evicted);
			}
			unauthenticated.addLast(channel);
			sourceOf.put(channel, source);
			perSource.merge(source, 1, Integer::sum);
		}
		if (evicted != null) {
			evicted.close();
		}
		channel.closeFuture().addListener(f -> closed(channel));
		return true;
	}

	/**
	 * Moves a connection whose peer just proved the circle secret to the authenticated budget; false when that budget
	 * is spent (the caller refuses the session). A connection this limiter never admitted (a session driven without
	 * our server, or one already evicted and closing) is not counted.
	 */
	synchronized boolean authenticate(Channel channel) {
		String source = sourceOf.get(channel);
		if (source == null) {
			return true;
		}
		if (source.isEmpty()) {
			return true; // already counted
		}
		if (authenticated >= authenticatedMax) {
			return false;
		}
		unauthenticated.remove(channel);
		release(channel);
		sourceOf.put(channel, "");
		authenticated++;
		return true;
	}

	private synchronized void closed(Channel channel) {
		String source = sourceOf.get(channel);
		if (source == null) {
			return;
		}
		if (source.isEmpty()) {
			sourceOf.remove(channel);
			authenticated--;
		} else {
			unauthenticated.remove(channel);
			release(channel);
		}
	}

	/** Forgets an unauthenticated connection's share of its source (caller holds the lock). */
	private void release(Channel channel) {
		String source = sourceOf.remove(channel);
		if (source != null && !source.isEmpty()) {
			perSource.computeIfPresent(source, (k, n) -> n <= 1 ? null : n - 1);
		}
	}

	synchronized int unauthenticatedCount() {
		return unauthenticated.size();
	}

	synchronized int authenticatedCount() {
		return authenticated;
	}

	/** The address a budget is kept for: the IPv4 address, or the /64 of an IPv6 address. */
	static String sourceKey(SocketAddress remote) {
		if (!(remote instanceof InetSocketAddress inet) || inet.getAddress() == null) {
			return String.valueOf(remote);
		}
		InetAddress ip = inet.getAddress();
		if (ip instanceof Inet6Address) {
			byte[] prefix = Arrays.copyOf(ip.getAddress(), 8);
			StringBuilder key = new StringBuilder("v6:");
			for (byte b : prefix) {
				key.append(String.format("%02x", b));
			}
			return key.toString();
		}
		return ip.getHostAddress();
	}
}
