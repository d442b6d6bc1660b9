package org.felund.core.control;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

import org.felund.api.control.AnchorAnnounce;
import org.felund.api.control.CallEvent;
import org.felund.api.control.ChannelEvent;
import org.felund.api.control.CircleNameEvent;
import org.felund.api.control.ControlMessage;
import org.felund.api.model.AccessMode;
import org.felund.api.model.AnchorRecord;
import org.felund.api.model.Channel;
import org.felund.api.model.ChatMessage;
import org.felund.api.model.Circle;
import org.felund.api.store.CircleStore;
import org.felund.protocol.control.ChannelIds;
import org.felund.protocol.wire.Json;

/**
 * Applies accepted control events to a node's channels, names and anchor records with the reference's rules
 * (protocol §5.2-5.4), in arrival order. Where the reference trusts the self-declared actor, this node's own state
 * also requires that the carrying message's author (whom the circle key authenticates as a member) is that actor:
 * an event acting for someone else (a rename of another node, an approval by someone who does not own the channel,
 * a membership change of another node, an anchor announced for another node) changes nothing here, while reference
 * nodes, which never send such events, read ours as before. Call events change nothing: call state belongs to the
 * calls plugin, which observes them through the control-event service. Callers serialize calls per node.
 */
public final class ControlApplier {
	/** Live names and circle names keep the first 40 characters, like the reference. */
	public static final int NAME_LIMIT = 40;

	private final CircleStore store;
	private final LongSupplier nowSeconds;

	public ControlApplier(CircleStore store, LongSupplier nowSeconds) {
		this.store = store;
		this.nowSeconds = nowSeconds;
	}

	/**
	 * Applies one event carried by an accepted message of {@code circleId}.
	 *
	 * @return true if the circle's channels, names or anchors changed, or for any call event: call state is the calls
	 *         plugin's, but chats show a line for each call event (accepted or ignored), so they re-read the news
	 */
	public boolean apply(String circleId, ControlMessage message) {
		if (message.event() instanceof CallEvent) {
			return true;
		}
		if (!message.actorIsAuthor()) {
			return false;
		}
		String author = message.authorNodeId();
		return switch (message.event()) {
		case ChannelEvent e -> applyChannel(circleId, e, author);
		case CircleNameEvent e -> applyCircleName(circleId, e);
		case AnchorAnnounce e -> applyAnchor(circleId, e);
		case CallEvent e -> true;
		};
	}

	/** The implicit public {@code general} channel every circle has. */
	public void ensureGeneral(String circleId) {
		if (store.channel(circleId, ChatMessage.GENERAL).isEmpty()) {
			store.putChannel(new Channel(circleId, ChatMessage.GENERAL, AccessMode.PUBLIC, "", nowSeconds.getAsLong(),
					"", Set.of(), Set.of()));
		}
	}

	private boolean applyChannel(String circleId, ChannelEvent e, String author) {
		ensureGeneral(circleId);
		boolean forSomeoneElse = !blank(e.nodeId()) && !e.nodeId().strip().equals(author);
		if (e.op() == ChannelEvent.Op.RENAME) {
			if (blank(e.nodeId()) || blank(e.displayName()) || forSomeoneElse) {
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
			if (!owner.isEmpty() && !owner.equals(author)) {
				return false; // created_by names someone else (the actor, when present, is the author)
			}
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
		if ((e.op() == ChannelEvent.Op.JOIN || e.op() == ChannelEvent.Op.REQUEST || e.op() == ChannelEvent.Op.LEAVE)
				&& forSomeoneElse) {
			return false; // only a node itself joins, asks or leaves
		}
		if (e.op() == ChannelEvent.Op.APPROVE && existing.isPresent()
				&& !existing.get().ownerNodeId().isEmpty() && !existing.get().ownerNodeId().equals(author)) {
			return false; // only the owner lets someone in (the reference does not check)
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

	/**
	 * The announcing node is the author: {@link ControlMessage#actorIsAuthor()} compares {@code node_id}. The record's
	 * {@code last_seen_ts} becomes now only for an announcement made within {@link #ANNOUNCE_FRESHNESS_SECONDS} of now
	 * (clocks differ a little): an old one that arrives late, with a sync of history after the anchor died, must not
	 * make it look alive (the reference sets now for any).
	 */
	private boolean applyAnchor(String circleId, AnchorAnnounce e) {
		long now = nowSeconds.getAsLong();
		boolean fresh = Math.abs(now - e.announcedAt()) <= ANNOUNCE_FRESHNESS_SECONDS;
		Optional<AnchorRecord> existing = store.anchors(circleId).stream()
				.filter(a -> a.nodeId().equals(e.nodeId())).findFirst();
		long seen = fresh ? now : Math.min(now, e.announcedAt());
		if (existing.isPresent()) {
			seen = Math.max(seen, existing.get().lastSeenTs());
		}
		if (existing.isPresent() && e.announcedAt() <= existing.get().announcedAt()) {
			AnchorRecord a = existing.get();
			store.putAnchor(new AnchorRecord(circleId, a.nodeId(), a.canAnchor(), a.publicReachable(), a.isMobile(),
					a.announcedAt(), seen));
			return false;
		}
		store.putAnchor(new AnchorRecord(circleId, e.nodeId(), e.canAnchor(), e.publicReachable(), e.isMobile(),
				e.announcedAt(), seen));
		return true;
	}

	/** How far an announcement's time may be from ours for it to count as a sign of life now. */
	public static final long ANNOUNCE_FRESHNESS_SECONDS = 120;

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
