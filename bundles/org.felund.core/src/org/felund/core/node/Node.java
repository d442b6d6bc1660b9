package org.felund.core.node;

import java.lang.System.Logger.Level;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import org.felund.api.call.CallSession;
import org.felund.api.crypto.CircleCrypto;
import org.felund.api.crypto.CircleSecret;
import org.felund.api.crypto.CryptoException;
import org.felund.api.crypto.CryptoService;
import org.felund.api.crypto.DecryptedBody;
import org.felund.api.model.AccessMode;
import org.felund.api.model.Channel;
import org.felund.api.model.ChatMessage;
import org.felund.api.model.Circle;
import org.felund.api.model.Invite;
import org.felund.api.model.Member;
import org.felund.api.model.Peer;
import org.felund.api.model.ProtocolException;
import org.felund.api.node.CreatedCircle;
import org.felund.api.node.NodeIdentity;
import org.felund.api.node.NodeListener;
import org.felund.api.node.NodeService;
import org.felund.api.node.SystemNote;
import org.felund.api.store.CircleStore;
import org.felund.api.store.MessageStore;
import org.felund.api.store.MessageStore.StoredMessage;
import org.felund.api.store.SecretStore;
import org.felund.api.store.SyncKey;
import org.felund.api.transport.CircleAccess;
import org.felund.api.transport.ReceiveResult;
import org.felund.api.transport.Transport;
import org.felund.api.transport.TransportContext;
import org.felund.api.transport.TransportContext.NodeEvents;
import org.felund.api.transport.TransportState;
import org.felund.core.control.CallRegistry;
import org.felund.api.control.ChannelEvent;
import org.felund.protocol.control.ChannelIds;
import org.felund.api.control.CircleNameEvent;
import org.felund.core.control.ControlApplier;
import org.felund.api.control.ControlEvent;
import org.felund.protocol.control.ControlEvents;
import org.felund.protocol.invite.InviteCodes;
import org.felund.protocol.wire.Json;

/**
 * A felund node: identity, circles, channels, sending and history for the UI and the CLI ({@link NodeService}),
 * and the acceptance rules every transport shares ({@link #context()}, protocol §4.7).
 * <p>
 * Messages are kept at rest only as ciphertext: a received schema-2 message keeps its envelope, a schema-1
 * message (MAC only) gets a local envelope. What this node sends is schema 2 with both the MAC and {@code enc},
 * like the reference's interactive client, so Python nodes of any age and web clients read it.
 * <p>
 * The node does not own its stores or transports' threads: build it, {@link #attach} transports, and
 * {@link #close()} it (which detaches them) before closing the store. Thread-safe.
 * <p>
 * A {@code Node} is not itself the {@link TransportContext}: both interfaces declare {@code circles()} and
 * {@code circle(String)} with different result types, so the context is the object {@link #context()} returns.
 */
public final class Node implements NodeService, AutoCloseable {
	/** Origin id passed to transports for messages created on this node. */
	public static final String LOCAL_ORIGIN = "local";
	/** Origin id for messages another process stored in the same home, found through the change feed. */
	public static final String STORE_ORIGIN = "store";
	/**
	 * Longest text this node sends, in UTF-8 bytes. A schema-2 message carries its text twice (clear and inside
	 * {@code enc}); at 4 KiB it still fits the reference's smallest frame limit (16 KiB plaintext lines), and it is
	 * the PHP relay's limit for legacy plaintext.
	 */
	public static final int MAX_TEXT_BYTES = 4096;

	private static final System.Logger LOG = System.getLogger(Node.class.getName());
	private static final int FEED_PAGE = 256;
	private static final int ANNOUNCED_CAPACITY = 20_000;
	private static final int MAX_HISTORY_PAGE = 1000;

