package org.felund.webrtc;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.onvoid.webrtc.RTCIceCandidate;

/**
 * The signaling state machine of one node for one {@link SignalProfile}: makes offers, answers offers, routes answers
 * and candidates to their sessions, and enforces the rules that keep peers in agreement.
 * <ul>
 * <li><b>Session ids.</b> A signal is taken only when its session id is the one both peers compute
 * ({@link SignalProfile#sessionId}); anything else is refused and logged, and no session is created or touched.</li>
 * <li><b>One pending offer per peer.</b> An answer names no offer, so at most one offer waits for an answer per peer
 * ({@link #canOffer}); further sessions with the same peer are offered one after the other.</li>
 * <li><b>Glare.</b> When both sides offer at once, the node whose id sorts first keeps its offer and ignores the
 * other (it is "impolite", as in §8.4); the other one drops its own offer and answers.</li>
 * <li><b>Stale signals.</b> Mailboxes replay signals for up to two minutes: an offer older than the ICE timeout is
 * ignored (its sender has given up), as is an offer followed by a newer one from the same peer in the same page, or
 * whose ICE credentials a session already has; an answer without a pending offer and a candidate without a session
 * are dropped. Nothing is offered before the mailbox has been read once, so answers to a previous run's offers are
 * gone by then. Our answers name the offer they answer ({@value #OFFER_UFRAG}, its ICE user fragment; browsers
 * ignore the key), so a Felund offerer never takes an answer to an earlier offer for the current one.</li>
 * <li><b>Candidates</b> found before a description is posted travel inside it; later ones are queued and posted at
 * most {@code candidatesPerFlush} every {@code candidateFlush} (web client: 6 per 250 ms). Received candidates are
 * routed by their {@code usernameFragment} and held until the remote description is applied.</li>
 * <li><b>Limits.</b> At most {@code maxSessionsPerPeer} sessions with one peer (a new offer replaces the oldest) and
 * {@code maxSessions} in all.</li>
 * </ul>
 * Runs on the executor it is given; {@link #offer} and the accessors must be called there.
 */
public final class Signaling implements AutoCloseable {
	private static final System.Logger LOG = System.getLogger(Signaling.class.getName());
	private static final int MAX_SDP_CHARS = 60_000;
	/** The key Felund answers add to their payload: the ICE user fragment of the offer they answer. */
	static final String OFFER_UFRAG = "felund_offer_ufrag";

	/**
	 * @param iceTimeout a session not connected by then is closed (web client: 15 s)
	 * @param gatherWait how long a description waits for candidate gathering before it is posted
	 * @param disconnectGrace a connection that stays disconnected this long is closed
	 * @param candidateFlush pause between candidate posts (web client: 250 ms)
	 * @param candidatesPerFlush candidates posted per flush (web client: 6)
	 * @param maxSessions sessions of this profile in all
	 * @param maxSessionsPerPeer sessions with one peer
	 * @param renegotiation whether an established session takes new offers (media: a camera turned on or off, §8.4)
	 *            with the glare rule of perfect negotiation; without it (DataChannels) an offer with a session's ICE
	 *            credentials is a replay and is ignored
	 */
	public record Options(Duration iceTimeout, Duration gatherWait, Duration disconnectGrace, Duration candidateFlush,
			int candidatesPerFlush, int maxSessions, int maxSessionsPerPeer, boolean renegotiation) {
		public Options(Duration iceTimeout, Duration gatherWait, Duration disconnectGrace, Duration candidateFlush,
				int candidatesPerFlush, int maxSessions, int maxSessionsPerPeer) {
			this(iceTimeout, gatherWait, disconnectGrace, candidateFlush, candidatesPerFlush, maxSessions,
					maxSessionsPerPeer, false);
		}

		public Options {
			Objects.requireNonNull(iceTimeout);
			Objects.requireNonNull(gatherWait);
			Objects.requireNonNull(disconnectGrace);
			Objects.requireNonNull(candidateFlush);
			if (candidatesPerFlush < 1 || maxSessions < 1 || maxSessionsPerPeer < 1) {
				throw new IllegalArgumentException("Signaling limits must be at least 1");
			}
		}

		public static Options defaults() {
			return new Options(Duration.ofSeconds(15), Duration.ofMillis(500), Duration.ofSeconds(10),
					Duration.ofMillis(250), 6, 64, 4);
		}

		/** Media sessions (§8.4): 20 s ICE timeout, one session per peer, renegotiation. */
		public static Options media() {
			return new Options(Duration.ofSeconds(20), Duration.ofMillis(500), Duration.ofSeconds(10),
					Duration.ofMillis(250), 6, 64, 1, true);
		}

		public Options withIceTimeout(Duration timeout) {
			return new Options(timeout, gatherWait, disconnectGrace, candidateFlush, candidatesPerFlush, maxSessions,
					maxSessionsPerPeer, renegotiation);
		}

		public Options withLimits(int total, int perPeer) {
			return new Options(iceTimeout, gatherWait, disconnectGrace, candidateFlush, candidatesPerFlush, total,
					perPeer, renegotiation);
		}

		public Options withDisconnectGrace(Duration grace) {
			return new Options(iceTimeout, gatherWait, grace, candidateFlush, candidatesPerFlush, maxSessions,
					maxSessionsPerPeer, renegotiation);
		}

		public Options withGatherWait(Duration wait) {
			return new Options(iceTimeout, wait, disconnectGrace, candidateFlush, candidatesPerFlush, maxSessions,
					maxSessionsPerPeer, renegotiation);
		}

		public Options withRenegotiation(boolean on) {
			return new Options(iceTimeout, gatherWait, disconnectGrace, candidateFlush, candidatesPerFlush, maxSessions,
					maxSessionsPerPeer, on);
		}
	}

