package org.felund.core.node;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.felund.api.model.Member;
import org.felund.api.node.ContactFailure;
import org.felund.api.model.Peer;
import org.felund.api.model.ProtocolException;
import org.felund.api.store.CircleStore;
import org.felund.protocol.invite.InviteCodes;
import org.felund.protocol.wire.Json;

/**
 * Who is in each circle and how they are reached: members (persisted), their live names (the first 40 characters of
 * the name their latest message carried), when each was last heard of (memory only), and which transports reach
 * them now (memory only, as reported by the transports). Thread-safe.
 */
final class Members {
	private static final int MAX_FAILURES = 8;
	private final CircleStore state;
	private final String selfId;
	private final Map<String, Set<String>> known = new ConcurrentHashMap<>();
	private final Map<String, String> liveNames = new ConcurrentHashMap<>();
	private final Map<String, Map<String, Set<String>>> reach = new ConcurrentHashMap<>();
	private final Map<String, Map<String, Long>> contacts = new ConcurrentHashMap<>();
	/** The latest failed attempt per transport and peer, per circle (memory only), for "nobody answered: why". */
	private final Map<String, Map<String, ContactFailure>> failures = new ConcurrentHashMap<>();
	/** Members whose last transport lost them (a live connection closed), since when: evidence they are gone. */
	private final Map<String, Map<String, Long>> lostSince = new ConcurrentHashMap<>();

	Members(CircleStore state, String selfId) {
		this.state = state;
		this.selfId = selfId;
	}

	/** This node joins or creates a circle. */
	void enter(String circleId) {
		state.addMember(circleId, selfId);
		known.computeIfAbsent(circleId, k -> ConcurrentHashMap.newKeySet()).add(selfId);
	}

	void forget(String circleId) {
		lostSince.remove(circleId);
		known.remove(circleId);
		reach.remove(circleId);
		contacts.remove(circleId);
		failures.remove(circleId);
		liveNames.keySet().removeIf(k -> k.startsWith(circleId + "|"));
	}

	/** Adds a member (persisted); true if it was new. */
	synchronized boolean remember(String circleId, String member) {
		Set<String> ids = known.computeIfAbsent(circleId, k -> {
			Set<String> s = ConcurrentHashMap.newKeySet();
			s.addAll(state.members(circleId));
			return s;
		});
		if (ids.contains(member)) {
			return false;
		}
		state.addMember(circleId, member);
		ids.add(member);
		return true;
	}

	/** The reference keeps the first 40 characters of a message's display name as the author's live name. */
	boolean rememberLiveName(String circleId, String author, String displayName) {
		if (displayName == null || displayName.isEmpty() || author.equals(selfId)) {
			return false;
		}
		String name = Json.firstCodePoints(displayName, NodeSettings.DISPLAY_NAME_LIMIT);
		String k = circleId + "|" + author;
		String cached = liveNames.computeIfAbsent(k, x -> state.displayName(circleId, author).orElse(""));
		if (name.equals(cached)) {
			return false;
		}
		state.setDisplayName(circleId, author, name);
		liveNames.put(k, name);
		return true;
	}

	/** Something of this member was heard at {@code seen}. */
	void touch(String circleId, String member, long seen) {
		contacts.computeIfAbsent(circleId, k -> new ConcurrentHashMap<>()).merge(member, seen, Math::max);
	}

	/**
	 * A transport learned of a peer: it becomes a member, and its address is kept when it is dialable.
	 *
	 * @return true if the circle's member list changed
	 */
	boolean peerSeen(String circleId, Peer peer, long now) {
		if (peer == null || peer.nodeId() == null || peer.nodeId().isBlank() || peer.nodeId().equals(selfId)
				|| state.circle(circleId).isEmpty()) {
			return false; // our own record would make us dial ourselves (reference quirk §10 #6)
		}
		String peerId = peer.nodeId().strip();
		long seen = Math.min(Math.max(peer.lastSeen(), 0), now);
		boolean changed = remember(circleId, peerId);
		String addr = peer.addr() == null ? "" : peer.addr().strip();
		if (!addr.isEmpty() && isDialable(addr)) {
			state.mergePeer(circleId, new Peer(peerId, addr, seen));
		}
		touch(circleId, peerId, seen);
		return changed;
	}