	private final CryptoService crypto;
	private final MessageStore messages;
	private final CircleStore state;
	private final SecretStore secrets;
	private final NodeOptions options;
	private final String nodeId;
	private final Context context = new Context();
	private final CallRegistry calls = new CallRegistry();
	private final ControlApplier applier;
	/** Serializes store-and-apply so control events are applied in acceptance order. */
	private final Object applyLock = new Object();
	private final Map<String, CircleCrypto> cryptoCache = new ConcurrentHashMap<>();
	private final Map<String, Set<String>> knownMembers = new ConcurrentHashMap<>();
	private final Map<String, String> liveNames = new ConcurrentHashMap<>();
	private final Map<String, Map<String, Set<String>>> reach = new ConcurrentHashMap<>();
	private final Map<String, Map<String, Long>> contacts = new ConcurrentHashMap<>();
	private final Set<String> announced = Collections.synchronizedSet(Collections.newSetFromMap(
			new LinkedHashMap<String, Boolean>(1024, 0.75f, false) {
				private static final long serialVersionUID = 1L;

				@Override
				protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
					return size() > ANNOUNCED_CAPACITY;
				}
			}));
	private final List<Transport> transports = new CopyOnWriteArrayList<>();
	private final List<NodeListener> listeners = new CopyOnWriteArrayList<>();
	private final List<NodeEvents> transportListeners = new CopyOnWriteArrayList<>();
	private final ExecutorService events;
	private final ScheduledExecutorService timer;
	private final Object feedLock = new Object();
	private long feedSeq;
	private Set<String> feedCircles;
	private volatile boolean closed;

	public Node(CryptoService crypto, MessageStore messages, CircleStore state, SecretStore secrets,
			NodeOptions options) {
		this.crypto = Objects.requireNonNull(crypto, "crypto");
		this.messages = Objects.requireNonNull(messages, "messages");
		this.state = Objects.requireNonNull(state, "state");
		this.secrets = Objects.requireNonNull(secrets, "secrets");
		this.options = Objects.requireNonNull(options, "options");
		this.applier = new ControlApplier(state, calls, options.clock());
		this.nodeId = loadOrCreateNodeId();
		this.feedSeq = messages.lastSeq();
		this.feedCircles = circleIds();
		this.events = Executors.newSingleThreadExecutor(daemon("felund-node-events"));
		boolean prune = !options.pruneInterval().isZero();
		boolean feed = !options.feedPollInterval().isZero();
		this.timer = prune || feed ? Executors.newSingleThreadScheduledExecutor(daemon("felund-node-timer")) : null;
		if (prune) {
			long every = options.pruneInterval().toMillis();
			timer.scheduleWithFixedDelay(() -> guarded("Retention", this::pruneNow), 0, every, TimeUnit.MILLISECONDS);
		}
		if (feed) {
			long every = options.feedPollInterval().toMillis();
			timer.scheduleWithFixedDelay(() -> guarded("Change feed", this::pollChangeFeed), every, every,
					TimeUnit.MILLISECONDS);
		}
	}

	/** What transports see of this node. */
	public TransportContext context() {
		return context;
	}

	// ================================================================ identity

	@Override
	public NodeIdentity identity() {
		return new NodeIdentity(nodeId, displayName(), bindHost(), port(), relayUrl(), canAnchor());
	}

	public String nodeId() {
		return nodeId;
	}

	public String displayName() {
		return setting(NodeSettings.DISPLAY_NAME).orElse(NodeSettings.DEFAULT_DISPLAY_NAME);
	}

	@Override
	public void setDisplayName(String displayName) {
		NodeIdentity current = identity();
		configure(new NodeIdentity(nodeId, displayName, current.bindHost(), current.port(), current.relayUrl(),
				current.canAnchor()));
	}

	/**
	 * Validates everything first, then persists. A changed display name is announced to every circle with a
	 * {@code CHANNEL_EVT rename}, as the reference's interactive client does.
	 */
	@Override
	public void configure(NodeIdentity identity) {
		Objects.requireNonNull(identity, "identity");
		if (identity.nodeId() != null && !identity.nodeId().equals(nodeId)) {
			throw new IllegalArgumentException("The node id cannot be changed (it is " + nodeId + ")");
		}
		String name = validDisplayName(identity.displayName());
		String bind = validBindHost(identity.bindHost());
		int port = validPort(identity.port());
		String relay = validRelayUrl(identity.relayUrl());
		boolean nameChanged = !name.equals(displayName());
		boolean addressChanged = !bind.equals(bindHost()) || port != port();
		state.putSetting(NodeSettings.BIND_HOST, bind);
		state.putSetting(NodeSettings.PORT, Integer.toString(port));
		state.putSetting(NodeSettings.RELAY_URL, relay);
		state.putSetting(NodeSettings.CAN_ANCHOR, Boolean.toString(identity.canAnchor()));
		state.putSetting(NodeSettings.DISPLAY_NAME, name);
		if (nameChanged) {
			long now = now();
			for (Circle c : state.circles()) {
				if (circleCrypto(c.circleId()).isPresent()) {
					emitControl(c.circleId(), ChannelEvent.rename(c.circleId(), nodeId, name, nodeId, now));
				}
			}
		}
		if (addressChanged) {
			// Transports read the address when attached; restarting them (off the caller's thread, a transport
			// may take a moment to let go of its port) makes a new port work now, e.g. right after first-run setup.
			dispatch(this::reattachTransports);
		}
	}

	private void reattachTransports() {
		for (Transport t : List.copyOf(transports)) {
			if (closed) {
				return;
			}
			detach(t);
			try {
				attach(t);
			} catch (RuntimeException e) {
				LOG.log(Level.WARNING, "Transport " + t.id() + " did not start with the new settings: " + e.getMessage());
			}
		}
	}

	private String bindHost() {
		return setting(NodeSettings.BIND_HOST).orElse(options.defaultBindHost());
	}

	private int port() {
		try {
			return setting(NodeSettings.PORT).map(Integer::parseInt).orElse(options.defaultPort());
		} catch (NumberFormatException e) {
			return options.defaultPort();
		}
	}

	private String relayUrl() {
		return setting(NodeSettings.RELAY_URL).orElse("");
	}

	private boolean canAnchor() {
		return setting(NodeSettings.CAN_ANCHOR).map(Boolean::parseBoolean).orElse(false);
	}

	// ================================================================ circles

	@Override
	public List<Circle> circles() {
		List<Circle> out = new ArrayList<>(state.circles());
		out.sort(Comparator.comparingLong(Circle::joinedTs).thenComparing(Circle::circleId));
		return out;
	}

	@Override
	public Optional<Circle> circle(String circleId) {
		return circleId == null ? Optional.empty() : state.circle(circleId);
	}

	@Override
	public CreatedCircle createCircle(String name) {
		String cleanName = validCircleName(name, true);
		CircleSecret secret = crypto.newSecret();
		CircleCrypto cc = crypto.forCircle(secret);
		Circle circle = new Circle(cc.circleId(), cc.circleHint(), "", now(), "");
		// The secret first: a circle row without its secret would be unusable, a lone secret is harmless.
		secrets.put(circle.circleId(), secret);
		state.putCircle(circle);
		cryptoCache.put(circle.circleId(), cc);
		enterCircle(circle.circleId());
		if (!cleanName.isEmpty()) {
			emitControl(circle.circleId(), new CircleNameEvent(circle.circleId(), cleanName));
		}
		Circle created = state.circle(circle.circleId()).orElse(circle);
		return new CreatedCircle(created, inviteCode(circle.circleId(), null));
	}

	@Override
	public Circle joinCircle(String inviteCode) {
		Invite invite;
		try {
			invite = InviteCodes.decode(inviteCode);
		} catch (ProtocolException e) {
			throw new IllegalArgumentException(e.getMessage(), e);
		}
		return joinCircle(invite.secretHex(), invite.peer());
	}

	@Override
	public Circle joinCircle(String secretHex, String peer) {
		CircleSecret secret = CircleSecret.fromHex(secretHex);
		String bootstrap = validBootstrapPeer(peer);
		CircleCrypto cc = crypto.forCircle(secret);
		Optional<Circle> existing = state.circle(cc.circleId());
		if (existing.isPresent()) {
			if (secrets.get(cc.circleId()).isEmpty()) {
				secrets.put(cc.circleId(), secret);
			}
			Circle c = existing.get();
			if (c.bootstrapPeer().isEmpty() && !bootstrap.isEmpty()) {
				c = new Circle(c.circleId(), c.circleHint(), c.name(), c.joinedTs(), bootstrap);
				state.putCircle(c);
			}
			return c;
		}
		Circle circle = new Circle(cc.circleId(), cc.circleHint(), "", now(), bootstrap);
		secrets.put(circle.circleId(), secret);
		state.putCircle(circle);
		cryptoCache.put(circle.circleId(), cc);
		enterCircle(circle.circleId());
		for (Transport t : transports) {
			try {
				t.syncNow(circle.circleId());
			} catch (RuntimeException e) {
				LOG.log(Level.WARNING, "Transport " + t.id() + " failed to start a sync", e);
			}
		}
		return circle;
	}

	@Override
	public void setBootstrapPeer(String circleId, String hostPort) {
		String bootstrap = validBootstrapPeer(hostPort);
		if (bootstrap.isEmpty() || InviteCodes.isRelayUrl(bootstrap)) {
			throw new IllegalArgumentException("A bootstrap peer is host:port, not '" + hostPort + "'");
		}
		Circle c = state.circle(circleId)
				.orElseThrow(() -> new IllegalArgumentException("Unknown circle " + circleId));
		state.putCircle(new Circle(c.circleId(), c.circleHint(), c.name(), c.joinedTs(), bootstrap));
		for (Transport t : transports) {
			try {
				t.syncNow(circleId);
			} catch (RuntimeException e) {
				LOG.log(Level.WARNING, "Transport " + t.id() + " failed to start a sync", e);
			}
		}
	}

	private void enterCircle(String circleId) {
		state.addMember(circleId, nodeId);
		knownMembers.computeIfAbsent(circleId, k -> ConcurrentHashMap.newKeySet()).add(nodeId);
		applier.ensureGeneral(circleId);
		synchronized (feedLock) {
			Set<String> ids = new HashSet<>(feedCircles);
			ids.add(circleId);
			feedCircles = ids;
		}
		dispatch(() -> {
			transportListeners.forEach(l -> safely(() -> l.circleAdded(circleId)));
			listeners.forEach(l -> safely(() -> l.circleChanged(circleId)));
		});
	}

	@Override
	public void leaveCircle(String circleId) {
		requireCircle(circleId);
		state.removeCircle(circleId);
		messages.deleteCircle(circleId);
		secrets.remove(circleId);
		forgetCircle(circleId);
		synchronized (feedLock) {
			Set<String> ids = new HashSet<>(feedCircles);
			ids.remove(circleId);
			feedCircles = ids;
		}
		dispatch(() -> {
			transportListeners.forEach(l -> safely(() -> l.circleRemoved(circleId)));
			listeners.forEach(l -> safely(() -> l.circleChanged(circleId)));
		});
	}

	private void forgetCircle(String circleId) {
		cryptoCache.remove(circleId);
		knownMembers.remove(circleId);
		reach.remove(circleId);
		contacts.remove(circleId);
		calls.forgetCircle(circleId);
		liveNames.keySet().removeIf(k -> k.startsWith(circleId + "|"));
	}

	/** Announces the name with a {@code CIRCLE_NAME_EVT} that carries {@code circle_id} (both clients read it). */
	@Override
	public void renameCircle(String circleId, String name) {
		requireCircle(circleId);
		String cleanName = validCircleName(name, false);
		emitControl(circleId, new CircleNameEvent(circleId, cleanName));
	}

	/**
	 * An invite for the circle. Without a hint the peer is this node's gossip address: the bind host, or for a
	 * wildcard bind the first site-local IPv4 address of an interface that is up (else 127.0.0.1), and the port.
	 */
	@Override
	public String inviteCode(String circleId, String peerHint) {
		requireCircle(circleId);
		CircleSecret secret = secrets.get(circleId)
				.orElseThrow(() -> new IllegalArgumentException("The secret of circle " + circleId + " is missing"));
		String peer = peerHint == null || peerHint.isBlank() ? advertisedAddress() : peerHint.strip();
		return InviteCodes.encode(secret, peer);
	}

	/** The {@code host:port} this node advertises for gossip. */
	public String advertisedAddress() {
		String bind = bindHost();
		String host = isWildcard(bind) ? lanAddress() : bind;
		return new InviteCodes.HostPort(host, port()).address();
	}

	// ================================================================ channels

	@Override
	public List<Channel> channels(String circleId) {
		requireCircle(circleId);
		List<Channel> out = new ArrayList<>();
		for (Channel c : state.channels(circleId)) {
			if (!ChannelIds.isControl(c.channelId())) {
				out.add(c);
			}
		}
		out.sort(Comparator.comparing((Channel c) -> !ChatMessage.GENERAL.equals(c.channelId()))
				.thenComparing(Channel::channelId));
		return out;
	}

	@Override
	public Channel createChannel(String circleId, String channelId, AccessMode mode, String channelKey) {
		requireCircle(circleId);
		String id = ChannelIds.requirePortable(channelId);
		if (state.channel(circleId, id).isPresent()) {
			throw new IllegalArgumentException("Channel #" + id + " already exists");
		}
		AccessMode m = mode == null ? AccessMode.PUBLIC : mode;
		String keyHash = "";
		if (m == AccessMode.KEY) {
			if (channelKey == null || channelKey.isEmpty()) {
				throw new IllegalArgumentException("A key channel needs a key");
			}
			keyHash = requireCrypto(circleId).channelKeyHash(id, channelKey);
		}
		emitControl(circleId, ChannelEvent.create(circleId, id, m, keyHash, nodeId, now()));
		return state.channel(circleId, id).orElseThrow(() -> new IllegalStateException("Channel #" + id + " vanished"));
	}

	@Override
	public Channel joinChannel(String circleId, String channelId, String channelKey) {
		Channel c = requireChannel(circleId, channelId);
		if (c.members().contains(nodeId)) {
			return c;
		}
		switch (c.accessMode()) {
		case KEY -> {
			if (!c.keyHash().isEmpty()) {
				if (channelKey == null || channelKey.isEmpty()) {
					throw new IllegalArgumentException("#" + c.channelId() + " needs its key to join");
				}
				String hash = requireCrypto(circleId).channelKeyHash(c.channelId(), channelKey);
				if (!hash.equals(c.keyHash())) {
					throw new IllegalArgumentException("Wrong key for #" + c.channelId());
				}
			}
		}
		case INVITE -> throw new IllegalArgumentException(
				"#" + c.channelId() + " is invite-only: request access and wait for the owner's approval");
		default -> {
		}
		}
		emitControl(circleId,
				ChannelEvent.membership(ChannelEvent.Op.JOIN, circleId, c.channelId(), nodeId, nodeId, now()));
		return state.channel(circleId, c.channelId()).orElse(c);
	}

	@Override
	public void leaveChannel(String circleId, String channelId) {
		Channel c = requireChannel(circleId, channelId);
		if (ChatMessage.GENERAL.equals(c.channelId())) {
			throw new IllegalArgumentException("Nobody leaves #general");
		}
		if (!c.members().contains(nodeId)) {
			throw new IllegalArgumentException("You are not in #" + c.channelId());
		}
		emitControl(circleId,
				ChannelEvent.membership(ChannelEvent.Op.LEAVE, circleId, c.channelId(), nodeId, nodeId, now()));
	}

	@Override
	public void requestChannel(String circleId, String channelId) {
		Channel c = requireChannel(circleId, channelId);
		if (c.members().contains(nodeId)) {
			throw new IllegalArgumentException("You are already in #" + c.channelId());
		}
		emitControl(circleId,
				ChannelEvent.membership(ChannelEvent.Op.REQUEST, circleId, c.channelId(), nodeId, nodeId, now()));
	}

	/** Only the channel's owner approves (the reference does not check; our own nodes do better). */
	@Override
	public void approveChannel(String circleId, String channelId, String targetNodeId) {
		Channel c = requireChannel(circleId, channelId);
		if (targetNodeId == null || targetNodeId.isBlank()) {
			throw new IllegalArgumentException("Whom to approve? A node id is needed");
		}
		if (!c.ownerNodeId().isEmpty() && !c.ownerNodeId().equals(nodeId)) {
			throw new IllegalArgumentException("Only the owner of #" + c.channelId() + " can approve members");
		}
		emitControl(circleId, ChannelEvent.approve(circleId, c.channelId(), targetNodeId.strip(), nodeId, now()));
	}

	// ================================================================ messages

	@Override
	public ChatMessage send(String circleId, String channelId, String text) {
		requireCircle(circleId);
		String channel = channelId == null || channelId.isBlank() ? ChatMessage.GENERAL
				: requireChannel(circleId, channelId).channelId();
		Channel c = state.channel(circleId, channel).orElse(null);
		if (c != null && c.accessMode() != AccessMode.PUBLIC && !c.members().contains(nodeId)) {
			throw new IllegalArgumentException("Join #" + channel + " before writing to it");
		}
		if (text == null || text.isBlank()) {
			throw new IllegalArgumentException("Nothing to send: the text is empty");
		}
		if (Json.hasLoneSurrogate(text)) {
			throw new IllegalArgumentException("The text contains a broken character (unpaired UTF-16 surrogate)");
		}
		int bytes = text.getBytes(StandardCharsets.UTF_8).length;
		if (bytes > MAX_TEXT_BYTES) {
			throw new IllegalArgumentException(
					"The text is " + bytes + " bytes long; at most " + MAX_TEXT_BYTES + " bytes fit in one message");
		}
		ChatMessage m = MessageFactory.create(crypto, requireCrypto(circleId), channel, nodeId, displayName(), text,
				now());
		storeOwn(circleId, m);
		return m;
	}

	@Override
	public List<ChatMessage> history(String circleId, String channelId, SyncKey before, int limit) {
		requireCircle(circleId);
		if (limit < 1 || limit > MAX_HISTORY_PAGE) {
			throw new IllegalArgumentException("The page size must be 1.." + MAX_HISTORY_PAGE + ", got " + limit);
		}
		String channel;
		if (channelId == null || channelId.isBlank()) {
			channel = ChatMessage.GENERAL;
		} else if (ChannelIds.isControl(channelId.strip())) {
			channel = ChatMessage.CONTROL;
		} else {
			channel = ChannelIds.normalizeUserInput(channelId);
		}
		CircleCrypto cc = requireCrypto(circleId);
		List<ChatMessage> out = new ArrayList<>();
		for (ChatMessage atRest : messages.history(circleId, channel, before, limit)) {
			decrypt(cc, atRest).ifPresent(out::add);
		}
		return out;
	}

	/** The call sessions of a circle as known from CALL_EVTs (memory only, like the reference). */
	public List<CallSession> calls(String circleId) {
		return calls.calls(circleId);
	}

	/** Control events as chat lines; names are the live ones, nodes without a name show a short id. */
	@Override
	public Optional<SystemNote> describe(ChatMessage controlMessage) {
		if (controlMessage == null || !controlMessage.isControl()) {
			return Optional.empty();
		}
		String circleId = controlMessage.circleId();
		return ControlEvents.parse(controlMessage.text()).flatMap(event -> SystemNotes.describe(controlMessage, event,
				id -> id.equals(nodeId) ? displayName()
						: state.displayName(circleId, id).filter(n -> !n.isBlank()).orElse(SystemNotes.shortId(id)),
				session -> calls.call(circleId, session).map(CallSession::channelId)));
	}

	// ================================================================ members, peers, transports

	@Override
	public List<Member> members(String circleId) {
		requireCircle(circleId);
		Set<String> ids = new LinkedHashSet<>();
		ids.add(nodeId);
		ids.addAll(state.members(circleId));
		Map<String, Long> peerSeen = new LinkedHashMap<>();
		for (Peer p : state.peers(circleId)) {
			peerSeen.merge(p.nodeId(), p.lastSeen(), Math::max);
		}
		Map<String, Long> contact = contacts.getOrDefault(circleId, Map.of());
		Map<String, Set<String>> reached = reach.getOrDefault(circleId, Map.of());
		long now = now();
		List<Member> out = new ArrayList<>();
		for (String id : ids) {
			boolean self = id.equals(nodeId);
			String name = self ? displayName() : state.displayName(circleId, id).orElse("");
			long seen = self ? now : Math.max(peerSeen.getOrDefault(id, 0L), contact.getOrDefault(id, 0L));
			Set<String> via = self ? Set.of() : Set.copyOf(reached.getOrDefault(id, Set.of()));
			out.add(new Member(id, name, seen, via));
		}
		out.sort(Comparator.comparing((Member m) -> !m.nodeId().equals(nodeId))
				.thenComparing(m -> m.displayName().toLowerCase(Locale.ROOT)).thenComparing(Member::nodeId));
		return out;
	}

	@Override
	public List<Peer> peers(String circleId) {
		requireCircle(circleId);
		List<Peer> out = new ArrayList<>();
		for (Peer p : state.peers(circleId)) {
			if (!p.nodeId().equals(nodeId)) {
				out.add(p);
			}
		}
		return out;
	}

	@Override
	public Map<String, TransportState> transports() {
		Map<String, TransportState> out = new LinkedHashMap<>();
		for (Transport t : transports) {
			try {
				out.put(t.id(), t.state());
			} catch (RuntimeException e) {
				out.put(t.id(), TransportState.offline(String.valueOf(e.getMessage())));
			}
		}
		return out;
	}

	/** Attaches a transport: it starts working for this node in the background. */
	public void attach(Transport transport) {
		Objects.requireNonNull(transport, "transport");
		if (closed) {
			throw new IllegalStateException("The node is closed");
		}
		if (transports.contains(transport)) {
			return;
		}
		transports.add(transport);
		transport.attach(context);
		context.stateChanged(transport);
	}

	/** Detaches a transport and stops it; unknown transports are ignored. */
	public void detach(Transport transport) {
		if (transport == null || !transports.remove(transport)) {
			return;
		}
		try {
			transport.detach();
		} finally {
			String id = transport.id();
			for (Map<String, Set<String>> byNode : reach.values()) {
				byNode.values().forEach(s -> s.remove(id));
			}
			dispatch(() -> listeners.forEach(
					l -> safely(() -> l.transportChanged(id, TransportState.offline("detached")))));
		}
	}

	@Override
	public void addListener(NodeListener listener) {
		listeners.add(Objects.requireNonNull(listener, "listener"));
	}

	@Override
	public void removeListener(NodeListener listener) {
		listeners.remove(listener);
	}

	// ================================================================ housekeeping

	/** Applies the retention policy now; returns how many messages were deleted. */
	public int pruneNow() {
		return messages.prune(options.retention(), now());
	}

	/**
	 * Reads the store's change feed and announces messages another process stored in this home (and circles it
	 * joined or left) to transports and listeners. Runs on the timer; public for one-shot use and tests.
	 */
	public void pollChangeFeed() {
		synchronized (feedLock) {
			Set<String> current = circleIds();
			for (String added : difference(current, feedCircles)) {
				dispatch(() -> {
					transportListeners.forEach(l -> safely(() -> l.circleAdded(added)));
					listeners.forEach(l -> safely(() -> l.circleChanged(added)));
				});
			}
			for (String removed : difference(feedCircles, current)) {
				forgetCircle(removed);
				dispatch(() -> {
					transportListeners.forEach(l -> safely(() -> l.circleRemoved(removed)));
					listeners.forEach(l -> safely(() -> l.circleChanged(removed)));
				});
			}
			feedCircles = current;
			long last = messages.lastSeq();
			if (last <= feedSeq) {
				return;
			}
			for (String circleId : current) {
				Optional<CircleCrypto> cc = circleCrypto(circleId);
				long after = feedSeq;
				while (true) {
					List<StoredMessage> page = messages.since(circleId, after, FEED_PAGE);
					for (StoredMessage sm : page) {
						after = Math.max(after, sm.seq());
						if (cc.isPresent() && announced.add(key(circleId, sm.message().msgId()))) {
							announceForeign(circleId, cc.get(), sm.message());
						}
					}
					if (page.size() < FEED_PAGE) {
						break;
					}
				}
			}
			// Rows inserted while we read may have a sequence above 'last'; they are read again next time and
			// skipped then through the announced set.
			feedSeq = last;
		}
	}

	private void announceForeign(String circleId, CircleCrypto cc, ChatMessage atRest) {
		Optional<ChatMessage> plain = decrypt(cc, atRest);
		if (plain.isEmpty()) {
			return;
		}
		ChatMessage wire = wireReady(cc, plain.get(), atRest.enc());
		boolean changed = false;
		if (wire.isControl()) {
			Optional<ControlEvent> event = ControlEvents.parse(wire.text());
			if (event.isPresent()) {
				synchronized (applyLock) {
					changed = applier.apply(circleId, wire, event.get());
				}
			}
		}
		announce(circleId, wire, STORE_ORIGIN, changed);
	}

	/** Waits until every listener and transport notification queued so far has been delivered. */
	public boolean awaitEvents(Duration timeout) throws InterruptedException {
		CountDownLatch done = new CountDownLatch(1);
		try {
			events.execute(done::countDown);
		} catch (RejectedExecutionException e) {
			return true;
		}
		return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	/** Detaches every transport and stops the node's threads. The stores stay open (the caller owns them). */
	@Override
	public void close() {
		if (closed) {
			return;
		}
		closed = true;
		for (Transport t : List.copyOf(transports)) {
			try {
				detach(t);
			} catch (RuntimeException e) {
				LOG.log(Level.WARNING, "Transport " + t.id() + " failed to detach", e);
			}
		}
		if (timer != null) {
			timer.shutdownNow();
		}
		events.shutdown();
		try {
			if (!events.awaitTermination(5, TimeUnit.SECONDS)) {
				events.shutdownNow();
			}
			if (timer != null) {
				timer.awaitTermination(5, TimeUnit.SECONDS);
			}
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	// ================================================================ acceptance (TransportContext side)

	private ReceiveResult receive(String circleId, ChatMessage message, String transportId, String fromNodeId) {
		return receiveAll(circleId, List.of(message), transportId, fromNodeId).get(0);
	}

	/** A message that passed the acceptance checks: its plaintext, its at-rest and its wire form. */
	private record Verified(int index, ChatMessage plain, ChatMessage atRest, ChatMessage wire) {
	}

	/** §4.7 checks that need no lock: circle, decrypt (enc wins, MAC not checked) or legacy MAC. */
	private Optional<Verified> verify(String circleId, int index, ChatMessage message) {
		if (message == null || circleId == null || !circleId.equals(message.circleId())) {
			return Optional.empty();
		}
		Optional<CircleCrypto> maybeCrypto = circleCrypto(circleId);
		if (maybeCrypto.isEmpty() || hasLoneSurrogate(message)) {
			return Optional.empty();
		}
		CircleCrypto cc = maybeCrypto.get();
		ChatMessage verified;
		if (message.enc() != null) {
			// The envelope decides; the MAC is not checked (reference rule), the clear copy is overwritten.
			try {
				DecryptedBody body = cc.open(message.header(), message.enc());
				if (Json.hasLoneSurrogate(body.displayName()) || Json.hasLoneSurrogate(body.text())) {
					return Optional.empty();
				}
				verified = message.withPlaintext(body.displayName(), body.text());
			} catch (CryptoException | RuntimeException e) {
				return Optional.empty();
			}
		} else {
			if (!cc.verifyLegacyMac(message)) {
				return Optional.empty();
			}
			verified = message;
		}
		// At rest only ciphertext: a schema-1 message gets a local envelope.
		ChatMessage atRest = verified.enc() != null ? verified.ciphertextOnly()
				: verified.withEnvelope(cc.seal(verified.header(), verified.displayName(), verified.text()))
						.ciphertextOnly();
		return Optional.of(new Verified(index, verified, atRest, wireReady(cc, verified, atRest.enc())));
	}

	private List<ReceiveResult> receiveAll(String circleId, List<ChatMessage> batch, String transportId,
			String fromNodeId) {
		ReceiveResult[] results = new ReceiveResult[batch.size()];
		Arrays.fill(results, ReceiveResult.REJECTED);
		List<Verified> candidates = new ArrayList<>();
		for (int i = 0; i < batch.size(); i++) {
			verify(circleId, i, batch.get(i)).ifPresent(candidates::add);
		}
		if (candidates.isEmpty()) {
			return List.of(results);
		}
		List<Verified> stored = new ArrayList<>();
		List<Boolean> changedCircle = new ArrayList<>();
		synchronized (applyLock) {
			List<Verified> fresh = new ArrayList<>();
			Set<String> batchIds = new HashSet<>();
			for (Verified v : candidates) {
				String id = v.plain().msgId();
				if (!batchIds.add(id) || messages.contains(circleId, id)) {
					results[v.index()] = ReceiveResult.DUPLICATE; // first accepted copy wins
				} else {
					fresh.add(v);
				}
			}
			Set<String> added = new HashSet<>();
			for (ChatMessage m : messages.putAll(fresh.stream().map(Verified::atRest).toList())) {
				added.add(m.msgId());
			}
			for (Verified v : fresh) {
				if (!added.contains(v.plain().msgId())) {
					results[v.index()] = ReceiveResult.DUPLICATE; // another process stored it meanwhile
					continue;
				}
				results[v.index()] = ReceiveResult.STORED;
				announced.add(key(circleId, v.plain().msgId()));
				ChatMessage verified = v.plain();
				boolean changed = rememberMember(circleId, verified.authorNodeId());
				changed |= rememberLiveName(circleId, verified.authorNodeId(), verified.displayName());
				if (verified.isControl()) {
					Optional<ControlEvent> event = ControlEvents.parse(verified.text());
					if (event.isPresent()) {
						changed |= applier.apply(circleId, verified, event.get());
					}
				}
				stored.add(v);
				changedCircle.add(changed);
			}
		}
		long now = now();
		for (Verified v : stored) {
			touch(circleId, v.plain().authorNodeId(), now);
		}
		if (!stored.isEmpty() && fromNodeId != null && !fromNodeId.isBlank() && !fromNodeId.equals(nodeId)) {
			touch(circleId, fromNodeId, now);
		}
		for (int i = 0; i < stored.size(); i++) {
			announce(circleId, stored.get(i).wire(), transportId == null ? "" : transportId, changedCircle.get(i));
		}
		return List.of(results);
	}

	private Optional<ChatMessage> wireCopy(String circleId, String msgId) {
		Optional<CircleCrypto> cc = circleCrypto(circleId);
		if (cc.isEmpty() || msgId == null) {
			return Optional.empty();
		}
		return messages.get(circleId, msgId).flatMap(atRest -> decrypt(cc.get(), atRest))
				.map(plain -> wireReady(cc.get(), plain,
						cc.get().seal(plain.header(), plain.displayName(), plain.text())));
	}

	private void peerSeen(String circleId, Peer peer, String transportId) {
		if (peer == null || peer.nodeId() == null || peer.nodeId().isBlank() || peer.nodeId().equals(nodeId)
				|| state.circle(circleId).isEmpty()) {
			return; // our own record would make us dial ourselves (reference quirk §10 #6)
		}
		String peerId = peer.nodeId().strip();
		long now = now();
		long seen = Math.min(Math.max(peer.lastSeen(), 0), now);
		boolean changed;
		synchronized (applyLock) {
			changed = rememberMember(circleId, peerId);
		}
		String addr = peer.addr() == null ? "" : peer.addr().strip();
		if (!addr.isEmpty() && isDialable(addr)) {
			state.mergePeer(circleId, new Peer(peerId, addr, seen));
		}
		touch(circleId, peerId, seen);
		if (changed) {
			dispatch(() -> listeners.forEach(l -> safely(() -> l.circleChanged(circleId))));
		}
	}

	private void reachability(String circleId, String memberId, String transportId, boolean reachable) {
		if (circleId == null || memberId == null || transportId == null || memberId.equals(nodeId)) {
			return;
		}
		Map<String, Set<String>> byNode = reach.computeIfAbsent(circleId, k -> new ConcurrentHashMap<>());
		Set<String> via = byNode.computeIfAbsent(memberId, k -> ConcurrentHashMap.newKeySet());
		boolean changed = reachable ? via.add(transportId) : via.remove(transportId);
		if (reachable) {
			touch(circleId, memberId, now());
		}
		if (changed) {
			dispatch(() -> listeners.forEach(l -> safely(() -> l.circleChanged(circleId))));
		}
	}

	// ================================================================ internals

	/** Stores a message created here (ciphertext at rest), applies it if it is a control event, announces it. */
	private void storeOwn(String circleId, ChatMessage message) {
		boolean changed = false;
		synchronized (applyLock) {
			announced.add(key(circleId, message.msgId()));
			messages.put(message.ciphertextOnly());
			if (message.isControl()) {
				Optional<ControlEvent> event = ControlEvents.parse(message.text());
				if (event.isPresent()) {
					changed = applier.apply(circleId, message, event.get());
				}
			}
		}
		announce(circleId, message, LOCAL_ORIGIN, changed);
	}

	private void emitControl(String circleId, ControlEvent event) {
		ChatMessage m = MessageFactory.create(crypto, requireCrypto(circleId), ChatMessage.CONTROL, nodeId,
				displayName(), ControlEvents.toText(event), now());
		storeOwn(circleId, m);
	}

	private void announce(String circleId, ChatMessage wire, String origin, boolean circleChanged) {
		dispatch(() -> {
			transportListeners.forEach(l -> safely(() -> l.messageStored(circleId, wire, origin)));
			if (!wire.isControl()) {
				listeners.forEach(l -> safely(() -> l.messageAdded(wire)));
			}
			if (circleChanged) {
				listeners.forEach(l -> safely(() -> l.circleChanged(circleId)));
			}
		});
	}

	/** Plaintext, a correct legacy MAC and the given envelope: what every transport can send as is. */
	private static ChatMessage wireReady(CircleCrypto cc, ChatMessage plain,
			org.felund.api.model.Envelope envelope) {
		return plain.withMac(cc.legacyMac(plain)).withEnvelope(envelope);
	}

	private Optional<ChatMessage> decrypt(CircleCrypto cc, ChatMessage atRest) {
		if (atRest.enc() == null) {
			LOG.log(Level.WARNING, "Stored message " + atRest.msgId() + " has no envelope; skipped");
			return Optional.empty();
		}
		try {
			DecryptedBody body = cc.open(atRest.header(), atRest.enc());
			return Optional.of(atRest.withPlaintext(body.displayName(), body.text()));
		} catch (CryptoException e) {
			LOG.log(Level.WARNING, "Stored message " + atRest.msgId() + " does not decrypt: " + e.getMessage());
			return Optional.empty();
		}
	}

	private boolean rememberMember(String circleId, String member) {
		Set<String> known = knownMembers.computeIfAbsent(circleId, k -> {
			Set<String> s = ConcurrentHashMap.newKeySet();
			s.addAll(state.members(circleId));
			return s;
		});
		if (known.contains(member)) {
			return false;
		}
		state.addMember(circleId, member);
		known.add(member);
		return true;
	}

	/** The reference keeps the first 40 characters of a message's display name as the author's live name. */
	private boolean rememberLiveName(String circleId, String author, String displayName) {
		if (displayName == null || displayName.isEmpty() || author.equals(nodeId)) {
			return false;
		}
		String name = firstCodePoints(displayName, NodeSettings.DISPLAY_NAME_LIMIT);
		String k = circleId + "|" + author;
		String cached = liveNames.computeIfAbsent(k, x -> state.displayName(circleId, author).orElse(""));
		if (name.equals(cached)) {
			return false;
		}
		state.setDisplayName(circleId, author, name);
		liveNames.put(k, name);
		return true;
	}

	private void touch(String circleId, String member, long seen) {
		contacts.computeIfAbsent(circleId, k -> new ConcurrentHashMap<>()).merge(member, seen, Math::max);
	}

	private Optional<CircleCrypto> circleCrypto(String circleId) {
		if (circleId == null) {
			return Optional.empty();
		}
		CircleCrypto cached = cryptoCache.get(circleId);
		if (cached != null) {
			return Optional.of(cached);
		}
		if (state.circle(circleId).isEmpty()) {
			return Optional.empty();
		}
		Optional<CircleSecret> secret = secrets.get(circleId);
		if (secret.isEmpty()) {
			LOG.log(Level.WARNING, "Circle " + circleId + " has no secret in the key store; it is skipped");
			return Optional.empty();
		}
		CircleCrypto cc = crypto.forCircle(secret.get());
		if (!cc.circleId().equals(circleId)) {
			LOG.log(Level.ERROR, "The stored secret of circle " + circleId + " belongs to another circle");
			return Optional.empty();
		}
		cryptoCache.put(circleId, cc);
		return Optional.of(cc);
	}

	private CircleCrypto requireCrypto(String circleId) {
		return circleCrypto(circleId)
				.orElseThrow(() -> new IllegalArgumentException("The secret of circle " + circleId + " is missing"));
	}

	private Circle requireCircle(String circleId) {
		if (circleId == null || circleId.isBlank()) {
			throw new IllegalArgumentException("Which circle? A circle id is needed");
		}
		return state.circle(circleId).orElseThrow(() -> new IllegalArgumentException("Unknown circle " + circleId));
	}

	private Channel requireChannel(String circleId, String channelId) {
		requireCircle(circleId);
		String id = ChannelIds.normalizeUserInput(channelId);
		if (id.isEmpty()) {
			throw new IllegalArgumentException("Which channel? A channel name is needed");
		}
		if (ChannelIds.isControl(id)) {
			throw new IllegalArgumentException("#__control is reserved for control events");
		}
		return state.channel(circleId, id)
				.orElseThrow(() -> new IllegalArgumentException("Unknown channel #" + id + " in circle " + circleId));
	}

	private Set<String> circleIds() {
		Set<String> ids = new HashSet<>();
		for (Circle c : state.circles()) {
			ids.add(c.circleId());
		}
		return ids;
	}

	private String loadOrCreateNodeId() {
		Optional<String> existing = setting(NodeSettings.NODE_ID);
		if (existing.isPresent()) {
			return existing.get();
		}
		state.putSetting(NodeSettings.NODE_ID, crypto.newNodeId());
		// Read back: if another process on the same home won the race, use its id.
		return setting(NodeSettings.NODE_ID).orElseThrow(() -> new IllegalStateException("Cannot persist node id"));
	}

	private Optional<String> setting(String key) {
		return state.setting(key).filter(v -> !v.isBlank());
	}

	private long now() {
		return options.clock().getAsLong();
	}

	private void dispatch(Runnable r) {
		try {
			events.execute(r);
		} catch (RejectedExecutionException e) {
			LOG.log(Level.DEBUG, "Node closed; notification dropped");
		}
	}

	private static void safely(Runnable r) {
		try {
			r.run();
		} catch (RuntimeException e) {
			LOG.log(Level.WARNING, "A listener failed", e);
		}
	}

	private static void guarded(String what, Runnable r) {
		try {
			r.run();
		} catch (RuntimeException e) {
			LOG.log(Level.WARNING, what + " failed", e);
		}
	}

	private static ThreadFactory daemon(String name) {
		return r -> {
			Thread t = new Thread(r, name);
			t.setDaemon(true);
			return t;
		};
	}

	private static String key(String circleId, String msgId) {
		return circleId + "/" + msgId;
	}

	private static <T> Set<T> difference(Set<T> a, Set<T> b) {
		Set<T> out = new HashSet<>(a);
		out.removeAll(b);
		return out;
	}

	private static boolean hasLoneSurrogate(ChatMessage m) {
		return Json.hasLoneSurrogate(m.msgId()) || Json.hasLoneSurrogate(m.circleId())
				|| Json.hasLoneSurrogate(m.channelId()) || Json.hasLoneSurrogate(m.authorNodeId())
				|| Json.hasLoneSurrogate(m.displayName()) || Json.hasLoneSurrogate(m.text());
	}

	private static String firstCodePoints(String s, int max) {
		if (s.codePointCount(0, s.length()) <= max) {
			return s;
		}
		return s.substring(0, s.offsetByCodePoints(0, max));
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

	// ---------------------------------------------------------------- validation of settings

	private static String validDisplayName(String name) {
		String n = name == null ? "" : name.strip();
		if (n.isEmpty()) {
			throw new IllegalArgumentException("The display name is empty");
		}
		if (n.codePointCount(0, n.length()) > NodeSettings.DISPLAY_NAME_LIMIT) {
			throw new IllegalArgumentException(
					"The display name is longer than " + NodeSettings.DISPLAY_NAME_LIMIT + " characters");
		}
		if (Json.hasLoneSurrogate(n) || n.chars().anyMatch(Character::isISOControl)) {
			throw new IllegalArgumentException("The display name contains control or broken characters");
		}
		return n;
	}

	private static String validCircleName(String name, boolean mayBeEmpty) {
		String n = name == null ? "" : name.strip();
		if (n.isEmpty()) {
			if (mayBeEmpty) {
				return n;
			}
			throw new IllegalArgumentException("The circle name is empty");
		}
		if (n.codePointCount(0, n.length()) > ControlApplier.NAME_LIMIT) {
			throw new IllegalArgumentException(
					"The circle name is longer than " + ControlApplier.NAME_LIMIT + " characters");
		}
		if (Json.hasLoneSurrogate(n) || n.chars().anyMatch(Character::isISOControl)) {
			throw new IllegalArgumentException("The circle name contains control or broken characters");
		}
		return n;
	}

	private static String validBindHost(String bind) {
		String b = bind == null ? "" : bind.strip();
		if (b.isEmpty()) {
			throw new IllegalArgumentException("The bind host is empty (use 0.0.0.0 for all interfaces)");
		}
		if (b.chars().anyMatch(c -> Character.isWhitespace(c) || c == '/' || c == '@')) {
			throw new IllegalArgumentException("The bind host '" + b + "' is not a host name or address");
		}
		if (b.startsWith("[") && b.endsWith("]")) {
			b = b.substring(1, b.length() - 1);
		}
		return b;
	}

	private static int validPort(int port) {
		if (port < 1 || port > 65535) {
			throw new IllegalArgumentException("The port must be 1..65535, got " + port);
		}
		return port;
	}

	private static String validRelayUrl(String url) {
		String u = url == null ? "" : url.strip();
		if (u.isEmpty()) {
			return "";
		}
		String lower = u.toLowerCase(Locale.ROOT);
		if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
			throw new IllegalArgumentException("The relay URL must start with http:// or https://: " + u);
		}
		try {
			URI uri = new URI(u);
			if (uri.getHost() == null || uri.getHost().isEmpty()) {
				throw new IllegalArgumentException("The relay URL has no host: " + u);
			}
		} catch (URISyntaxException e) {
			throw new IllegalArgumentException("The relay URL is not valid: " + e.getMessage(), e);
		}
		while (u.endsWith("/")) {
			u = u.substring(0, u.length() - 1);
		}
		return u;
	}

	private static String validBootstrapPeer(String peer) {
		String p = peer == null ? "" : peer.strip();
		if (p.isEmpty() || InviteCodes.WEB_NO_RELAY_PLACEHOLDER.equals(p)) {
			return "";
		}
		if (InviteCodes.isRelayUrl(p)) {
			return p;
		}
		try {
			InviteCodes.parseHostPort(p);
		} catch (ProtocolException e) {
			throw new IllegalArgumentException(e.getMessage().replace("The invite peer", "The peer"), e);
		}
		return p;
	}

	private static boolean isWildcard(String host) {
		return host.isEmpty() || "0.0.0.0".equals(host) || "::".equals(host) || "0:0:0:0:0:0:0:0".equals(host);
	}

	/** A site-local IPv4 address of an interface that is up, else any non-loopback IPv4, else 127.0.0.1. */
	static String lanAddress() {
		String fallback = null;
		try {
			for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
				if (!nif.isUp() || nif.isLoopback() || nif.isVirtual()) {
					continue;
				}
				for (InetAddress a : Collections.list(nif.getInetAddresses())) {
					if (!(a instanceof Inet4Address) || a.isLoopbackAddress() || a.isLinkLocalAddress()) {
						continue;
					}
					if (a.isSiteLocalAddress()) {
						return a.getHostAddress();
					}
					if (fallback == null) {
						fallback = a.getHostAddress();
					}
				}
			}
		} catch (SocketException e) {
			LOG.log(Level.DEBUG, "Cannot list network interfaces: " + e.getMessage());
		}
		return fallback != null ? fallback : "127.0.0.1";
	}

	// ================================================================ the transport context

	/** The node as one transport sees it. */
	private final class Context implements TransportContext {
		@Override
		public String nodeId() {
			return nodeId;
		}

		@Override
		public String displayName() {
			return Node.this.displayName();
		}

		@Override
		public boolean canAnchor() {
			return Node.this.canAnchor();
		}

		@Override
		public List<CircleAccess> circles() {
			List<CircleAccess> out = new ArrayList<>();
			for (Circle c : state.circles()) {
				circleCrypto(c.circleId()).ifPresent(cc -> out.add(new Access(c.circleId(), c, cc)));
			}
			return out;
		}

		@Override
		public Optional<CircleAccess> circle(String circleId) {
			Optional<Circle> c = Node.this.circle(circleId);
			if (c.isEmpty()) {
				return Optional.empty();
			}
			return circleCrypto(circleId).map(cc -> new Access(circleId, c.get(), cc));
		}

		@Override
		public Optional<CircleAccess> circleByHint(String circleHint) {
			if (circleHint == null) {
				return Optional.empty();
			}
			for (Circle c : state.circles()) {
				if (circleHint.equals(c.circleHint())) {
					return circle(c.circleId());
				}
			}
			return Optional.empty();
		}

		@Override
		public MessageStore messages() {
			return messages;
		}

		@Override
		public CircleStore state() {
			return state;
		}

		@Override
		public ReceiveResult receive(String circleId, ChatMessage message, String transportId, String fromNodeId) {
			return Node.this.receive(circleId, message, transportId, fromNodeId);
		}

		@Override
		public List<ReceiveResult> receiveAll(String circleId, List<ChatMessage> batch, String transportId,
				String fromNodeId) {
			return Node.this.receiveAll(circleId, batch, transportId, fromNodeId);
		}

		@Override
		public Optional<ChatMessage> wireCopy(String circleId, String msgId) {
			return Node.this.wireCopy(circleId, msgId);
		}

		@Override
		public void peerSeen(String circleId, Peer peer, String transportId) {
			Node.this.peerSeen(circleId, peer, transportId);
		}

		@Override
		public void reachability(String circleId, String memberId, String transportId, boolean reachable) {
			Node.this.reachability(circleId, memberId, transportId, reachable);
		}

		@Override
		public void stateChanged(Transport transport) {
			String id = transport.id();
			TransportState now;
			try {
				now = transport.state();
			} catch (RuntimeException e) {
				now = TransportState.offline(String.valueOf(e.getMessage()));
			}
			TransportState snapshot = now;
			dispatch(() -> listeners.forEach(l -> safely(() -> l.transportChanged(id, snapshot))));
		}

		@Override
		public void addListener(NodeEvents listener) {
			transportListeners.add(Objects.requireNonNull(listener, "listener"));
		}

		@Override
		public void removeListener(NodeEvents listener) {
			transportListeners.remove(listener);
		}
	}

	/** One circle for a transport; the description is re-read so a renamed circle shows its new name. */
	private final class Access implements CircleAccess {
		private final String circleId;
		private final Circle initial;
		private final CircleCrypto crypto;

		Access(String circleId, Circle initial, CircleCrypto crypto) {
			this.circleId = circleId;
			this.initial = initial;
			this.crypto = crypto;
		}

		@Override
		public Circle circle() {
			return state.circle(circleId).orElse(initial);
		}

		@Override
		public CircleCrypto crypto() {
			return crypto;
		}

		@Override
		public String circleId() {
			return circleId;
		}
	}
}
