package org.felund.relay.server.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

import org.felund.relay.server.RelayLimits;
import org.felund.relay.server.TrustProxy;

import io.netty.util.NetUtil;

/**
 * The per-client-address bounds of {@link RelayLimits}, kept in memory by one relay instance: open connections,
 * answer bytes waiting to be read, and token buckets for requests, posted bytes, signal posts and new circles.
 *
 * <p>A client is keyed by its address, IPv6 by its {@code /64} (one subscriber usually has a whole prefix). A
 * connection from a trusted proxy is not limited per address (all its clients share it); its requests are keyed
 * by the forwarded address, and not limited when it sends none. At most {@value #MAX_TRACKED} addresses are
 * tracked; beyond that, new addresses share one entry (so a flood of addresses is limited as one).
 */
final class ClientLimits {
	static final int MAX_TRACKED = 65_536;
	private static final String OVERFLOW = "overflow";

	private final RelayLimits limits;
	private final TrustProxy trust;
	private final long signalWindowNanos;
	private final LongSupplier nanos;
	private final ConcurrentHashMap<String, Client> clients = new ConcurrentHashMap<>();
	private final AtomicInteger connections = new AtomicInteger();
	private final AtomicLong outbound = new AtomicLong();

	/** What is known about one client address. */
	private final class Client {
		int connections;
		long outbound;
		private TokenBucket requests;
		private TokenBucket postBytes;
		private TokenBucket signals;
		private TokenBucket circles;

		synchronized TokenBucket requests(long now) {
			if (requests == null) {
				requests = new TokenBucket(limits.requestBurst(), limits.requestsPerSecond(), now);
			}
			return requests;
		}

		synchronized TokenBucket postBytes(long now) {
			if (postBytes == null) {
				postBytes = new TokenBucket(limits.postBurstBytes(), limits.postBytesPerSecond(), now);
			}
			return postBytes;
		}

		synchronized TokenBucket signals(long now) {
			if (signals == null) {
				signals = new TokenBucket(limits.signalPostsPerAddress(),
						limits.signalPostsPerAddress() * 1e9 / signalWindowNanos, now);
			}
			return signals;
		}

		synchronized TokenBucket circles(long now) {
			if (circles == null) {
				circles = new TokenBucket(limits.newCirclesPerHour(), limits.newCirclesPerHour() / 3600.0, now);
			}
			return circles;
		}

		synchronized boolean idle(long now) {
			return connections == 0 && outbound == 0 && (requests == null || requests.full(now))
					&& (postBytes == null || postBytes.full(now)) && (signals == null || signals.full(now))
					&& (circles == null || circles.full(now));
		}
	}

	ClientLimits(RelayLimits limits, TrustProxy trust, long signalWindowMillis) {
		this(limits, trust, signalWindowMillis, System::nanoTime);
	}

	ClientLimits(RelayLimits limits, TrustProxy trust, long signalWindowMillis, LongSupplier nanos) {
		this.limits = limits;
		this.trust = trust;
		this.signalWindowNanos = signalWindowMillis * 1_000_000L;
		this.nanos = nanos;
	}

	RelayLimits limits() {
		return limits;
	}

	// ------------------------------------------------------------------ keys

	/** Whether forwarding headers from this peer are believed (it is a trusted proxy). */
	boolean trusted(InetSocketAddress peer) {
		InetAddress a = peer == null ? null : peer.getAddress();
		return switch (trust) {
		case ALWAYS -> true;
		case NEVER -> false;
		case LOOPBACK -> a != null && a.isLoopbackAddress();
		};
	}

	/** The key a TCP connection counts under, or {@code null} when it comes from a trusted proxy. */
	String connectionKey(InetSocketAddress peer) {
		if (peer == null || trusted(peer)) {
			return null;
		}
		return key(peer.getAddress());
	}

	/**
	 * The key a request counts under: the forwarded client address when the peer is a trusted proxy (then
	 * {@code null} without a usable header), else the peer.
	 */
	String requestKey(InetSocketAddress peer, Function<String, String> header) {
		if (peer == null) {
			return null;
		}
		if (!trusted(peer)) {
			return key(peer.getAddress());
		}
		String forwarded = forwardedAddress(header);
		if (forwarded == null) {
			return null;
		}
		InetAddress a = literal(forwarded);
		return a == null ? null : key(a);
	}

	/** The client address a trusted proxy names: the first {@code X-Forwarded-For} element, else {@code X-Real-IP}. */
	static String forwardedAddress(Function<String, String> header) {
		String forwarded = header.apply("X-Forwarded-For");
		if (forwarded != null && !forwarded.isBlank()) {
			String first = forwarded.split(",", 2)[0].trim();
			if (!first.isEmpty()) {
				return first;
			}
		}
		String realIp = header.apply("X-Real-IP");
		return realIp == null || realIp.isBlank() ? null : realIp.trim();
	}

