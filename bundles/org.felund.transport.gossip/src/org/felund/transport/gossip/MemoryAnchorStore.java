package org.felund.transport.gossip;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.felund.api.anchor.AnchorStore;
import org.felund.api.model.ChatMessage;
import org.felund.protocol.wire.Json;
import org.felund.protocol.wire.MessageJson;

/**
 * The anchor's envelope store (protocol §6.2/§6.3): in memory only, ciphertext only, bounded per circle by
 * age (24 h by {@code created_ts}), count (500) and the summed compact-JSON size of the envelopes (50 MiB).
 * Envelopes without {@code enc} are refused, so no plaintext is ever kept on behalf of others. Thread-safe.
 */
public final class MemoryAnchorStore implements AnchorStore {
	public static final long MAX_AGE_SECONDS = 86_400;
	public static final int MAX_ENVELOPES = 500;
	public static final long MAX_BYTES = 50L * 1024 * 1024;

	private final long maxAgeSeconds;
	private final int maxEnvelopes;
	private final long maxBytes;
	private final Map<String, CircleEnvelopes> circles = new HashMap<>();
	private long sequence;

	public MemoryAnchorStore() {
		this(MAX_AGE_SECONDS, MAX_ENVELOPES, MAX_BYTES);
	}

	public MemoryAnchorStore(long maxAgeSeconds, int maxEnvelopes, long maxBytes) {
		this.maxAgeSeconds = maxAgeSeconds;
		this.maxEnvelopes = maxEnvelopes;
		this.maxBytes = maxBytes;
	}

	private record Stored(ChatMessage envelope, long seq, int bytes) {
	}

	private static final class CircleEnvelopes {
		final Map<String, Stored> byId = new LinkedHashMap<>();
		long bytes;
	}

	@Override
	public synchronized int push(String circleId, List<ChatMessage> envelopes, long nowSeconds) {
		CircleEnvelopes circle = circles.computeIfAbsent(circleId, id -> new CircleEnvelopes());
		for (ChatMessage envelope : envelopes) {
			if (envelope.msgId().isEmpty() || envelope.enc() == null || !circleId.equals(envelope.circleId())
					|| circle.byId.containsKey(envelope.msgId())) {
				continue;
			}
			ChatMessage cipherOnly = new ChatMessage(envelope.msgId(), envelope.circleId(), envelope.channelId(),
					envelope.authorNodeId(), envelope.createdTs(), "", "", "", 2, envelope.enc());
			int size = Json.compact(MessageJson.toRelayEnvelope(cipherOnly)).getBytes(StandardCharsets.UTF_8).length;
			circle.byId.put(cipherOnly.msgId(), new Stored(cipherOnly, ++sequence, size));
			circle.bytes += size;
		}
		prune(circle, nowSeconds);
		return envelopes.size();
	}

	private void prune(CircleEnvelopes circle, long nowSeconds) {
		circle.byId.values().removeIf(s -> {
			boolean old = nowSeconds - s.envelope().createdTs() > maxAgeSeconds;
			if (old) {
				circle.bytes -= s.bytes();
			}
			return old;
		});
		if (circle.byId.size() <= maxEnvelopes && circle.bytes <= maxBytes) {
			return;
		}
		List<Stored> oldestFirst = new ArrayList<>(circle.byId.values());
		oldestFirst.sort(Comparator.comparingLong((Stored s) -> s.envelope().createdTs()).thenComparingLong(Stored::seq));
		int i = 0;
		while (circle.byId.size() > maxEnvelopes || circle.bytes > maxBytes) {
			Stored drop = oldestFirst.get(i++);
			circle.byId.remove(drop.envelope().msgId());
			circle.bytes -= drop.bytes();
		}
	}

	/**
	 * Envelopes with {@code created_ts > since} (the reference anchor's filter), oldest {@code created_ts} first
	 * (ties in store order), so that a caller who cuts the list can move its cursor without skipping any.
	 */
	@Override
	public synchronized List<ChatMessage> pull(String circleId, long since, int limit) {
		CircleEnvelopes circle = circles.get(circleId);
		if (circle == null || limit <= 0) {
			return List.of();
		}
		return circle.byId.values().stream().filter(s -> s.envelope().createdTs() > since)
				.sorted(Comparator.comparingLong((Stored s) -> s.envelope().createdTs()).thenComparingLong(Stored::seq))
				.limit(limit).map(Stored::envelope).toList();
	}

	/** How many envelopes a circle holds now. */
	public synchronized int size(String circleId) {
		CircleEnvelopes circle = circles.get(circleId);
		return circle == null ? 0 : circle.byId.size();
	}

	/** The summed compact-JSON size of a circle's envelopes. */
	public synchronized long bytes(String circleId) {
		CircleEnvelopes circle = circles.get(circleId);
		return circle == null ? 0 : circle.bytes;
	}
}
