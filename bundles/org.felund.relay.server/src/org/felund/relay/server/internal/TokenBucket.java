package org.felund.relay.server.internal;

/**
 * A token bucket: {@code capacity} tokens, refilled at {@code perSecond}. Time is passed in (nanoseconds), so it
 * needs no clock of its own. Thread-safe.
 */
final class TokenBucket {
	private final double capacity;
	private final double perNano;
	private double tokens;
	private long updated;

	TokenBucket(double capacity, double perSecond, long nowNanos) {
		this.capacity = capacity;
		this.perNano = perSecond / 1e9;
		this.tokens = capacity;
		this.updated = nowNanos;
	}

	/**
	 * Takes {@code cost} tokens if there are enough (a cost above the capacity takes a full bucket).
	 *
	 * @return {@code 0} if taken, otherwise the whole seconds (at least 1) until there would be enough
	 */
	synchronized long take(double cost, long nowNanos) {
		refill(nowNanos);
		double c = Math.min(cost, capacity);
		if (tokens >= c) {
			tokens -= c;
			return 0;
		}
		double missing = c - tokens;
		return Math.max(1, (long) Math.ceil(missing / perNano / 1e9));
	}

	/** Whether the bucket is full again (an idle client whose state can be forgotten). */
	synchronized boolean full(long nowNanos) {
		refill(nowNanos);
		return tokens >= capacity;
	}

	private void refill(long nowNanos) {
		long elapsed = nowNanos - updated;
		if (elapsed > 0) {
			tokens = Math.min(capacity, tokens + elapsed * perNano);
			updated = nowNanos;
		}
	}
}
