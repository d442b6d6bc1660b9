package org.felund.core.node;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

import org.felund.api.anchor.AnchorPolicy;
import org.felund.api.anchor.AnchorStore;
import org.felund.api.model.AnchorRecord;
import org.felund.api.store.CircleStore;

/**
 * What the node's {@link AnchorPolicy} decides: whether this node offers to anchor, with which peers it runs the
 * anchor exchange, and which anchors it uses per circle, in the routing chain's order. The policy is asked again
 * whenever an {@code ANCHOR_ANNOUNCE} is accepted, a member's reachability changes and on the router's tick, so a
 * dead anchor is replaced without waiting for an announcement. Without a policy the node offers nothing and exchanges
 * with any peer that offers.
 * <p>
 * The records handed to the policy carry the node's own evidence of liveness in {@code last_seen_ts}: an anchor that a
 * transport reaches now counts as seen now (announcements come once a minute, the staleness limit is 20 s, §10 #19),
 * and one whose last live connection closed counts as stale once {@link #LOST_GRACE_SECONDS} have passed without it
 * announcing or being reached again. The grace keeps a connection that drops and is dialled again at once (a peer busy
 * for a moment, a reset) from moving the circle's anchor and back; a killed anchor is still replaced well within the
 * 20 s the staleness limit allows.
 */
final class Anchors {
	private static final System.Logger LOG = System.getLogger(Anchors.class.getName());
	static final long LOST_GRACE_SECONDS = 5;

	private final CircleStore state;
	private final Members members;
	private final LongSupplier clock;
	private final Map<String, List<String>> order = new ConcurrentHashMap<>();
	private volatile AnchorPolicy policy;
	private volatile AnchorStore store;
	private volatile BiConsumer<String, List<String>> onChange = (circleId, anchors) -> {
	};

	Anchors(CircleStore state, Members members, LongSupplier clock) {
		this.state = state;
		this.members = members;
		this.clock = clock;
	}

	void policy(AnchorPolicy newPolicy) {
		policy = newPolicy;
		order.clear();
		if (newPolicy != null) {
			state.circles().forEach(c -> recordsChanged(c.circleId()));
		}
	}

	Optional<AnchorPolicy> policy() {
		return Optional.ofNullable(policy);
	}

	void store(AnchorStore newStore) {
		store = newStore;
	}

	Optional<AnchorStore> store() {
		return Optional.ofNullable(store);
	}

	/** Called (on any thread) with the circle and its new order when a circle's anchor order changed. */
	void onChange(BiConsumer<String, List<String>> listener) {
		onChange = listener;
	}

	boolean offers() {
		AnchorPolicy p = policy;
		if (p == null) {
			return false;
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

	/** Ask the policy again for every circle (the router's tick: records go stale without any event). */
	void refreshAll() {
		if (policy == null) {
			return;
		}
		state.circles().forEach(c -> recordsChanged(c.circleId()));
	}

	/** The circle's anchor records or a member's reachability changed: ask the policy again. */
	void recordsChanged(String circleId) {
		AnchorPolicy p = policy;
		if (p == null) {
			return;
		}
		try {
			List<String> now = List.copyOf(p.order(circleId, effectiveRecords(circleId), clock.getAsLong()));
			List<String> before = now.isEmpty() ? order.remove(circleId) : order.put(circleId, now);
			if (!now.equals(before == null ? List.of() : before)) {
				onChange.accept(circleId, now);
			}
		} catch (RuntimeException e) {
			LOG.log(Level.WARNING, "The anchor policy failed to select an anchor for circle " + circleId, e);
		}
	}

	/** The stored records with this node's evidence of liveness folded into {@code last_seen_ts}. */
	List<AnchorRecord> effectiveRecords(String circleId) {
		long now = clock.getAsLong();
		List<AnchorRecord> out = new ArrayList<>();
		for (AnchorRecord r : state.anchors(circleId)) {
			long seen = r.lastSeenTs();
			OptionalLong lost = members.lostSince(circleId, r.nodeId());
			if (members.reached(circleId, r.nodeId())) {
				seen = Math.max(seen, now);
			} else if (lost.isPresent() && seen <= lost.getAsLong()) {
				// its live connection closed and it has not announced since: gone after the grace
				seen = now - lost.getAsLong() < LOST_GRACE_SECONDS ? lost.getAsLong() : 0;
			}
			out.add(new AnchorRecord(r.circleId(), r.nodeId(), r.canAnchor(), r.publicReachable(), r.isMobile(),
					r.announcedAt(), seen));
		}
		return out;
	}

	Optional<String> selected(String circleId) {
		List<String> o = order.get(circleId);
		return o == null || o.isEmpty() ? Optional.empty() : Optional.of(o.get(0));
	}

	List<String> order(String circleId) {
		return order.getOrDefault(circleId, List.of());
	}

	void forget(String circleId) {
		order.remove(circleId);
	}
}
