package org.felund.transport.webrtc.internal;

import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.felund.api.model.ChatMessage;
import org.felund.api.model.Delivery;
import org.felund.api.model.Peer;
import org.felund.api.store.SyncKey;
import org.felund.api.transport.CircleAccess;
import org.felund.api.transport.Endpoint;
import org.felund.api.transport.ReceiveResult;
import org.felund.api.transport.TransportContext;
import org.felund.api.transport.TransportState;
import org.felund.protocol.sync.RangeIndex;
import org.felund.transport.webrtc.WebRtcOptions;
import org.felund.webrtc.AudioMode;
import org.felund.webrtc.DataChannelPort;
import org.felund.webrtc.PeerSession;
import org.felund.webrtc.RtcFactory;
import org.felund.webrtc.RtcRuntime;
import org.felund.webrtc.RtcUnavailableException;
import org.felund.webrtc.SignalMailbox;
import org.felund.webrtc.SignalProfile;
import org.felund.webrtc.Signaling;

/**
 * One attachment of the WebRTC transport to a node: finds peers in the relay's presence lists, opens a DataChannel to
 * each (peer, circle) through the relay's signal mailbox, and carries messages both ways.
 * <p>
 * <b>Who offers.</b> The node whose id sorts first offers (§8.3). The other one waits {@code answerGrace} for that
 * offer and then offers itself, because a browser only offers for the circle it shows. Failed attempts back off per
 * (peer, circle), from {@code minBackoff} doubling to {@code maxBackoff}; a peer that fails AUTH waits the maximum.
 * Two channels for one (peer, circle) (both offered at once) resolve the way both sides compute alike: the channel
 * offered by the smaller node id stays.
 * <p>
 * <b>Routing.</b> Every message the node stores, whatever brought it, is sent at once on every authenticated channel
 * of its circle, except back to the peer it came from; what arrives on a channel goes to the node like any other
 * transport's input, so the relay and gossip carry it on. Nothing depends on a channel for delivery: the relay and
 * gossip keep carrying every message, so a channel that fails loses nothing (an extended channel also reconciles on
 * the next connect). For the node's routing chain the transport takes the {@code DIRECT} step (every open channel of
 * the circle) and the {@code ANCHOR} step when a channel to that anchor is open ({@link #route}); a Felund peer
 * acknowledges what it got ({@link ExtendedLink}), which the node records as the message's webrtc hop. A browser's
 * channel has no acknowledgement in the web client's protocol, so it is never reported as a hop.
 * <p>
 * All protocol work runs on one thread; the node's events are handed to it.
 */
public final class WebRtcEngine implements TransportContext.NodeEvents {
	private static final System.Logger LOG = System.getLogger(WebRtcEngine.class.getName());
	public static final String TRANSPORT_ID = "webrtc";
	/** A channel that stayed up this long resets its peer's back-off. */
	static final Duration STABLE = Duration.ofSeconds(60);
	/** The hint on answers to peers whose circle is not known yet (the relay validates it and stores nothing). */
	static final String NEUTRAL_HINT = "0000000000000000";

	private final TransportContext context;
	private final RtcRuntime runtime;
	private final WebRtcOptions options;
	private final Counters counters;
	private final Consumer<TransportState> stateSink;
	private final ScheduledExecutorService executor;
	private final HttpClient http;
	private final PeerDirectory directory;
	private final SecureRandom random = new SecureRandom();
	private final String nodeId;
	private volatile boolean stopped;

