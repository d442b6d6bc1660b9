package org.felund.core.control;

import org.felund.api.control.CallEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.felund.api.call.CallSession;
import org.felund.api.model.ChatMessage;

/**
 * Call sessions as known from {@code CALL_EVT}s, in memory only (like both references), with Python's apply rules
 * (§5.5), which are the stricter where the two disagree: only the host ends a call or revokes someone, and a join
 * from a node outside a known member set is ignored. Thread-safe.
 */
public final class CallRegistry {
	private final Map<String, Map<String, CallSession>> byCircle = new ConcurrentHashMap<>();

	public List<CallSession> calls(String circleId) {
		Map<String, CallSession> sessions = byCircle.get(circleId);
		if (sessions == null) {
			return List.of();
		}
		List<CallSession> out = new ArrayList<>(sessions.values());
		out.sort(Comparator.comparingLong(CallSession::createdTs).thenComparing(CallSession::sessionId));
		return out;
	}

	public Optional<CallSession> call(String circleId, String sessionId) {
		Map<String, CallSession> sessions = byCircle.get(circleId);
		return sessions == null ? Optional.empty() : Optional.ofNullable(sessions.get(sessionId));
	}

	public void forgetCircle(String circleId) {
		byCircle.remove(circleId);
	}

	/**
	 * Applies one event.
	 *
	 * @param circleMembers the circle's known member node ids (for the join check; empty = unknown)
	 * @return true if a session changed
	 */
	public synchronized boolean apply(String circleId, CallEvent e, ChatMessage carrier,
			Collection<String> circleMembers) {
		Map<String, CallSession> sessions = byCircle.computeIfAbsent(circleId, k -> new ConcurrentHashMap<>());
		String actor = blank(e.actorNodeId()) ? null : e.actorNodeId();
		CallSession current = sessions.get(e.sessionId());
		if (e.op() == CallEvent.Op.CREATE) {
			if (current != null) {
				return false;
			}
			String host = !blank(e.hostNodeId()) ? e.hostNodeId()
					: actor != null ? actor : carrier.authorNodeId();
			String channel = blank(e.channelId()) ? ChatMessage.GENERAL : e.channelId();
			long created = e.createdTs() != null ? e.createdTs() : carrier.createdTs();
			sessions.put(e.sessionId(), new CallSession(e.sessionId(), circleId, channel, host,
					CallSession.State.PENDING, List.of(host), List.of(), created));
			return true;
		}
		if (current == null) {
			return false; // events for a session whose create we never saw are ignored, as in both references
		}
		String node = !blank(e.nodeId()) ? e.nodeId() : actor;
		String host = current.hostNodeId();
		switch (e.op()) {
		case JOIN -> {
			if (node == null || current.participants().contains(node)) {
				return false;
			}
			if (!node.equals(host) && !circleMembers.isEmpty() && !circleMembers.contains(node)) {
				return false;
			}
			TreeSet<String> participants = new TreeSet<>(current.participants());
			participants.add(node);
			sessions.put(e.sessionId(), with(current, participants, current.viewers(),
					participants.size() > 1 ? CallSession.State.ACTIVE : current.state()));
			return true;
		}
		case VIEW -> {
			if (node == null || current.viewers().contains(node)) {
				return false;
			}
			TreeSet<String> viewers = new TreeSet<>(current.viewers());
			viewers.add(node);
			sessions.put(e.sessionId(), with(current, current.participants(), viewers, CallSession.State.ACTIVE));
			return true;
		}
		case LEAVE -> {
			return node != null && removeEverywhere(sessions, current, node);
		}
		case END -> {
			if ((actor != null && !actor.equals(host))
					|| (!blank(e.hostNodeId()) && !e.hostNodeId().equals(host))) {
				return false;
			}
			sessions.remove(e.sessionId());
			return true;
		}
		case REVOKE -> {
			if ((actor != null && !actor.equals(host)) || blank(e.targetNodeId())) {
				return false;
			}
			return removeEverywhere(sessions, current, e.targetNodeId());
		}
		default -> {
			return false; // invite and signal.* are accepted but change nothing
		}
		}
	}

	private static boolean removeEverywhere(Map<String, CallSession> sessions, CallSession current, String node) {
		if (!current.participants().contains(node) && !current.viewers().contains(node)) {
			return false;
		}
		List<String> participants = new ArrayList<>(current.participants());
		participants.remove(node);
		List<String> viewers = new ArrayList<>(current.viewers());
		viewers.remove(node);
		sessions.put(current.sessionId(), with(current, participants, viewers, current.state()));
		return true;
	}

	private static CallSession with(CallSession s, Collection<String> participants, Collection<String> viewers,
			CallSession.State state) {
		return new CallSession(s.sessionId(), s.circleId(), s.channelId(), s.hostNodeId(), state,
				List.copyOf(participants), List.copyOf(viewers), s.createdTs());
	}

	private static boolean blank(String s) {
		return s == null || s.isBlank();
	}
}
