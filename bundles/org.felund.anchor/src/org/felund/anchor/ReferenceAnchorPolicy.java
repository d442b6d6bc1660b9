package org.felund.anchor;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;

import org.felund.api.anchor.AnchorPolicy;
import org.felund.api.model.AnchorRecord;

/**
 * The reference's anchor ranking (protocol §6.1): candidates are the circle's anchor records that offer to anchor
 * and were seen within the last 20 s; the score is {@code 8·public_reachable + 4·can_anchor + 2·(not is_mobile)}
 * plus a tiebreak in [0, 1); the selected anchor is kept while it stays a candidate for 60 s. The tiebreak is a
 * CRC-32 of the node id, the same on every node and across restarts (the reference's is salted per process).
 * <p>
 * Like the reference, the anchor exchange runs with any peer that offers to anchor; the ranking tells which anchor
 * the node prefers. Thread-safe.
 */
public final class ReferenceAnchorPolicy implements AnchorPolicy {
	public static final long STALENESS_SECONDS = 20;
	public static final long COOLDOWN_SECONDS = 60;

	private record Selection(String nodeId, long since) {
	}

	private final Map<String, Selection> selected = new ConcurrentHashMap<>();
	private volatile boolean offer;

	public ReferenceAnchorPolicy(boolean offer) {
		this.offer = offer;
	}

	public void setOffer(boolean offer) {
		this.offer = offer;
	}

	@Override
	public boolean offersAnchor() {
		return offer;
	}

	@Override
	public Optional<String> select(String circleId, List<AnchorRecord> records, long nowSeconds) {
		List<AnchorRecord> candidates = records.stream().filter(AnchorRecord::canAnchor)
				.filter(r -> nowSeconds - r.lastSeenTs() <= STALENESS_SECONDS)
				.sorted(Comparator.comparingDouble(ReferenceAnchorPolicy::score).reversed()
						.thenComparing(AnchorRecord::nodeId))
				.toList();
		Selection current = selected.get(circleId);
		if (current != null && nowSeconds - current.since() < COOLDOWN_SECONDS
				&& candidates.stream().anyMatch(r -> r.nodeId().equals(current.nodeId()))) {
			return Optional.of(current.nodeId());
		}
		if (candidates.isEmpty()) {
			selected.remove(circleId);
			return Optional.empty();
		}
		String best = candidates.get(0).nodeId();
		if (current == null || !current.nodeId().equals(best)) {
			selected.put(circleId, new Selection(best, nowSeconds));
		}
		return Optional.of(best);
	}

	static double score(AnchorRecord r) {
		return (r.publicReachable() ? 8 : 0) + (r.canAnchor() ? 4 : 0) + (r.isMobile() ? 0 : 2) + tiebreak(r.nodeId());
	}

	static double tiebreak(String nodeId) {
		CRC32 crc = new CRC32();
		crc.update(nodeId.getBytes(StandardCharsets.UTF_8));
		return crc.getValue() / 4294967296.0;
	}
}
