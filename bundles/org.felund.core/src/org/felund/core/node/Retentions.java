package org.felund.core.node;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.felund.api.model.Channel;
import org.felund.api.node.Retention;
import org.felund.api.store.CircleStore;
import org.felund.api.store.RetentionPolicy;
import org.felund.protocol.control.ChannelIds;

/**
 * The history each circle and channel keeps on this computer, as the person chose it (nothing chosen: everything is
 * kept). Kept in the node's settings, so the desktop and the command line on one home see the same choices; read at
 * every prune, so a choice made by another process counts at the next one.
 */
final class Retentions {
	private static final String PREFIX = "retention.";
	private static final long DAY = 86_400L;

	private final CircleStore state;

	Retentions(CircleStore state) {
		this.state = state;
	}

	/** The choice for a circle ({@code channelId} null) or a channel, if one was made. */
	Optional<Retention> get(String circleId, String channelId) {
		return state.setting(key(circleId, channelId)).flatMap(Retentions::parse);
	}

	/** Sets or (with null) takes back a choice. */
	void set(String circleId, String channelId, Retention retention) {
		state.putSetting(key(circleId, channelId), retention == null ? "" : format(retention));
	}

	/**
	 * What the store deletes in one circle: for each chat channel its own choice, else its circle's. Control events
	 * (channels, names, membership) are never deleted by a person's choice: they are small, and without them the
	 * circle's channels and names could not be told to members who join later.
	 */
	RetentionPolicy policy(String circleId) {
		Optional<Retention> circle = get(circleId, null);
		Map<String, Integer> counts = new HashMap<>();
		Map<String, Long> ages = new HashMap<>();
		for (Channel c : state.channels(circleId)) {
			if (ChannelIds.isControl(c.channelId())) {
				continue;
			}
			Retention r = get(circleId, c.channelId()).or(() -> circle).orElse(Retention.KEEP_ALL);
			if (r.maxMessages() > 0) {
				counts.put(c.channelId(), r.maxMessages());
			}
			if (r.maxAgeDays() > 0) {
				ages.put(c.channelId(), r.maxAgeDays() * DAY);
			}
		}
		return new RetentionPolicy(0, 0, counts, ages);
	}

	private static String key(String circleId, String channelId) {
		return PREFIX + circleId + (channelId == null ? "" : "#" + channelId);
	}

	/** {@code days:messages}, e.g. {@code 30:0}. */
	static String format(Retention r) {
		return r.maxAgeDays() + ":" + r.maxMessages();
	}

	static Optional<Retention> parse(String value) {
		if (value == null || value.isBlank()) {
			return Optional.empty();
		}
		String[] parts = value.strip().split(":");
		try {
			return Optional.of(new Retention(Integer.parseInt(parts[0]), parts.length > 1 ? Integer.parseInt(parts[1]) : 0));
		} catch (RuntimeException e) {
			return Optional.empty(); // a value this version cannot read keeps everything rather than deleting
		}
	}
}
