package org.felund.protocol.sync;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

import org.felund.api.store.SyncKey;

/**
 * The (created_ts, msg_id) keys of one circle with a per-key hash, for range-based set reconciliation. A
 * range's fingerprint is SHA-256 over the count and the lane-wise sums of the 128-bit key hashes, so it does not
 * depend on insertion order and two sides with the same set agree without exchanging ids. Thread-safe.
 */
public final class RangeIndex {
	/** Sorts before every real key: (0, "") is the start of the key space. */
	public static final SyncKey MIN = new SyncKey(Long.MIN_VALUE, "");

	private final NavigableMap<SyncKey, long[]> keys = new TreeMap<>();

	public synchronized void add(SyncKey key) {
		keys.computeIfAbsent(key, RangeIndex::hash);
	}

	public synchronized void addAll(List<SyncKey> all) {
		for (SyncKey key : all) {
			keys.computeIfAbsent(key, RangeIndex::hash);
		}
	}

	public synchronized int size() {
		return keys.size();
	}

	/** Count and fingerprint of {@code [lo, hi)}; {@code hi == null} is open. */
	public synchronized Summary summarize(SyncKey lo, SyncKey hi) {
		long a = 0;
		long b = 0;
		int n = 0;
		for (long[] h : range(lo, hi).values()) {
			a += h[0];
			b += h[1];
			n++;
		}
		return new Summary(n, fingerprint(n, a, b));
	}

	public synchronized List<SyncKey> keys(SyncKey lo, SyncKey hi) {
		return new ArrayList<>(range(lo, hi).keySet());
	}

	public synchronized int count(SyncKey lo, SyncKey hi) {
		return range(lo, hi).size();
	}

	/**
	 * Splits {@code [lo, hi)} into at most {@code parts} sub-ranges holding about equal numbers of our keys; returns
	 * the upper bounds, the last one being {@code hi}. Bounds are the shortest keys that separate neighbours, so
	 * they cost a few bytes on the wire.
	 */
	public synchronized List<SyncKey> splitBounds(SyncKey lo, SyncKey hi, int parts) {
		List<SyncKey> inRange = new ArrayList<>(range(lo, hi).keySet());
		List<SyncKey> bounds = new ArrayList<>();
		int n = inRange.size();
		for (int i = 1; i < parts; i++) {
			int at = (int) ((long) i * n / parts);
			if (at <= 0 || at >= n) {
				continue;
			}
			SyncKey bound = separator(inRange.get(at - 1), inRange.get(at));
			if (bounds.isEmpty() || bounds.get(bounds.size() - 1).compareTo(bound) < 0) {
				bounds.add(bound);
			}
		}
		bounds.add(hi);
		return bounds;
	}

	/** The shortest key {@code k} with {@code prev < k <= next}. */
	static SyncKey separator(SyncKey prev, SyncKey next) {
		if (prev.createdTs() != next.createdTs()) {
			return new SyncKey(next.createdTs(), "");
		}
		String p = prev.msgId();
		String q = next.msgId();
		int i = 0;
		while (i < q.length() && i < p.length() && p.charAt(i) == q.charAt(i)) {
			i++;
		}
		return new SyncKey(next.createdTs(), q.substring(0, Math.min(q.length(), i + 1)));
	}

	private NavigableMap<SyncKey, long[]> range(SyncKey lo, SyncKey hi) {
		SyncKey from = lo == null ? MIN : lo;
		return hi == null ? keys.tailMap(from, true) : keys.subMap(from, true, hi, false);
	}

	private static long[] hash(SyncKey key) {
		byte[] d = sha256(key.msgId().getBytes(StandardCharsets.UTF_8));
		ByteBuffer bb = ByteBuffer.wrap(d);
		// The timestamp is mixed in so that the same id under another created_ts is another element.
		return new long[] { bb.getLong() ^ key.createdTs(), bb.getLong() };
	}

	private static String fingerprint(int n, long a, long b) {
		ByteBuffer bb = ByteBuffer.allocate(20).putInt(n).putLong(a).putLong(b);
		byte[] d = sha256(bb.array());
		return Base64.getEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(d, 12));
	}

	private static byte[] sha256(byte[] data) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(data);
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
		}
	}

	/** Number of keys in a range and its fingerprint (base64 of 12 bytes). */
	public record Summary(int count, String fingerprint) {
	}

	/** For tests: the keys with their order. */
	synchronized Map<SyncKey, long[]> snapshot() {
		return new TreeMap<>(keys);
	}
}
