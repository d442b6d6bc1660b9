package org.felund.api.store;

import java.util.Map;

/**
 * How much history a store keeps. {@link #KEEP_ALL} deletes nothing; {@link #REFERENCE} is the reference client's
 * (30 days and 1,000 messages per circle), which exists because the reference rewrites one JSON file.
 *
 * @param maxAgeSeconds messages older than this (by {@code created_ts}) are dropped; 0 = no age limit
 * @param maxPerCircle at most this many messages per circle, oldest by (created_ts, msg_id) dropped first; 0 = no cap
 * @param maxPerChannel optional per-channel caps, keyed by channel id, oldest by (created_ts, msg_id) dropped
 *            first; 0 = no cap. Applied before {@code maxPerCircle}.
 * @param maxAgePerChannel optional per-channel age limits in seconds, keyed by channel id; 0 = no age limit
 */
public record RetentionPolicy(long maxAgeSeconds, int maxPerCircle, Map<String, Integer> maxPerChannel,
		Map<String, Long> maxAgePerChannel) {
	public static final RetentionPolicy KEEP_ALL = new RetentionPolicy(0, 0, Map.of());
	public static final RetentionPolicy REFERENCE = new RetentionPolicy(30L * 24 * 3600, 1000, Map.of());

	public RetentionPolicy {
		maxPerChannel = Map.copyOf(maxPerChannel);
		maxAgePerChannel = Map.copyOf(maxAgePerChannel);
		if (maxAgeSeconds < 0 || maxPerCircle < 0) {
			throw new IllegalArgumentException("Retention limits must not be negative");
		}
		maxPerChannel.forEach((channel, cap) -> {
			if (cap < 0) {
				throw new IllegalArgumentException("The retention cap of channel " + channel + " is negative: " + cap);
			}
		});
		maxAgePerChannel.forEach((channel, age) -> {
			if (age < 0) {
				throw new IllegalArgumentException("The age limit of channel " + channel + " is negative: " + age);
			}
		});
	}

	public RetentionPolicy(long maxAgeSeconds, int maxPerCircle, Map<String, Integer> maxPerChannel) {
		this(maxAgeSeconds, maxPerCircle, maxPerChannel, Map.of());
	}

	/** Whether this policy deletes nothing. */
	public boolean keepsAll() {
		return maxAgeSeconds == 0 && maxPerCircle == 0 && maxPerChannel.values().stream().allMatch(c -> c == 0)
				&& maxAgePerChannel.values().stream().allMatch(a -> a == 0);
	}
}