	/**
	 * An offer from a peer, before any native object exists for it.
	 *
	 * @param circleHint the circle whose signed mailbox read returned it, or {@code null} (see {@link Signal#circleHint})
	 */
	public record IncomingOffer(String sessionId, String peerNodeId, long ageSeconds, String circleHint) {
	}

	/** Accepting an offer: the circle hint for the answer's signals and who listens to the session. */
	public record Acceptance(String circleHint, PeerSession.Listener listener) {
	}

	/** Decides on incoming offers; returns {@code null} to refuse. Called on the signaling executor. */
	public interface Acceptor {
		Acceptance accept(IncomingOffer offer);
	}

	/**
	 * @param renegotiations offers taken on an established session (media)
	 * @param glare offers that crossed one of ours (initial or renegotiation)
	 */
	public record Stats(long offered, long answered, long connected, long closed, long refusedSignals,
			long staleSignals, long glare, long renegotiations) {
	}

	private final String nodeId;
	private final RtcFactory factory;
	private final SignalMailbox mailbox;
	private final SignalProfile profile;
	private final IceSettings ice;
	private final Options options;
	private final ScheduledExecutorService executor;
	private final Acceptor acceptor;
	private final List<PeerSession> sessions = new ArrayList<>();
	private final Deque<QueuedCandidate> candidateQueue = new ArrayDeque<>();
	private final Set<String> loggedRefusals = new HashSet<>();
	private final AtomicLong offered = new AtomicLong();
	private final AtomicLong answered = new AtomicLong();
	private final AtomicLong connected = new AtomicLong();
	private final AtomicLong closedCount = new AtomicLong();
	private final AtomicLong refusedSignals = new AtomicLong();
	private final AtomicLong staleSignals = new AtomicLong();
	private final AtomicLong glare = new AtomicLong();
	private final AtomicLong renegotiations = new AtomicLong();
	private AutoCloseable subscription;

	private record QueuedCandidate(PeerSession session, String payload) {
	}

	private ScheduledFuture<?> candidateFlushTask;
	private volatile boolean negotiating;
	private boolean synced;
	private volatile long expectUntil;
	private boolean closed;

	public Signaling(String nodeId, RtcFactory factory, SignalMailbox mailbox, SignalProfile profile, IceSettings ice,
			Options options, ScheduledExecutorService executor, Acceptor acceptor) {
		this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
		this.factory = Objects.requireNonNull(factory, "factory");
		this.mailbox = Objects.requireNonNull(mailbox, "mailbox");
		this.profile = Objects.requireNonNull(profile, "profile");
		this.ice = Objects.requireNonNull(ice, "ice");
		this.options = Objects.requireNonNull(options, "options");
		this.executor = Objects.requireNonNull(executor, "executor");
		this.acceptor = Objects.requireNonNull(acceptor, "acceptor");
	}

