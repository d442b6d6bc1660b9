package org.felund.transport.gossip.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.felund.api.model.ChatMessage;
import org.felund.api.model.Peer;
import org.felund.api.transport.CircleAccess;
import org.felund.api.transport.Endpoint;
import org.felund.api.transport.TransportContext;
import org.felund.api.transport.TransportState;
import org.felund.protocol.sync.RangeIndex;
import org.felund.transport.gossip.GossipOptions;
import org.felund.api.anchor.AnchorStore;
import org.felund.api.model.Delivery;
import org.felund.transport.gossip.MemoryAnchorStore;
import org.felund.transport.gossip.SyncReport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * Everything one attached gossip transport owns: the Netty server and client, the gossip loop, per-peer
 * back-off and knowledge, live sessions and the anchor store. Sessions ({@link GossipSession}) call back into it.
 */
public final class GossipEngine {
	public static final String TRANSPORT_ID = "gossip";
	/** Every thread the transport starts has a name beginning with this. */
	public static final String THREAD_PREFIX = "felund-gossip-";

	/** The name prefix of the threads of the transport attached to this node. */
	public static String threadPrefix(String nodeId) {
		return THREAD_PREFIX + (nodeId.length() > 8 ? nodeId.substring(0, 8) : nodeId) + "-";
	}
	private static final Logger LOG = Logger.getLogger(GossipEngine.class.getName());
	/** How long an inbound connection may take for each handshake step (HELLO, then HELLO_AUTH) at most. */
	static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);
	private static final int KNOWLEDGE_ENTRIES = 512;

	private final GossipOptions options;
	private final Supplier<String> nonces;
	private final LongSupplier clock;
	private final MemoryAnchorStore anchorStore;

	private volatile TransportContext context;
	private volatile org.felund.api.transport.Transport owner;
	private EventLoopGroup ioGroup;
	private EventExecutorGroup workers;
	/** Runs the gossip loop, whose store reads must not stall socket I/O or sessions. */
	private EventExecutorGroup loopExecutor;
	private Channel serverChannel;
	/** Every open connection, so that detach closes them before their executors go away. */
	private final ChannelGroup channels = new DefaultChannelGroup("gossip", ImmediateEventExecutor.INSTANCE);
	private volatile int boundPort;
	/** Our endpoint, fixed at attach (listing the interfaces on every status query would be wasteful). */
	private volatile String dialable;
	private ScheduledFuture<?> loop;
	private final TransportContext.NodeEvents events = new TransportContext.NodeEvents() {
		@Override
		public void messageStored(String circleId, ChatMessage message, String originTransportId) {
			onMessageStored(circleId, message);
		}

		@Override
		public void circleAdded(String circleId) {
			syncNow(circleId);
		}

		@Override
		public void circleRemoved(String circleId) {
			liveSessions.values().stream().filter(s -> circleId.equals(s.circleId())).forEach(GossipSession::retire);
			indexes.remove(circleId);
		}
	};

	private final Map<String, Backoff> backoff = new ConcurrentHashMap<>();
	private final Set<String> selfAddresses = ConcurrentHashMap.newKeySet();
	private final Set<String> dialing = ConcurrentHashMap.newKeySet();
	private final Map<String, GossipSession> liveSessions = new ConcurrentHashMap<>();
	private final Set<GossipSession> extSessions = ConcurrentHashMap.newKeySet();
	private final Map<String, Set<String>> peerKnowledge = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
		private static final long serialVersionUID = 1L;

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Set<String>> eldest) {
			return size() > KNOWLEDGE_ENTRIES;
		}
	});
	private final Map<String, RequestLimit> requestLimits = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
		private static final long serialVersionUID = 1L;

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, RequestLimit> eldest) {
			return size() > KNOWLEDGE_ENTRIES;
		}
	});
	private final Map<String, Long> anchorCursors = new ConcurrentHashMap<>();
	private final Map<String, RangeIndex> indexes = new ConcurrentHashMap<>();
	/** Inbound connections by source and by authentication, so a flood of idle sockets cannot lock members out. */
	private final InboundLimiter inbound = new InboundLimiter();
	private final Set<String> circlesWithReferencePeers = ConcurrentHashMap.newKeySet();
	private volatile String lastError = "";

	private record Backoff(int failures, long notBeforeMillis) {
	}

	/** How many ids to ask a reference peer for, and the ceiling learned from a request it could not answer. */
	private record RequestLimit(int current, int ceiling) {
	}

	public GossipEngine(GossipOptions options, Supplier<String> nonces, LongSupplier clock,
			MemoryAnchorStore anchorStore) {
		this.options = options;
		this.nonces = nonces;
		this.clock = clock;
		this.anchorStore = anchorStore;
	}

	// ---------------------------------------------------------------- lifecycle

	/** Binds the server and starts the gossip loop; throws if the port cannot be bound. */
	public synchronized void start(TransportContext ctx, org.felund.api.transport.Transport transport) {
		if (context != null) {
			throw new IllegalStateException("Gossip transport is already attached");
		}
		context = ctx;
		owner = transport;
		// Named threads, so that a leak after detach shows (and tests can check for one).
		String names = threadPrefix(ctx.nodeId());
		ioGroup = new MultiThreadIoEventLoopGroup(options.ioThreads(), new DefaultThreadFactory(names + "io"),
				NioIoHandler.newFactory());
		workers = new DefaultEventExecutorGroup(options.workerThreads(), new DefaultThreadFactory(names + "worker"));
		loopExecutor = new DefaultEventExecutorGroup(1, new DefaultThreadFactory(names + "loop"));
		try {
			ServerBootstrap server = new ServerBootstrap().group(ioGroup).channel(NioServerSocketChannel.class)
					.option(ChannelOption.SO_BACKLOG, 64).childOption(ChannelOption.TCP_NODELAY, true)
					.childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024))
					.childHandler(new ChannelInitializer<SocketChannel>() {
						@Override
						protected void initChannel(SocketChannel ch) {
							if (!inbound.admit(ch)) {
								ch.close();
								return;
							}
							channels.add(ch);
							observedInbound(ch);
							install(ch.pipeline(), GossipSession.server(GossipEngine.this));
						}
					});
			serverChannel = server.bind(options.bindHost(), options.port()).syncUninterruptibly().channel();
			boundPort = ((InetSocketAddress) serverChannel.localAddress()).getPort();
		} catch (Exception e) {
			// Netty rethrows the bind failure as it is: a checked BindException, hence Exception.
			shutdownGroups();
			context = null;
			throw new IllegalStateException("Cannot listen for gossip on " + options.bindHost() + ":" + options.port()
					+ ": " + e.getMessage(), e);
		}
		ctx.addListener(events);
		dialable = null;
		dialable = dialableAddress();
		ctx.advertise(TRANSPORT_ID, List.of(new Endpoint(TRANSPORT_ID, Endpoint.Kind.DIRECT, dialable)));
		long intervalMillis = options.interval().toMillis();
		loop = loopExecutor.next().scheduleWithFixedDelay(this::roundSafely, intervalMillis, intervalMillis,
				TimeUnit.MILLISECONDS);
		ctx.stateChanged(owner);
	}

	public synchronized void stop() {
		TransportContext ctx = context;
		if (ctx == null) {
			return;
		}
		try {
			ctx.removeListener(events);
			ctx.advertise(TRANSPORT_ID, List.of());
		} finally {
			// Sockets and threads go whatever the node says: a failed call above must not leak the port.
			if (loop != null) {
				loop.cancel(false);
			}
			if (serverChannel != null) {
				serverChannel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
			}
			channels.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
			shutdownGroups();
			liveSessions.clear();
			extSessions.clear();
			dialing.clear();
			context = null;
		}
	}

	private void shutdownGroups() {
		// A closed connection's pipeline tears down by hopping from its I/O loop to its worker and back. Workers go
		// first, after a quiet period in which those hops finish; their last hops back are then queued on the I/O
		// loops, which still run every queued task while they shut down.
		for (EventExecutorGroup g : new EventExecutorGroup[] { loopExecutor, workers, ioGroup }) {
			if (g != null) {
				g.shutdownGracefully(100, 2_000, TimeUnit.MILLISECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
			}
		}
		ioGroup = null;
		workers = null;
		loopExecutor = null;
	}

	/**
	 * Line framing on the I/O thread; the session on a worker, because it calls the node and its store, which
	 * block. Netty 4.2 deprecates handler executors in favour of hand-offs, but a per-connection worker keeps
	 * each session strictly sequential without locks, which is what the protocol state machine needs.
	 */
	@SuppressWarnings("deprecation")
	void install(ChannelPipeline pipeline, GossipSession session) {
		pipeline.addLast("lines", new LineBasedFrameDecoder(FrameLimits.READ_LINE_MAX, true, true));
		EventExecutorGroup w = workers;
		if (w != null) {
			pipeline.addLast(w, "session", session);
		} else {
			pipeline.addLast("session", session);
		}
	}

	// ---------------------------------------------------------------- accessors for sessions

	public TransportContext context() {
		TransportContext ctx = context;
		if (ctx == null) {
			throw new IllegalStateException("Gossip transport is not attached");
		}
		return ctx;
	}

	/** For tests that drive a session over an embedded channel without a server. */
	public void attachForTest(TransportContext ctx, org.felund.api.transport.Transport transport, int pretendPort) {
		context = ctx;
		owner = transport;
		boundPort = pretendPort;
	}

	public GossipOptions options() {
		return options;
	}

	public boolean attached() {
		return context != null;
	}

	public int boundPort() {
		return boundPort;
	}

	/** The wait for each handshake frame: short, because a connection that has not authenticated costs a slot. */
	Duration handshakeTimeout() {
		Duration read = options.readTimeout();
		return read.compareTo(HANDSHAKE_TIMEOUT) < 0 ? read : HANDSHAKE_TIMEOUT;
	}

	/**
	 * Moves an inbound connection whose client just proved the circle secret into the budget of authenticated
	 * sessions; false when that budget is spent.
	 */
	boolean authenticated(Channel channel) {
		return inbound.authenticate(channel);
	}

	/** For tests: unauthenticated and authenticated inbound connections held now. */
	public int[] inboundCounts() {
		return new int[] { inbound.unauthenticatedCount(), inbound.authenticatedCount() };
	}

	String newNonce() {
		return nonces.get();
	}

	long now() {
		return clock.getAsLong();
	}

	/**
	 * Where this node keeps ciphertext for others while it anchors: the anchor plugin's store when the node has one,
	 * else this transport's memory store (embedders and tests without the plugin).
	 */
	public AnchorStore anchorStore() {
		TransportContext ctx = context;
		return ctx == null ? anchorStore : ctx.anchorStore().orElse(anchorStore);
	}

	/** The {@code listen_addr} we advertise on a connection that leaves from {@code local}. */
	String listenAddr(InetSocketAddress local) {
		if (boundPort == 0) {
			return "";
		}
		String host = options.advertisedHost();
		if (host.isEmpty()) {
			host = options.bindHost();
			if (host.equals("0.0.0.0") || host.equals("::") || host.isEmpty()) {
				host = local == null ? "" : local.getAddress().getHostAddress();
			}
		}
		int zone = host.indexOf('%');
		if (zone > 0) {
			host = host.substring(0, zone);
		}
		return host.isEmpty() ? "" : host + ":" + boundPort;
	}

	/**
	 * The {@code host:port} other nodes dial us at, advertised as this transport's endpoint (invite codes are built
	 * from it): the advertised host, else the bind host, else for a wildcard bind a LAN address of this machine.
	 */
	public String dialableAddress() {
		String known = dialable;
		if (known != null) {
			return known;
		}
		String host = options.advertisedHost();
		if (host.isEmpty()) {
			host = isWildcardBind() ? LocalAddresses.lanAddress() : options.bindHost();
		}
		return LocalAddresses.hostPort(host, boundPort);
	}

	/** Whether dialling {@code addr} would reach this very node. */
	boolean isSelfAddress(PeerAddress addr) {
		if (selfAddresses.contains(addr.wire())) {
			return true;
		}
		if (addr.port() != boundPort) {
			return false;
		}
		String host = addr.host();
		if (host.equalsIgnoreCase(options.advertisedHost()) || host.equalsIgnoreCase(options.bindHost())
				|| host.equals("localhost")) {
			return true;
		}
		if (!looksLikeIpLiteral(host)) {
			return false;
		}
		try {
			InetAddress ip = InetAddress.getByName(host);
			if (ip.isLoopbackAddress()) {
				// Our server listens on loopback only if bound there or to a wildcard.
				return isWildcardBind() || InetAddress.getByName(options.bindHost()).isLoopbackAddress();
			}
			return ip.isAnyLocalAddress() || (isWildcardBind() && NetworkInterface.getByInetAddress(ip) != null);
		} catch (UnknownHostException | SocketException e) {
			return false;
		}
	}

	private boolean isWildcardBind() {
		return LocalAddresses.isWildcard(options.bindHost());
	}

	private static boolean looksLikeIpLiteral(String host) {
		return host.contains(":") || host.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.');
	}

	void markSelfAddress(String addr) {
		PeerAddress.parse(addr).ifPresent(a -> selfAddresses.add(a.wire()));
	}

	Set<String> knownHave(String circleId, String peerNodeId) {
		Set<String> known = peerKnowledge.get(circleId + "|" + peerNodeId);
		return known == null ? Set.of() : known;
	}

	void rememberHave(String circleId, String peerNodeId, Set<String> ids) {
		peerKnowledge.put(circleId + "|" + peerNodeId, Set.copyOf(ids));
	}

	/** How many ids to ask a reference peer for at once: its MSGS_SEND must fit one line. */
	int requestLimit(String peerNodeId, boolean encrypted) {
		RequestLimit limit = requestLimits.get(peerNodeId);
		return limit == null ? (encrypted ? 40 : 25) : limit.current();
	}

	/**
	 * Grows the request size by a quarter after an answered request, up to the ceiling; a request the peer could
	 * not answer halves it and sets the ceiling just below what failed, so the probing stops after one miss.
	 */
	void requestOutcome(String peerNodeId, boolean encrypted, int asked, boolean answered) {
		if (asked == 0) {
			return;
		}
		int current = requestLimit(peerNodeId, encrypted);
		RequestLimit old = requestLimits.get(peerNodeId);
		int ceiling = old == null ? 700 : old.ceiling();
		if (answered) {
			requestLimits.put(peerNodeId, new RequestLimit(Math.min(ceiling, current + current / 4 + 1), ceiling));
		} else {
			int newCeiling = Math.max(1, asked - Math.max(1, asked / 10));
			requestLimits.put(peerNodeId, new RequestLimit(Math.max(1, Math.min(current, asked) / 2),
					Math.min(ceiling, newCeiling)));
		}
	}

	/** Where the next ANCHOR_PULL from this anchor starts (its last {@code server_time}), 0 before the first. */
	public long anchorCursor(String circleId, String anchorNodeId) {
		return anchorCursors.getOrDefault(circleId + "|" + anchorNodeId, 0L);
	}

	void anchorCursor(String circleId, String anchorNodeId, long cursor) {
		anchorCursors.put(circleId + "|" + anchorNodeId, cursor);
	}

	/** The circle's key index, rebuilt from the store when it no longer matches the store's count. */
	RangeIndex index(String circleId) {
		TransportContext ctx = context();
		long stored = ctx.messages().count(circleId, null, null);
		RangeIndex index = indexes.get(circleId);
		if (index == null || index.size() != stored) {
			RangeIndex fresh = new RangeIndex();
			fresh.addAll(ctx.messages().keys(circleId, null, null, Integer.MAX_VALUE));
			indexes.put(circleId, fresh);
			index = fresh;
		}
		return index;
	}

	/** Notes that a peer without the extensions completed a handshake in this circle. */
	void referencePeerSeen(String circleId) {
		circlesWithReferencePeers.add(circleId);
	}

	/**
	 * Whether a peer without the Felund extensions (a reference node) has synced this circle with us since attach.
	 * Circles where this stays false are shared only by Felund nodes, which may keep more than the reference's
	 * 1,000 messages.
	 */
	public boolean referencePeersSeen(String circleId) {
		return circlesWithReferencePeers.contains(circleId);
	}

	/** Builds the circle's key index now (a long-running node has it from its first extended sync). */
	public void warmIndex(String circleId) {
		index(circleId);
	}

	// ---------------------------------------------------------------- live sessions

	private static String liveKey(String circleId, String peerNodeId) {
		return circleId + "|" + peerNodeId;
	}

	/**
	 * Registers an extended session; returns whether it stays open for live push. Between two nodes only one
	 * connection per circle stays live: the one dialled by the node with the smaller id, so both sides agree.
	 */
	boolean registerExtended(GossipSession session) {
		extSessions.add(session);
		String key = liveKey(session.circleId(), session.peerNodeId());
		boolean[] keep = { false };
		liveSessions.compute(key, (k, existing) -> {
			if (existing == null || existing == session) {
				keep[0] = true;
				return session;
			}
			String newInitiator = session.initiatorNodeId();
			String oldInitiator = existing.initiatorNodeId();
			if (!newInitiator.equals(oldInitiator) && newInitiator.compareTo(oldInitiator) < 0) {
				existing.retire();
				keep[0] = true;
				return session;
			}
			return existing;
		});
		context().stateChanged(owner);
		return keep[0];
	}

	void unregister(GossipSession session) {
		extSessions.remove(session);
		boolean removed = liveSessions.remove(liveKey(session.circleId(), session.peerNodeId()), session);
		TransportContext ctx = context;
		if (removed && ctx != null) {
			ctx.reachability(session.circleId(), session.peerNodeId(), TRANSPORT_ID, false);
			ctx.stateChanged(owner);
		}
	}

	boolean hasLive(String circleId, String peerNodeId) {
		return liveSessions.containsKey(liveKey(circleId, peerNodeId));
	}

	/** An accepted connection is evidence of how others reach us ({@code public_reachable}); the node judges it. */
	private void observedInbound(SocketChannel ch) {
		TransportContext ctx = context;
		InetSocketAddress remote = ch.remoteAddress();
		if (ctx != null && remote != null && remote.getAddress() != null) {
			ctx.observed(TRANSPORT_ID, remote.getAddress().getHostAddress(), true);
		}
	}

	/**
	 * One step of the node's routing chain for a message nobody has accepted yet: {@code DIRECT} re-offers it to the
	 * live peers of its circle and dials the others now; {@code ANCHOR} re-offers it to the anchor's live connection, or
	 * dials the anchor (a reference anchor then gets it in the anchor exchange). The relay step is not ours.
	 */
	public boolean route(String circleId, String msgId, Delivery.Route route, String targetNodeId) {
		TransportContext ctx = context;
		if (ctx == null || ctx.circle(circleId).isEmpty()) {
			return false;
		}
		switch (route) {
		case DIRECT -> {
			boolean any = false;
			for (GossipSession s : extSessions) {
				if (circleId.equals(s.circleId()) && s.live()) {
					s.offerLive(msgId);
					any = true;
				}
			}
			boolean peers = ctx.state().peers(circleId).stream().anyMatch(p -> !p.nodeId().equals(ctx.nodeId()));
			if (peers) {
				syncNow(circleId);
			}
			return any || peers;
		}
		case ANCHOR -> {
			if (targetNodeId == null || targetNodeId.equals(ctx.nodeId())) {
				return false;
			}
			GossipSession live = liveSessions.get(liveKey(circleId, targetNodeId));
			if (live != null) {
				live.offerLive(msgId);
				return true;
			}
			Optional<PeerAddress> addr = ctx.state().peers(circleId).stream()
					.filter(p -> p.nodeId().equals(targetNodeId)).findFirst()
					.flatMap(p -> PeerAddress.parse(p.addr()));
			if (addr.isEmpty() || isSelfAddress(addr.get())) {
				return false;
			}
			CircleAccess circle = ctx.circle(circleId).get();
			EventExecutorGroup group = loopExecutor;
			if (group == null) {
				return false;
			}
			group.execute(() -> dial(circle, addr.get()));
			return true;
		}
		default -> {
			return false;
		}
		}
	}

	private void onMessageStored(String circleId, ChatMessage message) {
		RangeIndex index = indexes.get(circleId);
		if (index != null) {
			index.add(new org.felund.api.store.SyncKey(message.createdTs(), message.msgId()));
		}
		for (GossipSession s : extSessions) {
			if (circleId.equals(s.circleId())) {
				s.offerLive(message.msgId());
			}
		}
	}

	// ---------------------------------------------------------------- gossip loop and dialling

	private void roundSafely() {
		try {
			round(null);
		} catch (RuntimeException e) {
			// One bad record must never end the loop (the reference's loop dies on a bad address, §10 #7).
			lastError = e.getMessage();
			LOG.log(Level.WARNING, "Gossip round failed", e);
		}
	}

	/** One gossip round for every circle, or for one. */
	public List<CompletableFuture<SyncReport>> round(String onlyCircleId) {
		TransportContext ctx = context;
		if (ctx == null) {
			return List.of();
		}
		List<CompletableFuture<SyncReport>> started = new ArrayList<>();
		for (CircleAccess circle : ctx.circles()) {
			if (onlyCircleId != null && !onlyCircleId.equals(circle.circleId())) {
				continue;
			}
			int budget = options.fanOut();
			Set<String> chosen = new HashSet<>();
			List<Peer> peers = new ArrayList<>(ctx.state().peers(circle.circleId()));
			peers.sort((a, b) -> Long.compare(b.lastSeen(), a.lastSeen()));
			for (Peer peer : peers) {
				if (budget == 0) {
					break;
				}
				if (peer.nodeId().equals(ctx.nodeId()) || hasLive(circle.circleId(), peer.nodeId())) {
					continue;
				}
				Optional<PeerAddress> addr = PeerAddress.parse(peer.addr());
				if (addr.isEmpty() || !chosen.add(addr.get().wire()) || !dueForDial(addr.get())
						|| dialing.contains(circle.circleId() + "|" + addr.get().wire())) {
					continue;
				}
				started.add(dial(circle, addr.get()));
				budget--;
			}
			String bootstrap = circle.circle().bootstrapPeer();
			Set<String> knownAddrs = new HashSet<>();
			peers.forEach(p -> PeerAddress.parse(p.addr()).ifPresent(a -> knownAddrs.add(a.wire())));
			if (budget > 0 && bootstrap != null && !bootstrap.isBlank()) {
				// The invite's peer, until it is known under its node id (then it is dialled as a peer).
				PeerAddress.parse(bootstrap).filter(a -> !knownAddrs.contains(a.wire()) && chosen.add(a.wire()) && dueForDial(a))
						.ifPresent(a -> started.add(dial(circle, a)));
			}
		}
		return started;
	}

	private boolean dueForDial(PeerAddress addr) {
		if (isSelfAddress(addr)) {
			return false;
		}
		Backoff b = backoff.get(addr.wire());
		return b == null || System.currentTimeMillis() >= b.notBeforeMillis();
	}

	/** Syncs a circle now; the invite's peer is dialled even while it is held back after failures (a Retry). */
	public void syncNow(String circleId) {
		EventExecutorGroup group = loopExecutor;
		TransportContext ctx = context;
		if (ctx != null) {
			ctx.circle(circleId).map(c -> c.circle().bootstrapPeer()).flatMap(PeerAddress::parse)
					.ifPresent(a -> backoff.remove(a.wire()));
		}
		if (group != null) {
			group.execute(() -> {
				try {
					round(circleId);
				} catch (RuntimeException e) {
					LOG.log(Level.WARNING, "Gossip sync of " + circleId + " failed", e);
				}
			});
		}
	}

	/** Dials one peer for one circle; completes when the sync is done (or, for live sessions, caught up). */
	public CompletableFuture<SyncReport> dial(CircleAccess circle, PeerAddress addr) {
		CompletableFuture<SyncReport> result = new CompletableFuture<>();
		EventLoopGroup group = ioGroup;
		if (group == null) {
			result.complete(SyncReport.failed(circle.circleId(), addr.wire(), "Gossip transport is not attached"));
			return result;
		}
		if (isSelfAddress(addr)) {
			result.complete(SyncReport.failed(circle.circleId(), addr.wire(), "Refusing to dial our own address"));
			return result;
		}
		String dialKey = circle.circleId() + "|" + addr.wire();
		if (!dialing.add(dialKey)) {
			result.complete(SyncReport.failed(circle.circleId(), addr.wire(), "Already dialling this peer"));
			return result;
		}
		// Book-keeping happens before the caller sees the outcome, so back-off is visible right after.
		CompletableFuture<SyncReport> outcome = result.thenApply(r -> {
			dialing.remove(dialKey);
			if (r.ok()) {
				backoff.remove(addr.wire());
			} else {
				peerFailed(addr.wire());
				TransportContext ctx = context;
				if (ctx != null) {
					ctx.unreachable(TRANSPORT_ID, circle.circleId(), addr.wire(), r.error()); // why a join waits
				}
			}
			return r;
		});
		GossipSession session = GossipSession.client(this, circle, addr.wire(), result);
		Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
				.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis())
				.option(ChannelOption.TCP_NODELAY, true)
				.option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024))
				.handler(new ChannelInitializer<SocketChannel>() {
					@Override
					protected void initChannel(SocketChannel ch) {
						channels.add(ch);
						install(ch.pipeline(), session);
					}
				});
		ChannelFuture connect = bootstrap.connect(addr.host(), addr.port());
		connect.addListener(f -> {
			if (!f.isSuccess()) {
				String why = f.cause() == null ? "connect failed" : f.cause().getMessage();
				result.complete(SyncReport.failed(circle.circleId(), addr.wire(), "Cannot connect: " + why));
			}
		});
		return outcome;
	}

	private void peerFailed(String addr) {
		backoff.compute(addr, (k, b) -> {
			int failures = b == null ? 1 : Math.min(b.failures() + 1, 30);
			long delay = Math.min(options.maxBackoff().toMillis(),
					options.interval().toMillis() * (1L << Math.min(failures, 20)));
			return new Backoff(failures, System.currentTimeMillis() + delay);
		});
	}

	/** Whether {@code addr} is currently held back after failures. */
	public boolean backingOff(String addr) {
		Backoff b = backoff.get(addr);
		return b != null && System.currentTimeMillis() < b.notBeforeMillis();
	}

	void lastError(String error) {
		lastError = error == null ? "" : error;
	}

	public TransportState state() {
		if (context == null) {
			return new TransportState(TransportState.Mode.OFFLINE, 0, "Gossip stopped", TRANSPORT_ID + ": off");
		}
		Set<String> livePeers = new HashSet<>();
		liveSessions.values().forEach(s -> livePeers.add(s.peerNodeId()));
		String detail = "Listening on " + LocalAddresses.hostPort(options.bindHost(), boundPort) + ", dialled at "
				+ dialableAddress() + (lastError.isEmpty() ? "" : " (last error: " + lastError + ")");
		return new TransportState(livePeers.isEmpty() ? TransportState.Mode.POLL : TransportState.Mode.LIVE,
				livePeers.size(), detail, label(livePeers.size()));
	}

	/** The status-line segment: how many peers this node is connected to live. */
	static String label(int livePeers) {
		return TRANSPORT_ID + "(" + livePeers + ")";
	}

	/** For tests: the live sessions by circle and peer. */
	public int liveSessionCount() {
		return liveSessions.size();
	}
}
