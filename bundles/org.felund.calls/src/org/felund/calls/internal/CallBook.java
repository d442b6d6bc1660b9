package org.felund.calls.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.felund.api.call.Call;
import org.felund.api.control.CallEvent;
import org.felund.api.control.ControlMessage;
import org.felund.api.model.ChatMessage;
import org.felund.protocol.control.ChannelIds;

/**
 * The calls of this node's circles, as their {@code CALL_EVT} events describe them (protocol §5.5), with the
 * reference's host rules and two more: an event counts only when its actor is the author of the message that carries
 * it (the circle key authenticates authors, an actor is only claimed), and whoever an event is about ({@code node_id})
 * must be its author too, so that one member cannot end, revoke, join or leave for another.
 * <p>
 * Where our nodes meet it also does better than the reference, which it still understands: events that arrive before
 * their call's {@code create} wait for it ({@value #ORPHAN_SECONDS} s) instead of being lost (§10 #15); a revoked node
 * stays out of that call; viewers keep the order they came in (the host serves the first ones); calls whose host has not
 * been seen for a while end here (and come back if the host shows up).
 * <p>
 * Every event gets a {@link Verdict}, kept by message id so that a chat can tell an ignored event as such. Thread-safe.
 */
final class CallBook {
	static final long ORPHAN_SECONDS = 600;
	static final int MAX_ORPHANS = 512;
	static final int MAX_VERDICTS = 20_000;
	static final int MAX_ENDED = 2_000;

	/** What became of one event. */
	record Verdict(Kind kind, String reason) {
		enum Kind {
			APPLIED, UNCHANGED, IGNORED, WAITING
		}

		static final Verdict APPLIED = new Verdict(Kind.APPLIED, "");
		static final Verdict UNCHANGED = new Verdict(Kind.UNCHANGED, "");
		static final Verdict WAITING = new Verdict(Kind.WAITING, "");

		static Verdict ignored(String reason) {
			return new Verdict(Kind.IGNORED, reason);
		}

		boolean ignored() {
			return kind == Kind.IGNORED;
		}
	}

	/** What one {@link #apply} did: the verdicts of the event and of any waiting events it released. */
	record Outcome(Verdict verdict, List<Call> changed, boolean started) {
	}

	/** One call's mutable state. */
	private static final class Entry {
		final String sessionId;
		final String circleId;
		final String channelId;
		final String hostNodeId;
		final long createdTs;
		final List<String> participants = new ArrayList<>();
		final List<String> viewers = new ArrayList<>();
		final List<String> revoked = new ArrayList<>();
		Call.State state = Call.State.PENDING;
		String endReason = "";
		/** Latest event time of the host's own messages for this call, seconds. */
		long hostActivity;
		boolean timedOut;

		Entry(String sessionId, String circleId, String channelId, String hostNodeId, long createdTs) {
			this.sessionId = sessionId;
			this.circleId = circleId;
			this.channelId = channelId;
			this.hostNodeId = hostNodeId;
			this.createdTs = createdTs;
			this.hostActivity = createdTs;
			participants.add(hostNodeId);
		}

		Call snapshot() {
			return new Call(sessionId, circleId, channelId, hostNodeId, state, participants, viewers, createdTs,
					endReason);
		}

		boolean includes(String nodeId) {
			return participants.contains(nodeId) || viewers.contains(nodeId);
		}
	}

	private record Orphan(ControlMessage message, long receivedAt) {
	}