	/** Starts receiving signals. */
	public void start() {
		subscription = mailbox.subscribe(new SignalMailbox.Subscriber() {
			@Override
			public boolean handles(String type) {
				return profile.handles(type);
			}

			@Override
			public void received(List<Signal> signals, long serverTime) {
				post(() -> {
					// Of several usable offers from one peer in a page only the newest can still be alive (a peer has
					// one pending offer per session at a time); the others are replays an earlier run left behind.
					java.util.Map<String, Long> newestOffer = new java.util.HashMap<>();
					for (Signal s : signals) {
						if (s.type().equals(profile.offer()) && usableOffer(s)) {
							newestOffer.merge(s.fromNode(), s.id(), Math::max);
						}
					}
					for (Signal s : signals) {
						Long newest = newestOffer.get(s.fromNode());
						if (s.type().equals(profile.offer()) && newest != null && newest > s.id() && usableOffer(s)) {
							staleSignals.incrementAndGet();
							continue;
						}
						handle(s);
					}
					synced = true;
				});
			}

			@Override
			public boolean wantsFastPolling() {
				return negotiating || System.nanoTime() - expectUntil < 0;
			}
		});
	}

	public Options options() {
		return options;
	}

	public IceSettings ice() {
		return ice;
	}

	public SignalMailbox mailbox() {
		return mailbox;
	}

	public Stats stats() {
		return new Stats(offered.get(), answered.get(), connected.get(), closedCount.get(), refusedSignals.get(),
				staleSignals.get(), glare.get(), renegotiations.get());
	}

	/** Every open session. Executor only. */
	public List<PeerSession> sessions() {
		return List.copyOf(sessions);
	}

	/** Open sessions with one peer. Executor only. */
	public List<PeerSession> sessions(String peerNodeId) {
		return sessions.stream().filter(s -> s.peerNodeId().equals(peerNodeId)).toList();
	}

	/**
	 * Whether an offer to this peer may be made now: the mailbox has been read once, and none of our offers to the
	 * peer waits for an answer. Executor only.
	 */
	public boolean canOffer(String peerNodeId) {
		return !closed && synced && sessions.stream().noneMatch(s -> s.peerNodeId().equals(peerNodeId) && s.awaitsAnswer())
				&& sessions.size() < options.maxSessions();
	}

	/** Whether the mailbox has been read once since {@link #start()}, so that offers may be made. Executor only. */
	public boolean ready() {
		return synced;
	}

	/** Polls quickly for a while: an offer from a peer that was just seen is expected. Any thread. */
	public void expectSignals(Duration howLong) {
		long until = System.nanoTime() + howLong.toNanos();
		if (until - expectUntil > 0) {
			expectUntil = until;
		}
		mailbox.pollSoon();
	}

	/**
	 * Offers a session to a peer. Executor only.
	 *
	 * @param prepare opens the session's channels (or adds its tracks) before the offer is made
	 * @return the session, or {@code null} when {@link #canOffer} is false or no local port is free
	 */
	public PeerSession offer(String peerNodeId, String circleHint, PeerSession.Listener listener,
			Consumer<PeerSession> prepare) {
		if (!canOffer(peerNodeId) || peerNodeId.equals(nodeId)) {
			return null;
		}
		PeerSession session = newSession(profile.sessionId(nodeId, peerNodeId), peerNodeId, PeerSession.Role.OFFERER,
				circleHint, listener);
		if (session == null) {
			return null;
		}
		offered.incrementAndGet();
		try {
			prepare.accept(session);
		} catch (RuntimeException e) {
			session.close("preparing the session failed: " + e.getMessage());
			throw e;
		}
		session.startOffer();
		return session;
	}

	/** Closes every session and stops receiving signals (the mailbox and the factory stay with their owner). */
	@Override
	public void close() {
		if (closed) {
			return;
		}
		closed = true;
		if (subscription != null) {
			try {
				subscription.close();
			} catch (Exception e) {
				// Nothing to release.
			}
		}
		if (candidateFlushTask != null) {
			candidateFlushTask.cancel(false);
		}
		candidateQueue.clear();
		for (PeerSession s : List.copyOf(sessions)) {
			s.close("signaling stopped");
		}
	}

	// ------------------------------------------------------------------ incoming signals

