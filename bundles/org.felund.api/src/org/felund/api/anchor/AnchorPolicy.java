package org.felund.api.anchor;

import java.util.List;
import java.util.Optional;

import org.felund.api.model.AnchorRecord;

/**
 * Chooses which anchor a node pushes to and pulls from for a circle. Swappable: the reference ranking
 * (score, staleness, hysteresis) is one implementation.
 */
public interface AnchorPolicy {
	/** The anchor to use now, given the circle's anchor records, or empty for none. */
	Optional<String> select(String circleId, List<AnchorRecord> candidates, long nowSeconds);

	/**
	 * The anchors of a circle in the order the routing chain tries them: the one {@link #select} keeps first, then
	 * the other candidates by rank. The default is the selection alone.
	 */
	default List<String> order(String circleId, List<AnchorRecord> candidates, long nowSeconds) {
		return select(circleId, candidates, nowSeconds).map(List::of).orElse(List.of());
	}

	/** Whether this node offers to keep ciphertext for others (advertised as {@code can_anchor}). */
	default boolean offersAnchor() {
		return false;
	}

	/** Whether to run the anchor exchange with a peer that advertised {@code can_anchor}. */
	default boolean exchangeWith(String circleId, String peerNodeId, boolean peerCanAnchor) {
		return peerCanAnchor;
	}
}
