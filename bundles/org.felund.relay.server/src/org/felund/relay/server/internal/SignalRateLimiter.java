package org.felund.relay.server.internal;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Fixed-window rate limit per sender node for {@code POST /v1/signal} (reference: 20 posts per 10 s).
 */
final class SignalRateLimiter {
	private final int limit;
	private final long windowMillis;
	private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

	private static final class Window {
		final long start;
		int count;

		Window(long start) {
			this.start = start;
		}
	}

	SignalRateLimiter(int limit, long windowMillis) {
		this.limit = limit;
		this.windowMillis = windowMillis;
	}

	/**
	 * Counts one post by {@code node}.
	 *
	 * @return {@code 0} if allowed, otherwise the whole seconds (at least 1) until the window ends
	 */
	long acquire(String node, long nowMillis) {
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

	/** Drops windows that ended long ago (called by the prune task). */
	int prune(long nowMillis) {
		int before = windows.size();
		windows.entrySet().removeIf(e -> nowMillis - e.getValue().start >= 2 * windowMillis);
		return before - windows.size();
	}

	int size() {
		return windows.size();
	}
}