	/** @return true if what the members list shows changed */
	boolean reachability(String circleId, String memberId, String transportId, boolean reachable, long now) {
		if (circleId == null || memberId == null || transportId == null || memberId.equals(selfId)) {
			return false;
		}
		Map<String, Set<String>> byNode = reach.computeIfAbsent(circleId, k -> new ConcurrentHashMap<>());
		Set<String> via = byNode.computeIfAbsent(memberId, k -> ConcurrentHashMap.newKeySet());
		boolean changed = reachable ? via.add(transportId) : via.remove(transportId);
		Map<String, Long> lost = lostSince.computeIfAbsent(circleId, k -> new ConcurrentHashMap<>());
		if (reachable) {
			touch(circleId, memberId, now);
			lost.remove(memberId);
		} else if (changed && via.isEmpty()) {
			touch(circleId, memberId, now);
			lost.put(memberId, now);
		}
		return changed;
	}

	/** Whether some transport reaches the member now. */
	boolean reached(String circleId, String memberId) {
		return !reach.getOrDefault(circleId, Map.of()).getOrDefault(memberId, Set.of()).isEmpty();
	}

	/** When the member's last transport lost it (and none has reached it since), else empty. */
	java.util.OptionalLong lostSince(String circleId, String memberId) {
		Long t = lostSince.getOrDefault(circleId, Map.of()).get(memberId);
		return t == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(t);
	}

	/** A transport went away: nobody is reached by it any more. */
	void transportGone(String transportId) {
		for (Map<String, Set<String>> byNode : reach.values()) {
			byNode.values().forEach(s -> s.remove(transportId));
		}
	}

	/** A transport could not reach a peer of the circle; the newest failure per transport and peer is kept. */
	void unreachable(String circleId, ContactFailure failure) {
		if (circleId == null || state.circle(circleId).isEmpty()) {
			return;
		}
		Map<String, ContactFailure> byPeer = failures.computeIfAbsent(circleId, k -> new ConcurrentHashMap<>());
		byPeer.put(failure.transportId() + "|" + failure.peer(), failure);
		if (byPeer.size() > MAX_FAILURES) {
			byPeer.values().stream().min(Comparator.comparingLong(ContactFailure::atSeconds))
					.ifPresent(oldest -> byPeer.values().remove(oldest));
		}
	}

	/** The failures since the last contact with any other member, newest first. */
	List<ContactFailure> contactFailures(String circleId) {
		long lastContact = contacts.getOrDefault(circleId, Map.of()).entrySet().stream()
				.filter(e -> !e.getKey().equals(selfId)).mapToLong(Map.Entry::getValue).max().orElse(0);
		return failures.getOrDefault(circleId, Map.of()).values().stream().filter(f -> f.atSeconds() > lastContact)
				.sorted(Comparator.comparingLong(ContactFailure::atSeconds).reversed()).toList();
	}

	/** This node first, then by name. */
	List<Member> list(String circleId, String selfName, long now) {
		Set<String> ids = new LinkedHashSet<>();
		ids.add(selfId);
		ids.addAll(state.members(circleId));
		Map<String, Long> peerSeen = new LinkedHashMap<>();
		for (Peer p : state.peers(circleId)) {
			peerSeen.merge(p.nodeId(), p.lastSeen(), Math::max);
		}
		Map<String, Long> contact = contacts.getOrDefault(circleId, Map.of());
		Map<String, Set<String>> reached = reach.getOrDefault(circleId, Map.of());
		List<Member> out = new ArrayList<>();
		for (String id : ids) {
			boolean self = id.equals(selfId);
			String name = self ? selfName : state.displayName(circleId, id).orElse("");
			long seen = self ? now : Math.max(peerSeen.getOrDefault(id, 0L), contact.getOrDefault(id, 0L));
			Set<String> via = self ? Set.of() : Set.copyOf(reached.getOrDefault(id, Set.of()));
			out.add(new Member(id, name, seen, via));
		}
		out.sort(Comparator.comparing((Member m) -> !m.nodeId().equals(selfId))
				.thenComparing(m -> m.displayName().toLowerCase(Locale.ROOT)).thenComparing(Member::nodeId));
		return out;
	}

	private static boolean isDialable(String addr) {
		if (InviteCodes.isRelayUrl(addr)) {
			return false;
		}
		try {
			InviteCodes.parseHostPort(addr);
			return true;
		} catch (ProtocolException e) {
			return false;
		}
	}
}
