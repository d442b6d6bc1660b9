package org.felund.core.node;

import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.felund.api.anchor.AnchorPolicy;
import org.felund.api.store.CircleStore;

/**
 * What the node's {@link AnchorPolicy} decides: whether this node offers to anchor, with which peers it runs the
 * anchor exchange, and which anchor it prefers per circle (handed the circle's {@code ANCHOR_ANNOUNCE} records each
 * time they change). Without a policy the node offers nothing (unless the deprecated {@code NodeService.configure}
 * asked it to, until that goes away) and exchanges with any peer that offers.
 */
final class Anchors {
	private static final System.Logger LOG = System.getLogger(Anchors.class.getName());

	private final CircleStore state;
	private final LongSupplier clock;
	/** The anchor offer of the deprecated {@code NodeService.configure}, used only while no policy is bound. */
	private final java.util.function.BooleanSupplier legacyOffer;
	private final Map<String, String> selected = new ConcurrentHashMap<>();
	private volatile AnchorPolicy policy;

	Anchors(CircleStore state, LongSupplier clock, java.util.function.BooleanSupplier legacyOffer) {
		this.state = state;
		this.clock = clock;
		this.legacyOffer = legacyOffer;
	}

	void policy(AnchorPolicy newPolicy) {
		policy = newPolicy;
		selected.clear();
		if (newPolicy != null) {
			state.circles().forEach(c -> recordsChanged(c.circleId()));
		}
	}

	Optional<AnchorPolicy> policy() {
		return Optional.ofNullable(policy);
	}

	boolean offers() {
		AnchorPolicy p = policy;
		if (p == null) {
			return legacyOffer.getAsBoolean();
		}
		try {
			return p.offersAnchor();
		} catch (RuntimeException e) {
			LOG.log(Level.WARNING, "The anchor policy failed; offering nothing", e);
			return false;
		}
	}

	boolean exchangeWith(String circleId, String peerNodeId, boolean peerCanAnchor) {
		AnchorPolicy p = policy;
		if (p == null) {
			return peerCanAnchor;
		}
		try {
			return p.exchangeWith(circleId, peerNodeId, peerCanAnchor);
		} catch (RuntimeException e) {
			LOG.log(Level.WARNING, "The anchor policy failed; using the peer's offer", e);
			return peerCanAnchor;
		}
	}

	/** The circle's anchor records changed (an {@code ANCHOR_ANNOUNCE} was accepted): ask the policy again. */
	void recordsChanged(String circleId) {
		AnchorPolicy p = policy;
		if (p == null) {
			return;
		}
		try {
			Optional<String> choice = p.select(circleId, state.anchors(circleId), clock.getAsLong());
			if (choice.isPresent()) {
				selected.put(circleId, choice.get());
			} else {
				selected.remove(circleId);
			}
		} catch (RuntimeException e) {
			LOG.log(Level.WARNING, "The anchor policy failed to select an anchor for circle " + circleId, e);
		}
	}

	Optional<String> selected(String circleId) {
		return Optional.ofNullable(selected.get(circleId));
	}

	void forget(String circleId) {
		selected.remove(circleId);
	}
}
