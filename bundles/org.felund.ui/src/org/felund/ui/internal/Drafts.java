package org.felund.ui.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Unsent text per channel: what the composer held when the user looked elsewhere or quit, given back when the
 * channel is shown again (also after a restart, through {@code persist}).
 * <p>
 * Used on the UI thread only.
 */
public final class Drafts {
	private final Map<String, String> drafts = new HashMap<>();
	private final BiConsumer<String, String> persist;

	/**
	 * @param saved drafts saved before, by {@link UnreadCounts#key}
	 * @param persist called with a key and its new text ("" = remove) after each change
	 */
	public Drafts(Map<String, String> saved, BiConsumer<String, String> persist) {
		saved.forEach((k, v) -> {
			if (v != null && !v.isBlank() && k.indexOf('/') > 0) {
				drafts.put(k, v);
			}
		});
		this.persist = persist;
	}

	public String get(ChannelRef ref) {
		return ref == null ? "" : drafts.getOrDefault(UnreadCounts.key(ref.circleId(), ref.channelId()), "");
	}

	/** Keeps {@code text} for the channel; blank text drops its draft. */
	public void put(ChannelRef ref, String text) {
		if (ref == null) {
			return;
		}
		String key = UnreadCounts.key(ref.circleId(), ref.channelId());
		String value = text == null || text.isBlank() ? "" : text;
		String before = value.isEmpty() ? drafts.remove(key) : drafts.put(key, value);
		if (!value.equals(before == null ? "" : before)) {
			persist.accept(key, value);
		}
	}

	/** A channel with unsent text, if any. */
	public Optional<ChannelRef> any() {
		return drafts.keySet().stream().sorted().findFirst().map(k -> {
			int slash = k.indexOf('/');
			return new ChannelRef(k.substring(0, slash), k.substring(slash + 1));
		});
	}

	public void forgetCircle(String circleId) {
		String prefix = circleId + "/";
		drafts.keySet().stream().filter(k -> k.startsWith(prefix)).toList().forEach(k -> {
			drafts.remove(k);
			persist.accept(k, "");
		});
	}
}
