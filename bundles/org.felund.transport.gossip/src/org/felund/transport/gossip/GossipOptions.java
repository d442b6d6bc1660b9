package org.felund.transport.gossip;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link GossipTransport}.
 *
 * @param bindHost address the server listens on ({@code 0.0.0.0} for all interfaces)
 * @param port TCP port (the reference default is 9999; 0 picks a free port, see {@link GossipTransport#boundPort()})
 * @param advertisedHost host put into {@code HELLO.listen_addr}; empty means the bind host, or the local
 *            address of each outgoing connection when bound to a wildcard address
 * @param interval pause between gossip rounds (reference: 5 s)
 * @param fanOut peers dialled per circle and round, newest {@code last_seen} first (reference: 5)
 * @param connectTimeout how long a dial may take (the reference has none, which stalls its whole round)
 * @param readTimeout how long a frame may take to arrive (reference: 30 s)
 * @param maxBackoff upper bound of the exponential back-off for peers that failed
 * @param allowLegacyPlaintext accept sessions without frame encryption: a reference client that sends no
 *            {@code nonce}, or a server that answers {@code enc_ready:false}. Off by default, because such a
 *            session carries every message and peer address in clear text; switch it on only to talk to very
 *            old reference nodes on a trusted network.
 * @param extensions offer and accept the Felund extensions ({@code felund_ext}) with our own nodes: sequence
 *            numbers, live push and range reconciliation (see docs/protocol-extensions.md)
 * @param ioThreads Netty I/O threads (sockets, line framing)
 * @param workerThreads threads that run the protocol and call into the node (blocking store access)
 */
public record GossipOptions(String bindHost, int port, String advertisedHost, Duration interval, int fanOut,
		Duration connectTimeout, Duration readTimeout, Duration maxBackoff, boolean allowLegacyPlaintext,
		boolean extensions, int ioThreads, int workerThreads) {

	public static final int REFERENCE_PORT = 9999;

	public GossipOptions {
		Objects.requireNonNull(bindHost, "bindHost");
		advertisedHost = advertisedHost == null ? "" : advertisedHost.trim();
		Objects.requireNonNull(interval, "interval");
		Objects.requireNonNull(connectTimeout, "connectTimeout");
		Objects.requireNonNull(readTimeout, "readTimeout");
		Objects.requireNonNull(maxBackoff, "maxBackoff");
		if (port < 0 || port > 65535) {
			throw new IllegalArgumentException("Gossip port must be 0..65535, got " + port);
		}
		if (interval.isNegative() || interval.isZero()) {
			throw new IllegalArgumentException("Gossip interval must be positive, got " + interval);
		}
		if (fanOut < 1) {
			throw new IllegalArgumentException("Gossip fan-out must be at least 1, got " + fanOut);
		}
		if (readTimeout.isNegative() || readTimeout.isZero() || connectTimeout.isNegative()
				|| connectTimeout.isZero()) {
			throw new IllegalArgumentException("Gossip timeouts must be positive");
		}
		if (ioThreads < 1 || workerThreads < 1) {
			throw new IllegalArgumentException("Gossip needs at least one I/O and one worker thread");
		}
	}

	/** The reference's cadence and limits, listening on all interfaces at port 9999, encryption required. */
	public static GossipOptions defaults() {
		return new GossipOptions("0.0.0.0", REFERENCE_PORT, "", Duration.ofSeconds(5), 5, Duration.ofSeconds(5),
				Duration.ofSeconds(30), Duration.ofMinutes(5), false, true, 1, 2);
	}

	/** Loopback on a free port: what tests and in-JVM multi-node runs use. */
	public static GossipOptions loopback() {
		return defaults().withBind("127.0.0.1", 0);
	}

	public GossipOptions withBind(String host, int newPort) {
		return new GossipOptions(host, newPort, advertisedHost, interval, fanOut, connectTimeout, readTimeout,
				maxBackoff, allowLegacyPlaintext, extensions, ioThreads, workerThreads);
	}

	public GossipOptions withAdvertisedHost(String host) {
		return new GossipOptions(bindHost, port, host, interval, fanOut, connectTimeout, readTimeout, maxBackoff,
				allowLegacyPlaintext, extensions, ioThreads, workerThreads);
	}

	public GossipOptions withInterval(Duration newInterval) {
		return new GossipOptions(bindHost, port, advertisedHost, newInterval, fanOut, connectTimeout, readTimeout,
				maxBackoff, allowLegacyPlaintext, extensions, ioThreads, workerThreads);
	}

	public GossipOptions withFanOut(int newFanOut) {
		return new GossipOptions(bindHost, port, advertisedHost, interval, newFanOut, connectTimeout, readTimeout,
				maxBackoff, allowLegacyPlaintext, extensions, ioThreads, workerThreads);
	}

	public GossipOptions withTimeouts(Duration connect, Duration read) {
		return new GossipOptions(bindHost, port, advertisedHost, interval, fanOut, connect, read, maxBackoff,
				allowLegacyPlaintext, extensions, ioThreads, workerThreads);
	}

	public GossipOptions withMaxBackoff(Duration newMaxBackoff) {
		return new GossipOptions(bindHost, port, advertisedHost, interval, fanOut, connectTimeout, readTimeout,
				newMaxBackoff, allowLegacyPlaintext, extensions, ioThreads, workerThreads);
	}

	public GossipOptions withAllowLegacyPlaintext(boolean allow) {
		return new GossipOptions(bindHost, port, advertisedHost, interval, fanOut, connectTimeout, readTimeout,
				maxBackoff, allow, extensions, ioThreads, workerThreads);
	}

	public GossipOptions withExtensions(boolean enabled) {
		return new GossipOptions(bindHost, port, advertisedHost, interval, fanOut, connectTimeout, readTimeout,
				maxBackoff, allowLegacyPlaintext, enabled, ioThreads, workerThreads);
	}

	public GossipOptions withThreads(int io, int workers) {
		return new GossipOptions(bindHost, port, advertisedHost, interval, fanOut, connectTimeout, readTimeout,
				maxBackoff, allowLegacyPlaintext, extensions, io, workers);
	}
}
