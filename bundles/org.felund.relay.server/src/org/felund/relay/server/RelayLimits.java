package org.felund.relay.server;

import java.time.Duration;
import java.util.Objects;

/**
 * What one client, one circle and one connection may take from a relay: the bounds that keep an outsider from
 * pinning its memory, filling its disk or starving other clients (see {@code docs/security.md}).
 *
 * <p><b>Addresses.</b> Per-address limits apply to the client's address: the TCP peer, or the forwarded address
 * when the peer is a trusted proxy ({@link TrustProxy}); IPv6 addresses count per {@code /64}. Connections and
 * requests that come from a trusted proxy without a forwarding header (local tools, a proxy's own checks) are not
 * limited per address. With several instances every instance counts for itself.
 *
 * @param connectionsPerAddress      open TCP connections (HTTP and WebSocket) per client address; more are closed at
 *                                   once
 * @param maxConnections             open TCP connections in total (WebSockets also count against
 *                                   {@link RelayConfig#wsMaxConnections()})
 * @param requestTimeout             once the first byte of a request has arrived, the whole request must arrive within
 *                                   this time, or the connection is closed (slow senders, "slowloris")
 * @param writeTimeout               an answer the client has not taken within this time closes the connection (a
 *                                   client that sends but never reads)
 * @param maxPageBytes               stored bytes per {@code GET /v1/messages} page, {@code GET /v1/signal} answer and
 *                                   WebSocket catch-up frame; the page is cut (with {@code more}) once it is reached
 *                                   (it always holds at least one row)
 * @param outboundBytesPerAddress    answer bytes waiting for one client address to read them; beyond this, its reads
 *                                   get {@code 503} until it reads
 * @param outboundBytesTotal         answer bytes waiting for all clients together
 * @param requestsPerSecond          API requests per second and client address (token bucket)
 * @param requestBurst               the bucket's size: requests an address may send at once
 * @param postBytesPerSecond         {@code POST /v1/messages} body bytes per second and client address
 * @param postBurstBytes             the bucket's size in bytes
 * @param newCirclesPerHour          circles (signing keys) a client address may bind per hour
 * @param signalPostsPerAddress      {@code POST /v1/signal} per client address and signal window
 * @param signalPostsPerRecipient    {@code POST /v1/signal} per {@code to_node_id} and signal window, shared by all
 *                                   instances
 * @param signalMailboxRows          unexpired signals waiting for one recipient
 * @param signalMailboxBytes         their payload bytes
 * @param circleQuotaMessages        unexpired messages stored for one circle hint
 * @param circleQuotaBytes           their bytes; a post that would exceed either gets {@code 507}
 */