	// ---- confined to the executor
	private RtcFactory factory;
	private String unavailable;
	private String relay;
	private SignalMailbox.Lease mailbox;
	/** The circles whose keys the mailbox signs with, by hint. */
	private final Map<String, AutoCloseable> signedCircles = new HashMap<>();
	private Signaling signaling;
	private final List<ChannelLink> links = new ArrayList<>();
	private final Map<String, Set<String>> listed = new HashMap<>();
	private final Map<String, Long> firstSeen = new HashMap<>();
	private final Map<String, Attempt> attempts = new HashMap<>();
	/** Peers whose channel was closed for bad input: their offers are not answered until then (nanos). */
	private final Map<String, Long> refusedUntil = new HashMap<>();
	/** Why the latest attempt ended before its channel was up (ICE timeout, refused signal …), for the status. */
	private volatile String lastFailedAttempt = "";
	/** Sessions that carried an authenticated channel (identity): their end is no failed attempt. */
	private final Set<PeerSession> sessionsUp = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
	private final Map<String, RangeIndex> indexes = new ConcurrentHashMap<>();
	/**
	 * The authenticated channels as "peer|circle" keys, written on the executor and read by the router's thread
	 * ({@link #route}), which must not wait for the executor.
	 */
	private final Set<String> openKeys = ConcurrentHashMap.newKeySet();
	private final Map<String, String> lookupProblems = new LinkedHashMap<>();
	private String relayProblem;
	private ScheduledFuture<?> cycleTask;
	private ScheduledFuture<?> readyRetry;

	/** Reconnect state of one (peer, circle). */
	private static final class Attempt {
		int failures;
		long nextTry;
	}

