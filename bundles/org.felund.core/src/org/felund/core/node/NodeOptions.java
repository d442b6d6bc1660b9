package org.felund.core.node;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

import org.felund.api.store.RetentionPolicy;

/**
 * How a {@link Node} runs.
 *
 * @param clock Unix seconds (tests pin it)
 * @param retention what history is kept; pruned at start and every {@code pruneInterval}
 * @param pruneInterval pause between retention runs; zero disables the timer (prune with {@link Node#pruneNow()})
 * @param feedPollInterval how often the store's change feed is read for messages stored by another process on the
 *            same home (e.g. a CLI {@code send} beside a running node); zero disables polling
 * @param defaultBindHost gossip bind host used until one is configured
 * @param defaultPort gossip port used until one is configured (reference: 9999)
 */
public record NodeOptions(LongSupplier clock, RetentionPolicy retention, Duration pruneInterval,
		Duration feedPollInterval, String defaultBindHost, int defaultPort) {
	public static final int REFERENCE_PORT = 9999;

	public NodeOptions {
		Objects.requireNonNull(clock, "clock");
		Objects.requireNonNull(retention, "retention");
		Objects.requireNonNull(pruneInterval, "pruneInterval");
		Objects.requireNonNull(feedPollInterval, "feedPollInterval");
		Objects.requireNonNull(defaultBindHost, "defaultBindHost");
		if (pruneInterval.isNegative() || feedPollInterval.isNegative()) {
			throw new IllegalArgumentException("Intervals must not be negative");
		}
		if (defaultPort < 1 || defaultPort > 65535) {
			throw new IllegalArgumentException("The default port must be 1..65535, got " + defaultPort);
		}
	}

	/** The reference's retention, pruning every 10 minutes, the change feed read every second, port 9999. */
	public static NodeOptions defaults() {
		return new NodeOptions(() -> System.currentTimeMillis() / 1000, RetentionPolicy.REFERENCE,
				Duration.ofMinutes(10), Duration.ofSeconds(1), "0.0.0.0", REFERENCE_PORT);
	}

	/** Defaults without any timer: for one-shot commands and tests. */
	public static NodeOptions oneShot() {
		return defaults().withPruneInterval(Duration.ZERO).withFeedPollInterval(Duration.ZERO);
	}

	public NodeOptions withClock(LongSupplier newClock) {
		return new NodeOptions(newClock, retention, pruneInterval, feedPollInterval, defaultBindHost, defaultPort);
	}

	public NodeOptions withRetention(RetentionPolicy newRetention) {
		return new NodeOptions(clock, newRetention, pruneInterval, feedPollInterval, defaultBindHost, defaultPort);
	}

	public NodeOptions withPruneInterval(Duration interval) {
		return new NodeOptions(clock, retention, interval, feedPollInterval, defaultBindHost, defaultPort);
	}

	public NodeOptions withFeedPollInterval(Duration interval) {
		return new NodeOptions(clock, retention, pruneInterval, interval, defaultBindHost, defaultPort);
	}

	public NodeOptions withDefaultBind(String host, int port) {
		return new NodeOptions(clock, retention, pruneInterval, feedPollInterval, host, port);
	}
}
