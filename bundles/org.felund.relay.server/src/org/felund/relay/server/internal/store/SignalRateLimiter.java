package org.felund.relay.server.internal.store;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Fixed-window rate limit per sender node for {@code POST /v1/signal} (reference: 20 posts per 10 s), in
 * memory: the limit of a relay that runs as one process ({@link SqliteRelayStore}).
 */
final class SignalRateLimiter {
	private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

	private static final class Window {
		final long start;
		int count;

		Window(long start) {
			this.start = start;
		}
	}

	/**
	 * Counts one post by {@code node}.
	 *
	 * @return {@code 0} if allowed, otherwise the whole seconds (at least 1) until the window ends
	 */
	long acquire(String node, long nowMillis, int limit, long windowMillis) {
		long[] retryAfter = { 0 };
		windows.compute(node, (k, w) -> {
			Window current = w == null || nowMillis - w.start >= windowMillis ? new Window(nowMillis) : w;
			if (current.count >= limit) {
				long remaining = current.start + windowMillis - nowMillis;
				retryAfter[0] = Math.max(1, (remaining + 999) / 1000);
			} else {
				current.count++;
			}
			return current;
		});
		return retryAfter[0];
	}

	/** Drops windows that started before {@code cutoffMillis} (called by the prune task). */
	int prune(long cutoffMillis) {
		int before = windows.size();
		windows.entrySet().removeIf(e -> e.getValue().start < cutoffMillis);
		return before - windows.size();
	}
}
