package org.felund.core.control;

import org.felund.api.control.ControlEvent;
import org.felund.api.control.ChannelEvent;
import org.felund.api.control.CircleNameEvent;
import org.felund.api.control.AnchorAnnounce;
import org.felund.api.control.CallEvent;
import org.felund.protocol.control.ChannelIds;
import org.felund.protocol.wire.Json;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

import org.felund.api.model.AccessMode;
import org.felund.api.model.AnchorRecord;
import org.felund.api.model.Channel;
import org.felund.api.model.ChatMessage;
import org.felund.api.model.Circle;
import org.felund.api.store.CircleStore;

/**
 * Applies accepted control events to a node's state with the reference's rules (protocol §5.2-5.5). Events are
 * applied in arrival order; authorization is as advisory as in the reference, except for the host-only call rules.
 * Callers serialize calls per node.
 */
public final class ControlApplier {
	/** Live names and circle names keep the first 40 characters, like the reference. */
	public static final int NAME_LIMIT = 40;

	private final CircleStore store;
	private final CallRegistry calls;
	private final LongSupplier nowSeconds;

	public ControlApplier(CircleStore store, CallRegistry calls, LongSupplier nowSeconds) {
		this.store = store;
		this.calls = calls;
		this.nowSeconds = nowSeconds;
	}

	/**
	 * Applies one event carried by an accepted message of {@code circleId}.
	 *
	 * @return true if the circle's channels, names, anchors or calls changed
	 */
	public boolean apply(String circleId, ChatMessage carrier, ControlEvent event) {
		return switch (event) {
		case ChannelEvent e -> applyChannel(circleId, e);
		case CircleNameEvent e -> applyCircleName(circleId, e);
		case AnchorAnnounce e -> applyAnchor(circleId, e);
		case CallEvent e -> calls.apply(circleId, e, carrier, store.members(circleId));
		};
	}

	/** The implicit public {@code general} channel every circle has. */
	public void ensureGeneral(String circleId) {
		if (store.channel(circleId, ChatMessage.GENERAL).isEmpty()) {
			store.putChannel(new Channel(circleId, ChatMessage.GENERAL, AccessMode.PUBLIC, "", nowSeconds.getAsLong(),
					"", Set.of(), Set.of()));
		}
	}

	private boolean applyChannel(String circleId, ChannelEvent e) {
		ensureGeneral(circleId);
		if (e.op() == ChannelEvent.Op.RENAME) {
			if (blank(e.nodeId()) || blank(e.displayName())) {
				return false;
			}
			String name = Json.firstCodePoints(e.displayName().strip(), NAME_LIMIT);
			if (name.equals(store.displayName(circleId, e.nodeId().strip()).orElse(null))) {
				return false;
			}
			store.setDisplayName(circleId, e.nodeId().strip(), name);
			return true;
		}
		Optional<String> channelId = ChannelIds.acceptFromEvent(e.channelId());
		if (channelId.isEmpty()) {
			return false;
		}
		String id = channelId.get();
		Optional<Channel> existing = store.channel(circleId, id);
		if (e.op() == ChannelEvent.Op.CREATE) {
			String owner = e.owner();
			if (existing.isEmpty()) {
				AccessMode mode = AccessMode.fromWire(e.accessMode());
				long created = e.createdTs() != null ? e.createdTs() : nowSeconds.getAsLong();
				String keyHash = mode == AccessMode.KEY && e.keyHash() != null ? e.keyHash() : "";
				Set<String> members = owner.isEmpty() ? Set.of() : Set.of(owner);
				store.putChannel(new Channel(circleId, id, mode, owner, created, keyHash, members, Set.of()));
				return true;
			}
			// First create wins; the owner still becomes a member.
			Channel c = existing.get();
			if (owner.isEmpty() || c.members().contains(owner)) {
				return false;
			}
			store.putChannel(withMembers(c, plus(c.members(), owner), c.pendingRequests()));
			return true;
		}
		Channel c = existing.orElseGet(() -> new Channel(circleId, id, AccessMode.PUBLIC,
				e.actorNodeId() == null ? "" : e.actorNodeId(), nowSeconds.getAsLong(), "", Set.of(), Set.of()));
		boolean created = existing.isEmpty();
		Channel updated = switch (e.op()) {
		case JOIN -> blank(e.nodeId()) ? c
				: withMembers(c, plus(c.members(), e.nodeId()), minus(c.pendingRequests(), e.nodeId()));
		case LEAVE -> blank(e.nodeId()) || ChatMessage.GENERAL.equals(id) ? c
				: withMembers(c, minus(c.members(), e.nodeId()), minus(c.pendingRequests(), e.nodeId()));
		case REQUEST -> blank(e.nodeId()) ? c
				: withMembers(c, c.members(), plus(c.pendingRequests(), e.nodeId()));
		case APPROVE -> blank(e.targetNodeId()) ? c
				: withMembers(c, plus(c.members(), e.targetNodeId()), minus(c.pendingRequests(), e.targetNodeId()));
		default -> c;
		};
		if (created || !updated.equals(c)) {
			store.putChannel(updated);
			return true;
		}
		return false;
	}

	private boolean applyCircleName(String circleId, CircleNameEvent e) {
		// Applied to the circle of the carrying message; the event's own circle_id is not compared (reference rule).
		String name = Json.firstCodePoints(e.name().strip(), NAME_LIMIT);
		Optional<Circle> circle = store.circle(circleId);
		if (circle.isEmpty() || name.isEmpty() || name.equals(circle.get().name())) {
			return false;
		}
		Circle c = circle.get();
		store.putCircle(new Circle(c.circleId(), c.circleHint(), name, c.joinedTs(), c.bootstrapPeer()));
		return true;
	}

	private boolean applyAnchor(String circleId, AnchorAnnounce e) {
		long now = nowSeconds.getAsLong();
		Optional<AnchorRecord> existing = store.anchors(circleId).stream()
				.filter(a -> a.nodeId().equals(e.nodeId())).findFirst();
		if (existing.isPresent() && e.announcedAt() <= existing.get().announcedAt()) {
			AnchorRecord a = existing.get();
			store.putAnchor(new AnchorRecord(circleId, a.nodeId(), a.canAnchor(), a.publicReachable(), a.isMobile(),
					a.announcedAt(), now));
			return false;
		}
		store.putAnchor(new AnchorRecord(circleId, e.nodeId(), e.canAnchor(), e.publicReachable(), e.isMobile(),
				e.announcedAt(), now));
		return true;
	}

	private static Channel withMembers(Channel c, Set<String> members, Set<String> pending) {
		return new Channel(c.circleId(), c.channelId(), c.accessMode(), c.ownerNodeId(), c.createdTs(), c.keyHash(),
				members, pending);
	}

	private static Set<String> plus(Set<String> set, String value) {
		Set<String> out = new HashSet<>(set);
		out.add(value);
		return out;
	}

	private static Set<String> minus(Set<String> set, String value) {
		Set<String> out = new HashSet<>(set);
		out.remove(value);
		return out;
	}

	private static boolean blank(String s) {
		return s == null || s.isBlank();
	}
}