	private static InetAddress literal(String text) {
		String t = text.length() > 2 && text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1)
				: text;
		return t.length() > 64 ? null : NetUtil.createInetAddressFromIpAddressString(t);
	}

	/** IPv4 (and IPv4-mapped IPv6) by address, IPv6 by its {@code /64}. */
	static String key(InetAddress a) {
		if (a instanceof Inet4Address) {
			return a.getHostAddress();
		}
		if (a instanceof Inet6Address) {
			byte[] b = a.getAddress();
			StringBuilder sb = new StringBuilder(24);
			for (int i = 0; i < 8; i += 2) {
				sb.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff))).append(':');
			}
			return sb.append(":/64").toString();
		}
		return String.valueOf(a);
	}

	private Client client(String key) {
		Client c = clients.get(key);
		if (c != null) {
			return c;
		}
		return clients.computeIfAbsent(tracked(key), k -> new Client());
	}

	/** The key itself, or the shared overflow entry once too many addresses are tracked. */
	private String tracked(String key) {
		return clients.size() >= MAX_TRACKED && !clients.containsKey(key) ? OVERFLOW : key;
	}

	/**
	 * Changes a client's counters atomically with respect to {@link #prune} (which drops idle clients under the
	 * same map lock, so a count is never made on an entry that is being forgotten).
	 *
	 * @return what {@code change} returned
	 */
	private boolean update(String key, java.util.function.Predicate<Client> change) {
		boolean[] result = new boolean[1];
		clients.compute(tracked(key), (k, c) -> {
			Client client = c == null ? new Client() : c;
			synchronized (client) {
				result[0] = change.test(client);
			}
			return client;
		});
		return result[0];
	}

	// ------------------------------------------------------------------ connections

	/** Counts a new connection; {@code false} (and nothing counted) when a limit is reached. */
	boolean openConnection(String key) {
		if (connections.incrementAndGet() > limits.maxConnections()) {
			connections.decrementAndGet();
			return false;
		}
		if (key == null) {
			return true;
		}
		boolean opened = update(key, c -> {
			if (c.connections >= limits.connectionsPerAddress()) {
				return false;
			}
			c.connections++;
			return true;
		});
		if (!opened) {
			connections.decrementAndGet();
		}
		return opened;
	}

	void closeConnection(String key) {
		connections.decrementAndGet();
		if (key == null) {
			return;
		}
		update(key, c -> {
			c.connections = Math.max(0, c.connections - 1);
			return true;
		});
	}

	int openConnections() {
		return connections.get();
	}

	// ------------------------------------------------------------------ rates

	/** @return {@code 0} when the request may run, else the seconds to wait ({@code Retry-After}) */
	long admitRequest(String key) {
		if (key == null) {
			return 0;
		}
		long now = nanos.getAsLong();
		return client(key).requests(now).take(1, now);
	}

	/** Counts the body bytes of a {@code POST /v1/messages}. */
	long admitPostBytes(String key, long bytes) {
		if (key == null) {
			return 0;
		}
		long now = nanos.getAsLong();
		return client(key).postBytes(now).take(Math.max(1, bytes), now);
	}

	long admitSignalPost(String key) {
		if (key == null) {
			return 0;
		}
		long now = nanos.getAsLong();
		return client(key).signals(now).take(1, now);
	}

	/** Counts a circle whose key this client binds for the first time. */
	long admitNewCircle(String key) {
		if (key == null) {
			return 0;
		}
		long now = nanos.getAsLong();
		return client(key).circles(now).take(1, now);
	}

	// ------------------------------------------------------------------ answers waiting to be read

	/** Whether a (possibly large) answer may be produced for this client now. */
	boolean outboundAllowed(String key) {
		if (outbound.get() >= limits.outboundBytesTotal()) {
			return false;
		}
		if (key == null) {
			return true;
		}
		Client c = clients.get(key);
		if (c == null) {
			return true;
		}
		synchronized (c) {
			return c.outbound < limits.outboundBytesPerAddress();
		}
	}

	void outboundAdded(String key, long bytes) {
		outbound.addAndGet(bytes);
		if (key != null) {
			update(key, c -> {
				c.outbound += bytes;
				return true;
			});
		}
	}

	void outboundReleased(String key, long bytes) {
		outbound.addAndGet(-bytes);
		if (key != null) {
			update(key, c -> {
				c.outbound = Math.max(0, c.outbound - bytes);
				return true;
			});
		}
	}

	long outboundBytes() {
		return outbound.get();
	}

	/** Forgets clients that have nothing open and full buckets (called by the prune task). */
	int prune() {
		long now = nanos.getAsLong();
		int[] removed = new int[1];
		for (String key : clients.keySet()) {
			clients.computeIfPresent(key, (k, c) -> {
				if (c.idle(now)) {
					removed[0]++;
					return null;
				}
				return c;
			});
		}
		return removed[0];
	}

	int trackedClients() {
		return clients.size();
	}
}
