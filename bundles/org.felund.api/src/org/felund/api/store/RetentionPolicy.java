package org.felund.api.store;

import java.util.Map;

/**
 * How much history a node keeps. The default is the reference's: 30 days and 1,000 messages per circle.
 *
 * @param maxAgeSeconds messages older than this (by {@code created_ts}) are dropped; 0 = no age limit
 * @param maxPerCircle at most this many messages per circle, oldest by (created_ts, msg_id) dropped first; 0 = no cap
 * @param maxPerChannel optional per-channel caps, keyed by channel id, oldest by (created_ts, msg_id) dropped
 *            first; 0 = no cap. Applied before {@code maxPerCircle}.
 */
public record RetentionPolicy(long maxAgeSeconds, int maxPerCircle, Map<String, Integer> maxPerChannel) {
	public static final RetentionPolicy REFERENCE = new RetentionPolicy(30L * 24 * 3600, 1000, Map.of());

	public RetentionPolicy {
		maxPerChannel = Map.copyOf(maxPerChannel);
		if (maxAgeSeconds < 0 || maxPerCircle < 0) {
			throw new IllegalArgumentException("Retention limits must not be negative");
		}
		maxPerChannel.forEach((channel, cap) -> {
			if (cap < 0) {
				throw new IllegalArgumentException("The retention cap of channel " + channel + " is negative: " + cap);
			}
		});
	}
}