	public WebRtcEngine(TransportContext context, RtcRuntime runtime, WebRtcOptions options, Counters counters,
			Consumer<TransportState> stateSink) {
		this.context = Objects.requireNonNull(context, "context");
		this.runtime = Objects.requireNonNull(runtime, "runtime");
		this.options = Objects.requireNonNull(options, "options");
		this.counters = counters;
		this.stateSink = stateSink;
		this.nodeId = context.nodeId();
		this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread t = new Thread(r, "felund-webrtc " + (nodeId.length() > 8 ? nodeId.substring(0, 8) : nodeId));
			t.setDaemon(true);
			return t;
		});
		this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
				.connectTimeout(options.mailbox().requestTimeout()).build();
		this.directory = new PeerDirectory(http, options.mailbox().requestTimeout());
	}

	public void start() {
		context.addListener(this);
		long period = options.peerLookupInterval().toNanos();
		cycleTask = executor.scheduleWithFixedDelay(this::cycle, 0, period, TimeUnit.NANOSECONDS);
	}

	/** Closes every channel and session and ends the thread; waits a few seconds at most. */
	public void stop() {
		if (stopped) {
			return;
		}
		stopped = true;
		context.removeListener(this);
		try {
			Future<?> f = executor.submit(this::teardown);
			f.get(10, TimeUnit.SECONDS);
		} catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
			LOG.log(System.Logger.Level.WARNING, "WebRTC transport did not stop cleanly: " + e);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		executor.shutdownNow();
		http.shutdownNow();
	}

	/** Looks up peers and connects as soon as possible. Any thread. */
	public void syncNow() {
		onExecutor(this::cycle);
	}

	/** Authenticated channels, for tests and diagnostics: peer → circle ids. Any thread. */
	public Map<String, Set<String>> openChannels() {
		try {
			return executor.submit(() -> {
				Map<String, Set<String>> out = new LinkedHashMap<>();
				for (ChannelLink l : links) {
					if (l.authenticated()) {
						out.computeIfAbsent(l.peerNodeId(), k -> new LinkedHashSet<>()).add(l.circleId());
					}
				}
				return out;
			}).get(5, TimeUnit.SECONDS);
		} catch (Exception e) {
			return Map.of();
		}
	}

	/** Closes every channel now (as if the network dropped them); the transport reconnects with its back-off. */
	public void dropChannels(String reason) {
		onExecutor(() -> {
			for (ChannelLink l : List.copyOf(links)) {
				l.end(reason);
			}
		});
	}

	// ------------------------------------------------------------------ services for links

	TransportContext context() {
		return context;
	}

	WebRtcOptions options() {
		return options;
	}

	ScheduledExecutorService executor() {
		return executor;
	}

	Counters counters() {
		return counters;
	}

	String randomHex(int bytes) {
		byte[] b = new byte[bytes];
		random.nextBytes(b);
		return HexFormat.of().formatHex(b);
	}

	/** The circle's key index, rebuilt from the store when it no longer matches the store's count. */
	RangeIndex index(String circleId) {
		long stored = context.messages().count(circleId, null, null);
		RangeIndex index = indexes.get(circleId);
		if (index == null || index.size() != stored) {
			RangeIndex fresh = new RangeIndex();
			fresh.addAll(context.messages().keys(circleId, null, null, Integer.MAX_VALUE));
			indexes.put(circleId, fresh);
			index = fresh;
		}
		return index;
	}

	void deliver(ChannelLink link, List<ChatMessage> batch) {
		if (batch.isEmpty()) {
			return;
		}
		counters.messagesIn.addAndGet(batch.size());
		List<ReceiveResult> results = context.receiveAll(link.circleId(), batch, TRANSPORT_ID, link.peerNodeId());
		for (ReceiveResult r : results) {
			if (r == ReceiveResult.STORED) {
				counters.stored.incrementAndGet();
			}
		}
	}

	void authenticated(ChannelLink link) {
		counters.authenticated.incrementAndGet();
		if (link.isExtended()) {
			counters.extended.incrementAndGet();
		}
		String key = key(link.peerNodeId(), link.circleId());
		boolean wasReachable = false;
		for (ChannelLink other : List.copyOf(links)) {
			if (other != link && other.authenticated() && other.peerNodeId().equals(link.peerNodeId())
					&& link.circleId().equals(other.circleId())) {
				wasReachable = true;
				ChannelLink loser = preferred(link, other) == link ? other : link;
				loser.end("another channel with " + link.peerNodeId() + " serves circle " + link.circleId());
			}
		}
		if (!link.isClosed()) {
			LOG.log(System.Logger.Level.INFO, "WebRTC channel with " + link.peerNodeId() + " for circle "
					+ link.circleId() + " is up" + (link.isExtended() ? " (Felund extensions)" : ""));
			if (!wasReachable) {
				// AUTH proved the peer holds the circle's secret: a member, even if no other transport named it yet.
				context.peerSeen(link.circleId(), new Peer(link.peerNodeId(), "", System.currentTimeMillis() / 1000),
						TRANSPORT_ID);
				context.reachability(link.circleId(), link.peerNodeId(), TRANSPORT_ID, true);
			}
			attempts.remove(key);
			openKeys.add(key);
			sessionsUp.add(link.session());
			lastFailedAttempt = "";
		}
		publishState();
	}

	/** Of two channels for one (peer, circle): the one offered by the smaller node id; else the newer. */
	private ChannelLink preferred(ChannelLink a, ChannelLink b) {
		String offererA = a.offerer() ? nodeId : a.peerNodeId();
		String offererB = b.offerer() ? nodeId : b.peerNodeId();
		int c = offererA.compareTo(offererB);
		if (c != 0) {
			return c < 0 ? a : b;
		}
		return a.authenticatedNanos() - b.authenticatedNanos() >= 0 ? a : b;
	}

	void closed(ChannelLink link, String reason, boolean refused) {
		links.remove(link);
		String circleId = link.circleId();
		if (refused) {
			counters.refused.incrementAndGet();
			// A peer that sent bad input gets no new session for a while, whichever side would offer.
			refusedUntil.put(link.peerNodeId(), System.nanoTime() + options.maxBackoff().toNanos());
		}
		if (circleId != null) {
			boolean wasUp = link.authenticatedNanos() != 0;
			if (wasUp && links.stream().noneMatch(l -> l.authenticated() && l.peerNodeId().equals(link.peerNodeId())
					&& circleId.equals(l.circleId()))) {
				openKeys.remove(key(link.peerNodeId(), circleId));
				context.reachability(circleId, link.peerNodeId(), TRANSPORT_ID, false);
			}
			Attempt a = attempts.computeIfAbsent(key(link.peerNodeId(), circleId), k -> new Attempt());
			long now = System.nanoTime();
			if (refused) {
				a.failures = 32;
				a.nextTry = now + options.maxBackoff().toNanos();
			} else if (wasUp && now - link.authenticatedNanos() > STABLE.toNanos()) {
				a.failures = 0;
				a.nextTry = now + options.minBackoff().toNanos();
			} else {
				a.nextTry = now + backoff(a.failures++);
			}
		}
		publishState();
	}

	private long backoff(int failures) {
		long d = options.minBackoff().toNanos();
		for (int i = 0; i < failures && d < options.maxBackoff().toNanos(); i++) {
			d *= 2;
		}
		return Math.min(d, options.maxBackoff().toNanos());
	}

	// ------------------------------------------------------------------ routing chain (router thread)

	/**
	 * One step of the node's routing chain: {@code DIRECT} sends the message again on every open channel of its
	 * circle, {@code ANCHOR} on the open channel to that anchor; the relay step is not ours. Returns at once: the
	 * sending runs on the transport's thread, and a Felund peer's acknowledgement reports the hop.
	 */
	public boolean route(String circleId, String msgId, Delivery.Route route, String targetNodeId) {
		if (stopped || circleId == null || msgId == null) {
			return false;
		}
		String suffix = "|" + circleId;
		boolean open = switch (route) {
		case DIRECT -> openKeys.stream().anyMatch(k -> k.endsWith(suffix));
		case ANCHOR -> targetNodeId != null && !targetNodeId.equals(nodeId)
				&& openKeys.contains(key(targetNodeId, circleId));
		default -> false;
		};
		if (!open) {
			return false;
		}
		onExecutor(() -> {
			Optional<ChatMessage> wire = context.wireCopy(circleId, msgId);
			if (wire.isEmpty()) {
				return;
			}
			for (ChannelLink link : List.copyOf(links)) {
				if (link.authenticated() && circleId.equals(link.circleId())
						&& (route == Delivery.Route.DIRECT || link.peerNodeId().equals(targetNodeId))) {
					link.push(wire.get());
				}
			}
		});
		return true;
	}

	// ------------------------------------------------------------------ node events (node thread)

	@Override
	public void messageStored(String circleId, ChatMessage message, String originTransportId) {
		onExecutor(() -> {
			RangeIndex index = indexes.get(circleId);
			if (index != null) {
				index.add(new SyncKey(message.createdTs(), message.msgId()));
			}
			for (ChannelLink link : List.copyOf(links)) {
				if (circleId.equals(link.circleId())) {
					link.push(message);
				}
			}
		});
	}

	@Override
	public void circleAdded(String circleId) {
		syncNow();
	}

	@Override
	public void circleRemoved(String circleId) {
		onExecutor(() -> {
			listed.remove(circleId);
			indexes.remove(circleId);
			for (ChannelLink l : List.copyOf(links)) {
				if (circleId.equals(l.circleId())) {
					l.end("circle left");
				}
			}
		});
	}

	// ------------------------------------------------------------------ the cycle

	private void cycle() {
		if (stopped) {
			return;
		}
		try {
			runCycle();
		} catch (RuntimeException e) {
			LOG.log(System.Logger.Level.WARNING, "WebRTC cycle failed", e);
		}
		publishState();
	}

	private void runCycle() {
		if (!options.enabled()) {
			switchRelay(null);
			return;
		}
		String wanted = resolveRelay();
		if (!Objects.equals(wanted, relay)) {
			switchRelay(wanted);
		}
		if (relay == null || signaling == null) {
			return;
		}
		authorizeCircles();
		String base = relay;
		for (CircleAccess circle : context.circles()) {
			directory.lookup(base, circle, nodeId).whenComplete((peers, error) -> onExecutor(() -> {
				if (!base.equals(relay)) {
					return;
				}
				if (error != null) {
					lookupProblems.put(circle.circleId(), describe(error));
					return;
				}
				lookupProblems.remove(circle.circleId());
				peersListed(circle.circleId(), peers);
			}));
		}
		connectPass();
	}

	private void peersListed(String circleId, Set<String> peers) {
		listed.put(circleId, peers);
		long now = System.nanoTime();
		for (String peer : peers) {
			if (firstSeen.putIfAbsent(key(peer, circleId), now) == null && !SignalProfile.offersFirst(nodeId, peer)
					&& signaling != null) {
				// The peer offers; read the mailbox quickly for a while so its offer is answered at once.
				signaling.expectSignals(Duration.ofSeconds(5));
			}
		}
		connectPass();
	}

	private void connectPass() {
		if (signaling == null || stopped) {
			return;
		}
		if (!signaling.ready()) {
			// No offers before the mailbox has been read once; try again as soon as it has.
			if (readyRetry == null || readyRetry.isDone()) {
				readyRetry = executor.schedule(() -> {
					if (!stopped) {
						connectPass();
					}
				}, 100, TimeUnit.MILLISECONDS);
			}
			return;
		}
		long now = System.nanoTime();
		for (Map.Entry<String, Set<String>> e : listed.entrySet()) {
			Optional<CircleAccess> access = context.circle(e.getKey());
			if (access.isEmpty()) {
				continue;
			}
			for (String peer : e.getValue()) {
				String key = key(peer, e.getKey());
				if (hasChannel(peer, e.getKey()) || awaitsHello(peer)) {
					continue;
				}
				Attempt a = attempts.get(key);
				if (a != null && now - a.nextTry < 0) {
					continue;
				}
				long seen = firstSeen.getOrDefault(key, now);
				boolean ours = SignalProfile.offersFirst(nodeId, peer) || now - seen >= options.answerGrace().toNanos();
				if (ours && signaling.canOffer(peer)) {
					offer(peer, access.get());
				}
			}
		}
	}

	private boolean hasChannel(String peer, String circleId) {
		for (ChannelLink l : links) {
			if (!l.isClosed() && l.peerNodeId().equals(peer) && circleId.equals(l.circleId())) {
				return true;
			}
		}
		return false;
	}

	/** An answered session whose circle is not known yet (its HELLO has not come): it may be for any circle. */
	private boolean awaitsHello(String peer) {
		for (ChannelLink l : links) {
			if (!l.isClosed() && l.peerNodeId().equals(peer) && l.circleId() == null) {
				return true;
			}
		}
		return false;
	}

	private void offer(String peer, CircleAccess circle) {
		ChannelLink[] made = new ChannelLink[1];
		PeerSession session = signaling.offer(peer, circle.crypto().circleHint(), sessionListener(), s -> {
			DataChannelPort port = s.openDataChannel(ChannelFrames.LABEL, true, null);
			made[0] = new ChannelLink(this, s, port, circle, true);
			port.listener(made[0]);
		});
		if (session == null) {
			return;
		}
		counters.offered.incrementAndGet();
		links.add(made[0]);
		Attempt a = attempts.computeIfAbsent(key(peer, circle.circleId()), k -> new Attempt());
		// Until it authenticates, the next attempt waits as if this one failed.
		a.nextTry = System.nanoTime() + backoff(a.failures);
	}

	private Signaling.Acceptance accept(Signaling.IncomingOffer offer) {
		if (stopped || !options.enabled()) {
			return null;
		}
		Long until = refusedUntil.get(offer.peerNodeId());
		if (until != null) {
			if (System.nanoTime() - until < 0) {
				LOG.log(System.Logger.Level.DEBUG, () -> "not answering " + offer.peerNodeId()
						+ ": its last channel was closed for bad input");
				return null;
			}
			refusedUntil.remove(offer.peerNodeId());
		}
		counters.answered.incrementAndGet();
		return new Signaling.Acceptance(hintFor(offer), sessionListener());
	}

	/**
	 * The circle hint of the answer's signals: the circle the offer was read under when it is ours (a relay that
	 * requires signatures takes our answer only under a circle whose key signs it), else one we share with the peer
	 * in the relay's lists, else the neutral hint.
	 */
	private String hintFor(Signaling.IncomingOffer offer) {
		if (offer.circleHint() != null && context.circleByHint(offer.circleHint()).isPresent()) {
			return offer.circleHint();
		}
		String peer = offer.peerNodeId();
		for (Map.Entry<String, Set<String>> e : listed.entrySet()) {
			if (e.getValue().contains(peer)) {
				Optional<CircleAccess> c = context.circle(e.getKey());
				if (c.isPresent()) {
					return c.get().crypto().circleHint();
				}
			}
		}
		return NEUTRAL_HINT;
	}

	private PeerSession.Listener sessionListener() {
		return new PeerSession.Listener() {
			@Override
			public void dataChannel(PeerSession session, DataChannelPort port) {
				if (!ChannelFrames.LABEL.equals(port.label())) {
					LOG.log(System.Logger.Level.WARNING, "WebRTC session with " + session.peerNodeId()
							+ " closed: unexpected channel '" + ChannelLink.clip(port.label()) + "'");
					session.close("unexpected channel '" + port.label() + "'");
					return;
				}
				ChannelLink link = new ChannelLink(WebRtcEngine.this, session, port, null, false);
				links.add(link);
				port.listener(link);
			}

			@Override
			public void closed(PeerSession session, String reason) {
				if (!sessionsUp.remove(session) && reason != null && !reason.isBlank()) {
					lastFailedAttempt = "attempt with " + ChannelLink.clip(session.peerNodeId()) + " failed: "
							+ (reason.length() > 160 ? reason.substring(0, 160) + "…" : reason);
				}
				for (ChannelLink l : List.copyOf(links)) {
					if (l.session() == session) {
						l.sessionClosed(reason);
					}
				}
				publishState();
			}
		};
	}

	// ------------------------------------------------------------------ relay, signaling, factory

	/** The relay to signal through: the configured one, else the first relay the node's transports advertise. */
	private String resolveRelay() {
		if (!options.relayUrl().isEmpty()) {
			return options.relayUrl();
		}
		for (Endpoint e : context.endpoints()) {
			if (e.kind() == Endpoint.Kind.RELAY && !e.address().isBlank()) {
				return e.address().trim();
			}
		}
		return null;
	}

	private void switchRelay(String next) {
		if (relay != null) {
			LOG.log(System.Logger.Level.INFO, "WebRTC signaling moves from " + relay + " to "
					+ (next == null ? "nowhere" : next));
		}
		closeSignaling();
		relay = null;
		if (next == null) {
			return;
		}
		if (factory == null && unavailable == null) {
			try {
				factory = runtime.factory(AudioMode.NONE);
			} catch (RtcUnavailableException e) {
				unavailable = e.getMessage();
				LOG.log(System.Logger.Level.WARNING, unavailable);
			}
		}
		if (factory == null) {
			return;
		}
		try {
			mailbox = runtime.mailbox(SignalMailbox.signalUrl(next), nodeId, options.mailbox());
		} catch (IllegalArgumentException e) {
			relayProblem = e.getMessage();
			return;
		}
		relayProblem = null;
		relay = next;
		// Before the first read, so that a relay that requires signatures is read signed from the start.
		authorizeCircles();
		signaling = new Signaling(nodeId, factory, mailbox.mailbox(), SignalProfile.DATA, options.ice(),
				options.signaling(), executor, this::accept);
		signaling.start();
	}

	/**
	 * Gives the mailbox the API key of every circle of the node, so that our signals are signed and each circle's
	 * signals are read with signed requests (protocol §3.8), as relays run with {@code --signatures strict} require.
	 */
	private void authorizeCircles() {
		if (mailbox == null) {
			return;
		}
		Map<String, CircleAccess> current = new HashMap<>();
		for (CircleAccess c : context.circles()) {
			current.put(c.crypto().circleHint(), c);
		}
		for (Iterator<Map.Entry<String, AutoCloseable>> it = signedCircles.entrySet().iterator(); it.hasNext();) {
			Map.Entry<String, AutoCloseable> e = it.next();
			if (!current.containsKey(e.getKey())) {
				closeQuietly(e.getValue());
				it.remove();
			}
		}
		SignalMailbox box = mailbox.mailbox();
		for (Map.Entry<String, CircleAccess> e : current.entrySet()) {
			CircleAccess circle = e.getValue();
			signedCircles.computeIfAbsent(e.getKey(), hint -> box.authorize(hint, circle.crypto()::signApiRequest));
		}
	}

	private static void closeQuietly(AutoCloseable c) {
		try {
			c.close();
		} catch (Exception e) {
			LOG.log(System.Logger.Level.DEBUG, "releasing a circle's signal key: " + e);
		}
	}

	private void closeSignaling() {
		if (signaling != null) {
			signaling.close();
			signaling = null;
		}
		signedCircles.values().forEach(WebRtcEngine::closeQuietly);
		signedCircles.clear();
		if (mailbox != null) {
			mailbox.close();
			mailbox = null;
		}
		listed.clear();
		lookupProblems.clear();
		lastFailedAttempt = "";
	}

	private void teardown() {
		if (cycleTask != null) {
			cycleTask.cancel(false);
		}
		closeSignaling();
		for (ChannelLink l : List.copyOf(links)) {
			l.end("transport stopped");
		}
		links.clear();
		openKeys.clear();
		if (factory != null) {
			factory.close();
			factory = null;
		}
	}

	// ------------------------------------------------------------------ state

	private void publishState() {
		if (stopped) {
			return;
		}
		stateSink.accept(state());
	}

	private TransportState state() {
		if (!options.enabled()) {
			return new TransportState(TransportState.Mode.OFFLINE, 0, "WebRTC is switched off", "p2p off");
		}
		if (unavailable != null) {
			return new TransportState(TransportState.Mode.OFFLINE, 0, unavailable, "p2p –");
		}
		if (relay == null) {
			String why = relayProblem != null ? relayProblem : "no relay to signal through (configure a relay)";
			return new TransportState(TransportState.Mode.OFFLINE, 0, why, "p2p –");
		}
		Set<String> peers = new LinkedHashSet<>();
		for (ChannelLink l : links) {
			if (l.authenticated()) {
				peers.add(l.peerNodeId());
			}
		}
		SignalMailbox.Availability availability = mailbox == null ? SignalMailbox.Availability.UNKNOWN
				: mailbox.mailbox().availability();
		String problem = availability == SignalMailbox.Availability.UNREACHABLE
				|| availability == SignalMailbox.Availability.UNSUPPORTED ? mailbox.mailbox().availabilityDetail()
						: lookupProblems.values().stream().findFirst()
								.orElse(peers.isEmpty() ? lastFailedAttempt : "");
		String detail = peers.size() + (peers.size() == 1 ? " peer" : " peers") + " over DataChannels; signaling via "
				+ relay + (problem.isEmpty() ? "" : " (" + problem + ")");
		TransportState.Mode mode = !peers.isEmpty() ? TransportState.Mode.LIVE
				: availability == SignalMailbox.Availability.AVAILABLE ? TransportState.Mode.POLL
						: TransportState.Mode.OFFLINE;
		return new TransportState(mode, peers.size(), detail, "p2p(" + peers.size() + ")");
	}

	// ------------------------------------------------------------------ helpers

	private void onExecutor(Runnable task) {
		if (stopped) {
			return;
		}
		try {
			executor.execute(() -> {
				if (!stopped) {
					task.run();
				}
			});
		} catch (RejectedExecutionException e) {
			// Stopping.
		}
	}

	private static String key(String peer, String circleId) {
		return peer + "|" + circleId;
	}

	private static String describe(Throwable e) {
		Throwable t = e.getCause() != null && e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
		return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
	}
}
