package org.felund.transport.relay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.felund.transport.relay.internal.RelayUrl;

/**
 * Settings of a {@link RelayTransport}.
 * <p>
 * <b>Which relays.</b> {@code urls}, in order; none means no relay: the transport stays {@code OFFLINE} and sends
 * nothing. With several, every message goes to each of them and is taken from any (members need to share only one
 * relay with us, and messages cross between relays through this node). To use other relays, detach and attach a
 * transport with other options (the DS component does so when its configuration changes); cursors are kept per relay
 * URL, so coming back to a relay resumes where it stopped.
 * <p>
 * <b>What it advertises.</b> Presence carries the first {@code DIRECT} endpoint that the node's transports advertise
 * ({@code TransportContext.endpoints()}, e.g. gossip's {@code host:port}); {@code tcpEndpoint} replaces it when set.
 *
 * @param urls relay bases, {@code http(s)://host[:port][/prefix]} ({@code /v1} is appended unless a base already
 *            ends with it), normalized ({@link RelayUrl#base()}), without repeats, at most {@value #MAX_RELAYS}
 * @param pollInterval pause between HTTP cycles while no WebSocket is up (web client: 5 s, Python: 8 s)
 * @param livePollInterval pause between HTTP cycles while every circle's WebSocket is up (a safety net only)
 * @param batchSize messages per {@code POST /v1/messages}, 1 to {@value #MAX_BATCH} (both relays refuse more)
 * @param pullLimit {@code limit} of {@code GET /v1/messages}, 1 to {@value #MAX_PULL_LIMIT}; the reference relays
 *            lose the rest of a full page, so the largest page they serve is the default
 * @param webSocket use {@code /v1/relay/ws} for live delivery (HTTP polling always continues as the fallback)
 * @param presenceTtl {@code ttl_s} of the presence registration (30 to 600 s); it is refreshed at half of it
 * @param peerInterval pause between peer lookups of a circle
 * @param requestTimeout connect and response timeout of one HTTP request or WebSocket handshake
 * @param minBackoff first delay after a failure (relay unreachable, socket closed); doubled per failure
 * @param maxBackoff upper bound of that delay
 * @param socketIdleTimeout a socket that has received nothing (not even a protocol ping) for this long is dropped;
 *            the reference relay pings every 15 s
 * @param tcpEndpoint a TCP address to advertise in presence instead of the node's {@code DIRECT} endpoints:
 *            {@code host:port}, {@code [v6]:port}, {@code :port} (host as the relay observes it), or {@code ""}
 */