public record RelayLimits(int connectionsPerAddress, int maxConnections, Duration requestTimeout,
		Duration writeTimeout, int maxPageBytes, long outboundBytesPerAddress, long outboundBytesTotal,
		double requestsPerSecond, int requestBurst, long postBytesPerSecond, long postBurstBytes,
		int newCirclesPerHour, int signalPostsPerAddress, int signalPostsPerRecipient, int signalMailboxRows,
		long signalMailboxBytes, long circleQuotaMessages, long circleQuotaBytes) {

	public RelayLimits {
		atLeast(connectionsPerAddress, 1, "connections per address");
		atLeast(maxConnections, 1, "maximum connections");
		positive(requestTimeout, "request timeout");
		positive(writeTimeout, "write timeout");
		atLeast(maxPageBytes, 64 * 1024, "page bytes");
		atLeast(outboundBytesPerAddress, 1, "outbound bytes per address");
		atLeast(outboundBytesTotal, 1, "outbound bytes in total");
		if (!(requestsPerSecond > 0)) {
			throw new IllegalArgumentException("requests per second must be positive, got " + requestsPerSecond);
		}
		atLeast(requestBurst, 1, "request burst");
		atLeast(postBytesPerSecond, 1, "post bytes per second");
		atLeast(postBurstBytes, 64 * 1024, "post burst bytes");
		atLeast(newCirclesPerHour, 1, "new circles per hour");
		atLeast(signalPostsPerAddress, 1, "signal posts per address");
		atLeast(signalPostsPerRecipient, 1, "signal posts per recipient");
		atLeast(signalMailboxRows, 1, "signal mailbox rows");
		atLeast(signalMailboxBytes, 64 * 1024, "signal mailbox bytes");
		atLeast(circleQuotaMessages, 1, "circle quota messages");
		atLeast(circleQuotaBytes, 64 * 1024, "circle quota bytes");
	}

	/** The defaults: generous for people (many web clients behind one NAT), tight for one hostile address. */
	public static RelayLimits defaults() {
		long heap = Runtime.getRuntime().maxMemory();
		long total = heap == Long.MAX_VALUE ? 256L << 20 : Math.max(16L << 20, Math.min(256L << 20, heap / 4));
		return new RelayLimits(256, 16_384, Duration.ofSeconds(30), Duration.ofSeconds(30), 2 << 20, 16L << 20, total,
				100, 500, 64 * 1024, 4L << 20, 20, 60, 60, 200, 1L << 20, 200_000, 256L << 20);
	}

	private static void atLeast(long value, long min, String what) {
		if (value < min) {
			throw new IllegalArgumentException(what + " must be at least " + min + ", got " + value);
		}
	}

	private static void positive(Duration d, String what) {
		Objects.requireNonNull(d, what);
		if (d.isNegative() || d.isZero()) {
			throw new IllegalArgumentException(what + " must be positive, got " + d);
		}
	}

	public RelayLimits withConnectionsPerAddress(int v) {
		return new RelayLimits(v, maxConnections, requestTimeout, writeTimeout, maxPageBytes, outboundBytesPerAddress,
				outboundBytesTotal, requestsPerSecond, requestBurst, postBytesPerSecond, postBurstBytes,
				newCirclesPerHour, signalPostsPerAddress, signalPostsPerRecipient, signalMailboxRows, signalMailboxBytes,
				circleQuotaMessages, circleQuotaBytes);
	}

	public RelayLimits withMaxConnections(int v) {
		return new RelayLimits(connectionsPerAddress, v, requestTimeout, writeTimeout, maxPageBytes,
				outboundBytesPerAddress, outboundBytesTotal, requestsPerSecond, requestBurst, postBytesPerSecond,
				postBurstBytes, newCirclesPerHour, signalPostsPerAddress, signalPostsPerRecipient, signalMailboxRows,
				signalMailboxBytes, circleQuotaMessages, circleQuotaBytes);
	}

	public RelayLimits withTimeouts(Duration request, Duration write) {
		return new RelayLimits(connectionsPerAddress, maxConnections, request, write, maxPageBytes,
				outboundBytesPerAddress, outboundBytesTotal, requestsPerSecond, requestBurst, postBytesPerSecond,
				postBurstBytes, newCirclesPerHour, signalPostsPerAddress, signalPostsPerRecipient, signalMailboxRows,
				signalMailboxBytes, circleQuotaMessages, circleQuotaBytes);
	}

	public RelayLimits withMaxPageBytes(int v) {
		return new RelayLimits(connectionsPerAddress, maxConnections, requestTimeout, writeTimeout, v,
				outboundBytesPerAddress, outboundBytesTotal, requestsPerSecond, requestBurst, postBytesPerSecond,
				postBurstBytes, newCirclesPerHour, signalPostsPerAddress, signalPostsPerRecipient, signalMailboxRows,
				signalMailboxBytes, circleQuotaMessages, circleQuotaBytes);
	}

	public RelayLimits withOutboundBytes(long perAddress, long total) {
		return new RelayLimits(connectionsPerAddress, maxConnections, requestTimeout, writeTimeout, maxPageBytes,
				perAddress, total, requestsPerSecond, requestBurst, postBytesPerSecond, postBurstBytes,
				newCirclesPerHour, signalPostsPerAddress, signalPostsPerRecipient, signalMailboxRows, signalMailboxBytes,
				circleQuotaMessages, circleQuotaBytes);
	}

	public RelayLimits withRequestRate(double perSecond, int burst) {
		return new RelayLimits(connectionsPerAddress, maxConnections, requestTimeout, writeTimeout, maxPageBytes,
				outboundBytesPerAddress, outboundBytesTotal, perSecond, burst, postBytesPerSecond, postBurstBytes,
				newCirclesPerHour, signalPostsPerAddress, signalPostsPerRecipient, signalMailboxRows, signalMailboxBytes,
				circleQuotaMessages, circleQuotaBytes);
	}

	public RelayLimits withPostRate(long bytesPerSecond, long burstBytes) {
		return new RelayLimits(connectionsPerAddress, maxConnections, requestTimeout, writeTimeout, maxPageBytes,
				outboundBytesPerAddress, outboundBytesTotal, requestsPerSecond, requestBurst, bytesPerSecond, burstBytes,
				newCirclesPerHour, signalPostsPerAddress, signalPostsPerRecipient, signalMailboxRows, signalMailboxBytes,
				circleQuotaMessages, circleQuotaBytes);
	}

	public RelayLimits withNewCirclesPerHour(int v) {
		return new RelayLimits(connectionsPerAddress, maxConnections, requestTimeout, writeTimeout, maxPageBytes,
				outboundBytesPerAddress, outboundBytesTotal, requestsPerSecond, requestBurst, postBytesPerSecond,
				postBurstBytes, v, signalPostsPerAddress, signalPostsPerRecipient, signalMailboxRows, signalMailboxBytes,
				circleQuotaMessages, circleQuotaBytes);
	}

	public RelayLimits withSignalLimits(int perAddress, int perRecipient, int mailboxRows, long mailboxBytes) {
		return new RelayLimits(connectionsPerAddress, maxConnections, requestTimeout, writeTimeout, maxPageBytes,
				outboundBytesPerAddress, outboundBytesTotal, requestsPerSecond, requestBurst, postBytesPerSecond,
				postBurstBytes, newCirclesPerHour, perAddress, perRecipient, mailboxRows, mailboxBytes,
				circleQuotaMessages, circleQuotaBytes);
	}

	public RelayLimits withCircleQuota(long messages, long bytes) {
		return new RelayLimits(connectionsPerAddress, maxConnections, requestTimeout, writeTimeout, maxPageBytes,
				outboundBytesPerAddress, outboundBytesTotal, requestsPerSecond, requestBurst, postBytesPerSecond,
				postBurstBytes, newCirclesPerHour, signalPostsPerAddress, signalPostsPerRecipient, signalMailboxRows,
				signalMailboxBytes, messages, bytes);
	}
}