	private final Function<String, String> nameOf;
	private final Map<String, Entry> calls = new LinkedHashMap<>();
	private final Map<String, List<Orphan>> orphans = new LinkedHashMap<>();
	private int orphanCount;
	private final Map<String, Verdict> verdicts = new LinkedHashMap<>(1024, 0.75f, false) {
		private static final long serialVersionUID = 1L;

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Verdict> eldest) {
			return size() > MAX_VERDICTS;
		}
	};

	/** @param nameOf a node's name as people know it, for the reasons given */
	CallBook(Function<String, String> nameOf) {
		this.nameOf = nameOf;
	}

	/**
	 * Applies an accepted event (once per message; a message seen before gets its first verdict again).
	 *
	 * @param now this node's clock, seconds
	 */
	synchronized Outcome apply(ControlMessage message, long now) {
		Verdict known = verdicts.get(message.msgId());
		if (known != null && known.kind() != Verdict.Kind.WAITING) {
			return new Outcome(known, List.of(), false);
		}
		if (!(message.event() instanceof CallEvent e)) {
			throw new IllegalArgumentException("Not a call event: " + message.event().type());
		}
		List<Call> changed = new ArrayList<>();
		boolean[] started = { false };
		Verdict verdict = decide(message, e, now, changed, started);
		verdicts.put(message.msgId(), verdict);
		if (e.op() == CallEvent.Op.CREATE && verdict.kind() == Verdict.Kind.APPLIED) {
			releaseOrphans(e.sessionId(), now, changed);
		}
		return new Outcome(verdict, List.copyOf(changed), started[0]);
	}

	/** The verdict on one message, if this book saw it. */
	synchronized Optional<Verdict> verdict(String msgId) {
		return Optional.ofNullable(verdicts.get(msgId));
	}

	synchronized Optional<Call> call(String sessionId) {
		Entry e = calls.get(sessionId);
		return e == null ? Optional.empty() : Optional.of(e.snapshot());
	}

	/** The calls of a circle that have not ended, oldest first. */
	synchronized List<Call> open(String circleId) {
		return calls.values().stream().filter(e -> e.circleId.equals(circleId) && e.state != Call.State.ENDED)
				.sorted(Comparator.comparingLong((Entry e) -> e.createdTs)).map(Entry::snapshot).toList();
	}

	/** Every call that has not ended, in every circle. */
	synchronized List<Call> open() {
		return calls.values().stream().filter(e -> e.state != Call.State.ENDED).map(Entry::snapshot).toList();
	}

	/** Forgets a circle (left). */
	synchronized void forget(String circleId) {
		calls.values().removeIf(e -> e.circleId.equals(circleId));
		orphans.values().forEach(l -> l.removeIf(o -> o.message().circleId().equals(circleId)));
		orphans.values().removeIf(List::isEmpty);
		orphanCount = orphans.values().stream().mapToInt(List::size).sum();
	}

	/**
	 * Ends the calls whose host was last heard of more than {@code timeoutSeconds} ago, and brings back those that
	 * timed out while their host shows up again.
	 *
	 * @param lastSeen when a node was last heard of in a circle (seconds, 0 when never); called as
	 *            {@code lastSeen.apply(circleId + "|" + nodeId)}
	 * @param selfId this node: its own calls never time out here
	 * @return the calls that ended or came back
	 */
	synchronized List<Call> expire(long now, long timeoutSeconds, Function<String, Long> lastSeen, String selfId) {
		List<Call> changed = new ArrayList<>();
		for (Entry e : calls.values()) {
			if (e.hostNodeId.equals(selfId) || (e.state == Call.State.ENDED && !e.timedOut)) {
				continue;
			}
			long heard = Math.max(e.hostActivity, lastSeen.apply(e.circleId + "|" + e.hostNodeId));
			boolean gone = now - heard > timeoutSeconds;
			if (gone && e.state != Call.State.ENDED) {
				e.state = Call.State.ENDED;
				e.timedOut = true;
				e.endReason = nameOf.apply(e.hostNodeId) + " (the host) has not been heard of for "
						+ (timeoutSeconds >= 120 ? timeoutSeconds / 60 + " minutes" : timeoutSeconds + " s");
				changed.add(e.snapshot());
			} else if (!gone && e.timedOut) {
				revive(e);
				changed.add(e.snapshot());
			}
		}
		return changed;
	}

	/** Drops the orphans that waited too long for their call. */
	synchronized void prune(long now) {
		for (List<Orphan> list : orphans.values()) {
			for (Orphan o : List.copyOf(list)) {
				if (now - o.receivedAt() > ORPHAN_SECONDS) {
					list.remove(o);
					orphanCount--;
					verdicts.put(o.message().msgId(), Verdict.ignored("no such call"));
				}
			}
		}
		orphans.values().removeIf(List::isEmpty);
		List<String> ended = calls.values().stream().filter(e -> e.state == Call.State.ENDED && !e.timedOut)
				.map(e -> e.sessionId).toList();
		for (int i = 0; i < ended.size() - MAX_ENDED; i++) {
			calls.remove(ended.get(i));
		}
	}

	// ---------------------------------------------------------------- the rules

	private Verdict decide(ControlMessage m, CallEvent e, long now, List<Call> changed, boolean[] started) {
		String author = m.authorNodeId();
		if (!m.actorIsAuthor()) {
			return Verdict.ignored("sent in " + nameOf.apply(e.actorNodeId().strip()) + "\u2019s name");
		}
		if (e.op() == CallEvent.Op.CREATE) {
			return create(m, e, changed, started);
		}
		Entry c = calls.get(e.sessionId());
		if (c == null) {
			return waitForCreate(m, now);
		}
		if (c.state == Call.State.ENDED && !c.timedOut) {
			return e.op() == CallEvent.Op.END ? Verdict.UNCHANGED : Verdict.ignored("the call has ended");
		}
		if (author.equals(c.hostNodeId)) {
			c.hostActivity = Math.max(c.hostActivity, m.createdTs());
			if (c.timedOut) {
				revive(c);
				changed.add(c.snapshot());
			}
		}
		Verdict v = switch (e.op()) {
		case JOIN -> join(c, subject(e, author), author);
		case VIEW -> view(c, subject(e, author), author);
		case LEAVE -> leave(c, subject(e, author), author);
		case END -> end(c, e, author);
		case REVOKE -> revoke(c, e, author);
		case INVITE, SIGNAL_OFFER, SIGNAL_ANSWER, SIGNAL_CANDIDATE -> Verdict.UNCHANGED;
		case CREATE -> throw new IllegalStateException();
		};
		if (v.kind() == Verdict.Kind.APPLIED) {
			changed.add(c.snapshot());
		}
		return v;
	}

	private Verdict create(ControlMessage m, CallEvent e, List<Call> changed, boolean[] started) {
		String author = m.authorNodeId();
		String host = blank(e.hostNodeId()) ? (blank(e.actorNodeId()) ? author : e.actorNodeId().strip())
				: e.hostNodeId().strip();
		if (!host.equals(author)) {
			return Verdict.ignored("it names " + nameOf.apply(host) + " as the host");
		}
		if (calls.containsKey(e.sessionId())) {
			return Verdict.UNCHANGED;
		}
		String channel = ChannelIds.acceptFromEvent(e.channelId()).orElse(ChatMessage.GENERAL);
		long createdTs = e.createdTs() != null && e.createdTs() > 0 ? e.createdTs() : m.createdTs();
		Entry c = new Entry(e.sessionId(), m.circleId(), channel, host, createdTs);
		c.hostActivity = Math.max(createdTs, m.createdTs());
		calls.put(e.sessionId(), c);
		changed.add(c.snapshot());
		started[0] = true;
		return Verdict.APPLIED;
	}

	private Verdict join(Entry c, String node, String author) {
		if (!node.equals(author)) {
			return Verdict.ignored("only " + nameOf.apply(node) + " can join for themselves");
		}
		if (c.revoked.contains(node)) {
			return Verdict.ignored(nameOf.apply(node) + " was removed from the call by the host");
		}
		if (c.participants.contains(node)) {
			return Verdict.UNCHANGED;
		}
		c.viewers.remove(node);
		c.participants.add(node);
		if (c.participants.size() > 1 && c.state == Call.State.PENDING) {
			c.state = Call.State.ACTIVE;
		}
		return Verdict.APPLIED;
	}

	private Verdict view(Entry c, String node, String author) {
		if (!node.equals(author)) {
			return Verdict.ignored("only " + nameOf.apply(node) + " can watch for themselves");
		}
		if (c.revoked.contains(node)) {
			return Verdict.ignored(nameOf.apply(node) + " was removed from the call by the host");
		}
		if (c.participants.contains(node)) {
			return Verdict.ignored(nameOf.apply(node) + " takes part already");
		}
		if (c.viewers.contains(node)) {
			return Verdict.UNCHANGED;
		}
		c.viewers.add(node);
		if (c.state == Call.State.PENDING) {
			c.state = Call.State.ACTIVE;
		}
		return Verdict.APPLIED;
	}

	private Verdict leave(Entry c, String node, String author) {
		if (!node.equals(author)) {
			return Verdict.ignored("only " + nameOf.apply(node) + " can leave for themselves; the host revokes");
		}
		if (!c.includes(node)) {
			return Verdict.UNCHANGED;
		}
		c.participants.remove(node);
		c.viewers.remove(node);
		return Verdict.APPLIED;
	}

	private Verdict end(Entry c, CallEvent e, String author) {
		if (!author.equals(c.hostNodeId)) {
			return Verdict.ignored("only " + nameOf.apply(c.hostNodeId) + " (the host) can end it");
		}
		if (!blank(e.hostNodeId()) && !e.hostNodeId().strip().equals(c.hostNodeId)) {
			return Verdict.ignored("it names another host");
		}
		c.state = Call.State.ENDED;
		c.timedOut = false;
		c.endReason = "ended by " + nameOf.apply(c.hostNodeId);
		return Verdict.APPLIED;
	}

	private Verdict revoke(Entry c, CallEvent e, String author) {
		if (!author.equals(c.hostNodeId)) {
			return Verdict.ignored("only " + nameOf.apply(c.hostNodeId) + " (the host) can remove people");
		}
		if (blank(e.targetNodeId())) {
			return Verdict.ignored("it names nobody");
		}
		String target = e.targetNodeId().strip();
		boolean had = c.includes(target);
		c.participants.remove(target);
		c.viewers.remove(target);
		if (!c.revoked.contains(target)) {
			c.revoked.add(target);
		}
		return had ? Verdict.APPLIED : Verdict.UNCHANGED;
	}

	private Verdict waitForCreate(ControlMessage m, long now) {
		if (orphanCount >= MAX_ORPHANS) {
			return Verdict.ignored("no such call");
		}
		CallEvent e = (CallEvent) m.event();
		orphans.computeIfAbsent(e.sessionId(), k -> new ArrayList<>()).add(new Orphan(m, now));
		orphanCount++;
		return Verdict.WAITING;
	}

	private void releaseOrphans(String sessionId, long now, List<Call> changed) {
		List<Orphan> waiting = orphans.remove(sessionId);
		if (waiting == null) {
			return;
		}
		orphanCount -= waiting.size();
		for (Orphan o : waiting) {
			boolean[] ignore = { false };
			Verdict v = decide(o.message(), (CallEvent) o.message().event(), now, changed, ignore);
			verdicts.put(o.message().msgId(), v);
		}
	}

	private void revive(Entry c) {
		c.timedOut = false;
		c.endReason = "";
		c.state = c.participants.size() > 1 || !c.viewers.isEmpty() ? Call.State.ACTIVE : Call.State.PENDING;
	}

	/** Whom a join, view or leave is about: {@code node_id}, else the actor, else the author (reference defaults). */
	private static String subject(CallEvent e, String author) {
		if (!blank(e.nodeId())) {
			return e.nodeId().strip();
		}
		return blank(e.actorNodeId()) ? author : e.actorNodeId().strip();
	}

	private static boolean blank(String s) {
		return s == null || s.isBlank();
	}
}