public record RelayOptions(List<String> urls, Duration pollInterval, Duration livePollInterval,
		int batchSize, int pullLimit, boolean webSocket, Duration presenceTtl, Duration peerInterval,
		Duration requestTimeout, Duration minBackoff, Duration maxBackoff, Duration socketIdleTimeout,
		String tcpEndpoint) {

	public static final int MAX_BATCH = 50;
	public static final int MAX_RELAYS = 8;
	public static final int MAX_PULL_LIMIT = 500;

	public RelayOptions {
		urls = normalized(urls);
		tcpEndpoint = tcpEndpoint == null ? "" : tcpEndpoint.trim();
		positive(pollInterval, "poll interval");
		positive(livePollInterval, "live poll interval");
		positive(peerInterval, "peer lookup interval");
		positive(requestTimeout, "request timeout");
		positive(minBackoff, "minimum back-off");
		positive(maxBackoff, "maximum back-off");
		positive(socketIdleTimeout, "socket idle timeout");
		Objects.requireNonNull(presenceTtl, "presence TTL");
		if (batchSize < 1 || batchSize > MAX_BATCH) {
			throw new IllegalArgumentException("Relay batch size must be 1.." + MAX_BATCH + ", got " + batchSize);
		}
		if (pullLimit < 1 || pullLimit > MAX_PULL_LIMIT) {
			throw new IllegalArgumentException("Relay pull limit must be 1.." + MAX_PULL_LIMIT + ", got " + pullLimit);
		}
		if (presenceTtl.toSeconds() < 30 || presenceTtl.toSeconds() > 600) {
			throw new IllegalArgumentException("Relay presence TTL must be 30..600 s, got " + presenceTtl.toSeconds());
		}
		if (minBackoff.compareTo(maxBackoff) > 0) {
			throw new IllegalArgumentException("Relay minimum back-off " + minBackoff + " exceeds the maximum " + maxBackoff);
		}
		if (!tcpEndpoint.isEmpty()) {
			org.felund.transport.relay.internal.TcpEndpoint.parse(tcpEndpoint);
		}
	}

	private static List<String> normalized(List<String> urls) {
		Set<String> out = new LinkedHashSet<>();
		for (String url : urls == null ? List.<String>of() : urls) {
			if (url != null && !url.isBlank()) {
				out.add(RelayUrl.parse(url).base());
			}
		}
		if (out.size() > MAX_RELAYS) {
			throw new IllegalArgumentException("At most " + MAX_RELAYS + " relays, got " + out.size());
		}
		return List.copyOf(new ArrayList<>(out));
	}

	private static void positive(Duration d, String what) {
		Objects.requireNonNull(d, what);
		if (d.isNegative() || d.isZero()) {
			throw new IllegalArgumentException("Relay " + what + " must be positive, got " + d);
		}
	}

	/** The web client's cadence (5 s polls, 120 s presence), 50-message batches, WebSocket on, no relay yet. */
	public static RelayOptions defaults() {
		return new RelayOptions(List.of(), Duration.ofSeconds(5), Duration.ofSeconds(60), MAX_BATCH,
				MAX_PULL_LIMIT, true, Duration.ofSeconds(120), Duration.ofSeconds(30), Duration.ofSeconds(10),
				Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(45), "");
	}

	/** The defaults with this relay. */
	public static RelayOptions fixed(String url) {
		return defaults().withBaseUrl(url);
	}

	/** One relay ({@code ""}: none). */
	public RelayOptions withBaseUrl(String url) {
		return withUrls(url == null || url.isBlank() ? List.of() : List.of(url));
	}

	public RelayOptions withUrls(List<String> relayUrls) {
		return new RelayOptions(relayUrls, pollInterval, livePollInterval, batchSize, pullLimit, webSocket,
				presenceTtl, peerInterval, requestTimeout, minBackoff, maxBackoff, socketIdleTimeout, tcpEndpoint);
	}

	public RelayOptions withPollIntervals(Duration poll, Duration livePoll) {
		return new RelayOptions(urls, poll, livePoll, batchSize, pullLimit, webSocket, presenceTtl,
				peerInterval, requestTimeout, minBackoff, maxBackoff, socketIdleTimeout, tcpEndpoint);
	}

	public RelayOptions withBatchSize(int size) {
		return new RelayOptions(urls, pollInterval, livePollInterval, size, pullLimit, webSocket,
				presenceTtl, peerInterval, requestTimeout, minBackoff, maxBackoff, socketIdleTimeout, tcpEndpoint);
	}

	public RelayOptions withPullLimit(int limit) {
		return new RelayOptions(urls, pollInterval, livePollInterval, batchSize, limit, webSocket,
				presenceTtl, peerInterval, requestTimeout, minBackoff, maxBackoff, socketIdleTimeout, tcpEndpoint);
	}

	public RelayOptions withWebSocket(boolean enabled) {
		return new RelayOptions(urls, pollInterval, livePollInterval, batchSize, pullLimit, enabled,
				presenceTtl, peerInterval, requestTimeout, minBackoff, maxBackoff, socketIdleTimeout, tcpEndpoint);
	}

	public RelayOptions withPresence(Duration ttl, Duration peerLookupInterval) {
		return new RelayOptions(urls, pollInterval, livePollInterval, batchSize, pullLimit, webSocket,
				ttl, peerLookupInterval, requestTimeout, minBackoff, maxBackoff, socketIdleTimeout, tcpEndpoint);
	}

	public RelayOptions withTimeouts(Duration request, Duration socketIdle) {
		return new RelayOptions(urls, pollInterval, livePollInterval, batchSize, pullLimit, webSocket,
				presenceTtl, peerInterval, request, minBackoff, maxBackoff, socketIdle, tcpEndpoint);
	}

	public RelayOptions withBackoff(Duration min, Duration max) {
		return new RelayOptions(urls, pollInterval, livePollInterval, batchSize, pullLimit, webSocket,
				presenceTtl, peerInterval, requestTimeout, min, max, socketIdleTimeout, tcpEndpoint);
	}

	public RelayOptions withTcpEndpoint(String endpoint) {
		return new RelayOptions(urls, pollInterval, livePollInterval, batchSize, pullLimit, webSocket,
				presenceTtl, peerInterval, requestTimeout, minBackoff, maxBackoff, socketIdleTimeout, endpoint);
	}
}
