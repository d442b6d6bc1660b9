package org.felund.core.node;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

import org.felund.api.store.RetentionPolicy;

/**
 * How a {@link Node} runs.
 *
 * @param clock Unix seconds (tests pin it)
 * @param retention what history every circle keeps (besides each circle's and channel's own choice); pruned at start
 *            and every {@code pruneInterval}
 * @param pruneInterval pause between retention runs; zero disables the timer (prune with {@link Node#pruneNow()})
 * @param feedPollInterval how often the store's change feed is read for messages stored by another process on the
 *            same home (e.g. a CLI {@code send} beside a running node); zero disables polling
 * @param routeStep pause between two steps of the routing chain for a message nobody has accepted yet (and the
 *            router's tick, which also re-evaluates the anchors); zero disables the router
 * @param routeMaxBackoff longest pause between two rounds of the routing chain
 */
public record NodeOptions(LongSupplier clock, RetentionPolicy retention, Duration pruneInterval,
		Duration feedPollInterval, Duration routeStep, Duration routeMaxBackoff) {
	public NodeOptions {
		Objects.requireNonNull(clock, "clock");
		Objects.requireNonNull(retention, "retention");
		Objects.requireNonNull(pruneInterval, "pruneInterval");
		Objects.requireNonNull(feedPollInterval, "feedPollInterval");
		Objects.requireNonNull(routeStep, "routeStep");
		Objects.requireNonNull(routeMaxBackoff, "routeMaxBackoff");
		if (pruneInterval.isNegative() || feedPollInterval.isNegative() || routeStep.isNegative()
				|| routeMaxBackoff.isNegative()) {
			throw new IllegalArgumentException("Intervals must not be negative");
		}
	}

	public NodeOptions(LongSupplier clock, RetentionPolicy retention, Duration pruneInterval,
			Duration feedPollInterval) {
		this(clock, retention, pruneInterval, feedPollInterval, DEFAULT_ROUTE_STEP, DEFAULT_ROUTE_MAX_BACKOFF);
	}

	/** Five seconds between steps: a gossip interval, so a direct attempt has had its chance. */
	public static final Duration DEFAULT_ROUTE_STEP = Duration.ofSeconds(5);
	public static final Duration DEFAULT_ROUTE_MAX_BACKOFF = Duration.ofMinutes(5);

	/**
	 * All history kept (the reference's 30 days and 1,000 messages per circle exist because it rewrites one JSON file;
	 * the store needs no such limit), choices pruned every 10 minutes, the change feed read every second.
	 */
	public static NodeOptions defaults() {
		return new NodeOptions(() -> System.currentTimeMillis() / 1000, RetentionPolicy.KEEP_ALL,
				Duration.ofMinutes(10), Duration.ofSeconds(1));
	}

	/** Defaults without any timer: for one-shot commands and tests. */
	public static NodeOptions oneShot() {
		return defaults().withPruneInterval(Duration.ZERO).withFeedPollInterval(Duration.ZERO)
				.withRouting(Duration.ZERO, DEFAULT_ROUTE_MAX_BACKOFF);
	}

	public NodeOptions withRouting(Duration step, Duration maxBackoff) {
		return new NodeOptions(clock, retention, pruneInterval, feedPollInterval, step, maxBackoff);
	}

	public NodeOptions withClock(LongSupplier newClock) {
		return new NodeOptions(newClock, retention, pruneInterval, feedPollInterval, routeStep, routeMaxBackoff);
	}

	public NodeOptions withRetention(RetentionPolicy newRetention) {
		return new NodeOptions(clock, newRetention, pruneInterval, feedPollInterval, routeStep, routeMaxBackoff);
	}

	public NodeOptions withPruneInterval(Duration interval) {
		return new NodeOptions(clock, retention, interval, feedPollInterval, routeStep, routeMaxBackoff);
	}

	public NodeOptions withFeedPollInterval(Duration interval) {
		return new NodeOptions(clock, retention, pruneInterval, interval, routeStep, routeMaxBackoff);
	}
}