	private void handle(Signal signal) {
		if (closed) {
			return;
		}
		String from = signal.fromNode();
		if (!plausibleNodeId(from) || from.equals(nodeId)) {
			refuse(signal, "implausible sender id");
			return;
		}
		String expected = profile.sessionId(nodeId, from);
		if (!expected.equals(signal.sessionId())) {
			refuse(signal, "session id '" + clip(signal.sessionId()) + "' is not the pair's '" + expected + "'");
			return;
		}
		JsonNode payload;
		try {
			payload = SignalMailbox.JSON.readTree(signal.payload());
		} catch (IOException e) {
			refuse(signal, "payload is not JSON");
			return;
		}
		if (payload == null || !payload.isObject()) {
			refuse(signal, "payload is not a JSON object");
			return;
		}
		String type = signal.type();
		if (type.equals(profile.offer())) {
			String sdp = sdp(payload, "offer");
			if (sdp == null) {
				refuse(signal, "offer without a usable description");
				return;
			}
			onOffer(signal, sdp);
		} else if (type.equals(profile.answer())) {
			String sdp = sdp(payload, "answer");
			if (sdp == null) {
				refuse(signal, "answer without a usable description");
				return;
			}
			JsonNode answered = payload.get(OFFER_UFRAG);
			onAnswer(signal, sdp, answered != null && answered.isTextual() ? answered.textValue() : null);
		} else {
			onCandidate(signal, payload);
		}
	}

	private void onOffer(Signal signal, String sdp) {
		String peer = signal.fromNode();
		if (signal.ageSeconds() > options.iceTimeout().toSeconds()) {
			// Its sender gave up already (mailboxes replay for two minutes).
			staleSignals.incrementAndGet();
			LOG.log(System.Logger.Level.DEBUG, () -> "ignoring a stale offer from " + peer + " (" + signal.ageSeconds()
					+ " s old)");
			return;
		}
		String ufrag = Sdp.iceUfrag(sdp);
		if (options.renegotiation()) {
			Sdp.Origin origin = Sdp.origin(sdp);
			for (PeerSession s : sessions(peer)) {
				if (s.remoteOrigin().precedes(origin)) {
					renegotiations.incrementAndGet();
					if (s.acceptReoffer(sdp, origin)) {
						glare.incrementAndGet();
					}
					return;
				}
			}
		}
		for (PeerSession s : sessions(peer)) {
			if (!ufrag.isEmpty() && ufrag.equals(s.remoteUfrag())) {
				staleSignals.incrementAndGet();
				LOG.log(System.Logger.Level.DEBUG, () -> "ignoring a replayed offer from " + peer);
				return;
			}
		}
		for (PeerSession own : sessions(peer)) {
			if (own.awaitsAnswer()) {
				glare.incrementAndGet();
				if (SignalProfile.offersFirst(nodeId, peer)) {
					LOG.log(System.Logger.Level.DEBUG, () -> "glare with " + peer + ": keeping our offer");
					return;
				}
				own.close("glare: answering the peer's offer instead");
			}
		}
		List<PeerSession> mine = new ArrayList<>(sessions(peer));
		if (mine.size() >= options.maxSessionsPerPeer()) {
			mine.sort(Comparator.comparingLong(PeerSession::createdNanos));
			mine.get(0).close("replaced by a newer session with the same peer");
		}
		if (sessions.size() >= options.maxSessions()) {
			refuse(signal, "too many sessions (" + options.maxSessions() + ")");
			return;
		}
		Acceptance acceptance = acceptor.accept(new IncomingOffer(signal.sessionId(), peer, signal.ageSeconds(),
				signal.circleHint()));
		if (acceptance == null) {
			LOG.log(System.Logger.Level.DEBUG, () -> "offer from " + peer + " not accepted");
			return;
		}
		PeerSession session = newSession(signal.sessionId(), peer, PeerSession.Role.ANSWERER,
				acceptance.circleHint(), acceptance.listener());
		if (session == null) {
			return;
		}
		answered.incrementAndGet();
		LOG.log(System.Logger.Level.DEBUG, () -> "answering offer " + signal.id() + " from " + peer);
		session.acceptOffer(sdp);
	}

