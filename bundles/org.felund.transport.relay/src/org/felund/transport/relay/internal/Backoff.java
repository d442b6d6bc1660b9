package org.felund.transport.relay.internal;

import java.time.Duration;

/** Exponential back-off: {@code min}, {@code 2·min}, {@code 4·min}, … capped at {@code max}. Not thread-safe. */
public final class Backoff {
	private final long minNanos;
	private final long maxNanos;
	private long nextNanos;

	public Backoff(Duration min, Duration max) {
		this.minNanos = min.toNanos();
		this.maxNanos = max.toNanos();
		this.nextNanos = minNanos;
	}

	/** The delay to wait now; the following call returns twice as much (up to the cap). */
	public long next() {
		long d = nextNanos;
		nextNanos = Math.min(maxNanos, d > maxNanos / 2 ? maxNanos : d * 2);
		return d;
	}

	public void reset() {
		nextNanos = minNanos;
	}

	public long max() {
		return maxNanos;
	}
}
