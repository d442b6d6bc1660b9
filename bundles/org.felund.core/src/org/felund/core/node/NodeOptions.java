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
 */
public record NodeOptions(LongSupplier clock, RetentionPolicy retention, Duration pruneInterval,
		Duration feedPollInterval) {
	public NodeOptions {
		Objects.requireNonNull(clock, "clock");
		Objects.requireNonNull(retention, "retention");
		Objects.requireNonNull(pruneInterval, "pruneInterval");
		Objects.requireNonNull(feedPollInterval, "feedPollInterval");
		if (pruneInterval.isNegative() || feedPollInterval.isNegative()) {
			throw new IllegalArgumentException("Intervals must not be negative");
		}
	}

	/** The reference's retention, pruning every 10 minutes, the change feed read every second. */
	public static NodeOptions defaults() {
		return new NodeOptions(() -> System.currentTimeMillis() / 1000, RetentionPolicy.REFERENCE,
				Duration.ofMinutes(10), Duration.ofSeconds(1));
	}

	/** Defaults without any timer: for one-shot commands and tests. */
	public static NodeOptions oneShot() {
		return defaults().withPruneInterval(Duration.ZERO).withFeedPollInterval(Duration.ZERO);
	}

	public NodeOptions withClock(LongSupplier newClock) {
		return new NodeOptions(newClock, retention, pruneInterval, feedPollInterval);
	}

	public NodeOptions withRetention(RetentionPolicy newRetention) {
		return new NodeOptions(clock, newRetention, pruneInterval, feedPollInterval);
	}

	public NodeOptions withPruneInterval(Duration interval) {
		return new NodeOptions(clock, retention, interval, feedPollInterval);
	}

	public NodeOptions withFeedPollInterval(Duration interval) {
		return new NodeOptions(clock, retention, pruneInterval, interval);
	}
}