	private void onAnswer(Signal signal, String sdp, String offerUfrag) {
		for (PeerSession s : sessions(signal.fromNode())) {
			if (s.awaitsReanswer() && (offerUfrag == null || offerUfrag.equals(s.localUfrag()))) {
				LOG.log(System.Logger.Level.DEBUG, () -> "answer " + signal.id() + " from " + signal.fromNode()
						+ " to our renegotiation of " + s.sessionId());
				s.acceptReanswer(sdp);
				return;
			}
			if (s.awaitsAnswer()) {
				if (offerUfrag != null && !offerUfrag.equals(s.localUfrag())) {
					// A Felund peer's answer to another (earlier) offer of ours: not this session's.
					staleSignals.incrementAndGet();
					LOG.log(System.Logger.Level.DEBUG, () -> "ignoring an answer from " + signal.fromNode()
							+ " to an earlier offer");
					return;
				}
				LOG.log(System.Logger.Level.DEBUG, () -> "answer " + signal.id() + " from " + signal.fromNode()
						+ " for " + s.sessionId());
				s.acceptAnswer(sdp);
				return;
			}
		}
		staleSignals.incrementAndGet();
		LOG.log(System.Logger.Level.DEBUG, () -> "ignoring an answer from " + signal.fromNode()
				+ " without a pending offer");
	}

	private void onCandidate(Signal signal, JsonNode payload) {
		JsonNode c = payload.get("candidate");
		if (c == null || !c.isTextual()) {
			refuse(signal, "candidate without a candidate line");
			return;
		}
		String line = c.textValue();
		if (line.isEmpty()) {
			return; // end of candidates
		}
		if (line.length() > 1024 || !line.startsWith("candidate:")) {
			refuse(signal, "malformed candidate line");
			return;
		}
		String ufrag = payload.path("usernameFragment").asText("");
		PeerSession target = null;
		for (PeerSession s : sessions(signal.fromNode())) {
			if (!ufrag.isEmpty() ? ufrag.equals(s.remoteUfrag())
					: target == null || s.createdNanos() > target.createdNanos()) {
				target = s;
			}
		}
		if (target == null) {
			staleSignals.incrementAndGet();
			return;
		}
		JsonNode mid = payload.get("sdpMid");
		target.addRemoteCandidate(mid != null && mid.isTextual() ? mid.textValue() : null,
				payload.path("sdpMLineIndex").asInt(0), line);
	}

	private void refuse(Signal signal, String why) {
		refusedSignals.incrementAndGet();
		String key = signal.fromNode() + "|" + why;
		// Logged once per sender and reason: the mailbox is open to anyone, so this must not flood the log.
		if (loggedRefusals.size() < 1000 && loggedRefusals.add(key)) {
			LOG.log(System.Logger.Level.WARNING, "refused " + signal.type() + " signal " + signal.id() + " from "
					+ clip(signal.fromNode()) + ": " + why);
		}
	}

	private static String sdp(JsonNode payload, String expectedType) {
		JsonNode type = payload.get("type");
		JsonNode sdp = payload.get("sdp");
		if (type != null && !(type.isTextual() && type.textValue().equals(expectedType))) {
			return null;
		}
		if (sdp == null || !sdp.isTextual() || sdp.textValue().length() > MAX_SDP_CHARS
				|| !sdp.textValue().startsWith("v=0")) {
			return null;
		}
		return sdp.textValue();
	}

	/** An offer this node would act on: the pair's session id and a description (checked fully in handle). */
	private boolean usableOffer(Signal signal) {
		if (!plausibleNodeId(signal.fromNode()) || !profile.sessionId(nodeId, signal.fromNode()).equals(signal.sessionId())) {
			return false;
		}
		try {
			JsonNode payload = SignalMailbox.JSON.readTree(signal.payload());
			return payload != null && payload.isObject() && sdp(payload, "offer") != null;
		} catch (IOException e) {
			return false;
		}
	}

	static boolean plausibleNodeId(String id) {
		return id != null && id.length() >= 8 && id.length() <= 128 && id.chars().allMatch(c -> c > 0x20 && c < 0x7f)
				&& id.indexOf(':') < 0;
	}

	private static String clip(String s) {
		return s.length() > 80 ? s.substring(0, 80) + "…" : s;
	}

	// ------------------------------------------------------------------ sessions

