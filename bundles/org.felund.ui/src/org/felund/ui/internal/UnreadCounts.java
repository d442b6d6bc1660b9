package org.felund.ui.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * Unread messages per channel: counted when a message of someone else arrives in a channel the user is not
 * looking at (or while the window is in the background), cleared when the user looks at the channel. The counts
 * are kept across restarts through {@code persist}; messages that arrive while the app is closed are counted when
 * the first sync brings them.
 * <p>
 * Used on the UI thread only.
 */
public final class UnreadCounts {
	private final Map<String, Integer> counts = new HashMap<>();
	private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
	private final BiConsumer<String, Integer> persist;

	/**
	 * @param saved counts saved before, by {@link #key}
	 * @param persist called with a key and its new count (0 = remove) after each change
	 */
	public UnreadCounts(Map<String, Integer> saved, BiConsumer<String, Integer> persist) {
		saved.forEach((k, v) -> {
			if (v != null && v > 0 && k.indexOf('/') > 0) {
				counts.put(k, v);
			}
		});
		this.persist = persist;
	}

	public static String key(String circleId, String channelId) {
		return circleId + "/" + channelId;
	}

	public int count(String circleId, String channelId) {
		return counts.getOrDefault(key(circleId, channelId), 0);
	}

	public int circleTotal(String circleId) {
		String prefix = circleId + "/";
		return counts.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToInt(Map.Entry::getValue)
				.sum();
	}

	public int total() {
		return counts.values().stream().mapToInt(Integer::intValue).sum();
	}

	public void increment(String circleId, String channelId) {
		String k = key(circleId, channelId);
		int n = counts.merge(k, 1, Integer::sum);
		persist.accept(k, n);
		changed();
	}

	public void clear(String circleId, String channelId) {
		String k = key(circleId, channelId);
		if (counts.remove(k) != null) {
			persist.accept(k, 0);
			changed();
		}
	}

	public void forgetCircle(String circleId) {
		String prefix = circleId + "/";
		List<String> gone = counts.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
		if (gone.isEmpty()) {
			return;
		}
		gone.forEach(k -> {
			counts.remove(k);
			persist.accept(k, 0);
		});
		changed();
	}

	/** Listeners run after every change, on the thread that changed the counts (the UI thread). */
	public void addListener(Runnable listener) {
		listeners.add(listener);
	}

	public void removeListener(Runnable listener) {
		listeners.remove(listener);
	}

	private void changed() {
		listeners.forEach(Runnable::run);
	}
}