	private PeerSession newSession(String sessionId, String peer, PeerSession.Role role, String circleHint,
			PeerSession.Listener listener) {
		int port = 0;
		if (ice.loopback()) {
			try {
				port = IceConfigurations.freeUdpPort(ice);
			} catch (IOException e) {
				LOG.log(System.Logger.Level.WARNING, "no session with " + peer + ": " + e.getMessage());
				return null;
			}
		}
		PeerSession session = new PeerSession(this, sessionId, peer, role, circleHint, factory, ice, port, executor,
				listener);
		sessions.add(session);
		updateNegotiating();
		return session;
	}

	void sessionClosed(PeerSession session) {
		if (sessions.remove(session)) {
			closedCount.incrementAndGet();
		}
		candidateQueue.removeIf(c -> c.session() == session);
		updateNegotiating();
	}

	void sessionStateChanged(PeerSession session) {
		if (session.state() == PeerSession.State.CONNECTED) {
			connected.incrementAndGet();
		}
		updateNegotiating();
	}

	private void updateNegotiating() {
		boolean any = false;
		for (PeerSession s : sessions) {
			any |= s.state() == PeerSession.State.SIGNALING || s.state() == PeerSession.State.CONNECTING;
		}
		negotiating = any;
	}

	// ------------------------------------------------------------------ outgoing signals

	SignalProfile profile() {
		return profile;
	}

	void postDescription(PeerSession session, boolean offer, String sdp) {
		ObjectNode payload = SignalMailbox.JSON.createObjectNode();
		payload.put("type", offer ? "offer" : "answer");
		payload.put("sdp", sdp);
		if (!offer) {
			// Which offer this answers: an answer otherwise names none (§7.6), and after a restart the mailbox may
			// hold answers to offers of the earlier run. Browsers ignore the extra key of RTCSessionDescriptionInit.
			payload.put(OFFER_UFRAG, session.remoteUfrag());
		}
		String type = offer ? profile.offer() : profile.answer();
		CompletableFuture<SignalMailbox.PostOutcome> result = mailbox.post(new OutgoingSignal(session.sessionId(),
				session.peerNodeId(), session.circleHint(), type, toJson(payload), profile.ttlSeconds(type)));
		result.thenAccept(outcome -> post(() -> {
			if (outcome.posted()) {
				LOG.log(System.Logger.Level.DEBUG, () -> type + " posted for " + session.sessionId());
				mailbox.pollSoon();
			} else {
				session.close("the relay did not take our " + type + ": " + outcome.status()
						+ (outcome.detail().isEmpty() ? "" : " (" + outcome.detail() + ")"));
			}
		}));
	}

	void queueCandidate(PeerSession session, RTCIceCandidate candidate, String ufrag) {
		ObjectNode c = SignalMailbox.JSON.createObjectNode();
		c.put("candidate", candidate.sdp);
		c.put("sdpMid", candidate.sdpMid);
		c.put("sdpMLineIndex", candidate.sdpMLineIndex);
		c.put("usernameFragment", ufrag);
		candidateQueue.add(new QueuedCandidate(session, toJson(c)));
		if (candidateFlushTask == null || candidateFlushTask.isDone()) {
			candidateFlushTask = executor.schedule(this::flushCandidates, options.candidateFlush().toNanos(),
					TimeUnit.NANOSECONDS);
		}
	}

	private void flushCandidates() {
		for (int i = 0; i < options.candidatesPerFlush() && !candidateQueue.isEmpty(); i++) {
			QueuedCandidate item = candidateQueue.poll();
			PeerSession s = item.session();
			mailbox.post(new OutgoingSignal(s.sessionId(), s.peerNodeId(), s.circleHint(), profile.candidate(),
					item.payload(), profile.ttlSeconds(profile.candidate())));
		}
		if (!candidateQueue.isEmpty() && !closed) {
			candidateFlushTask = executor.schedule(this::flushCandidates, options.candidateFlush().toNanos(),
					TimeUnit.NANOSECONDS);
		}
	}

	private static String toJson(JsonNode node) {
		try {
			return SignalMailbox.JSON.writeValueAsString(node);
		} catch (JsonProcessingException e) {
			throw new IllegalStateException(e);
		}
	}

	private void post(Runnable task) {
		try {
			executor.execute(task);
		} catch (RejectedExecutionException e) {
			// Stopped.
		}
	}
}
