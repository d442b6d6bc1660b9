package org.felund.core.node;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.felund.api.anchor.AnchorPolicy;
import org.felund.api.control.ChannelEvent;
import org.felund.api.control.CircleNameEvent;
import org.felund.api.control.ControlEvent;
import org.felund.api.control.ControlEventService;
import org.felund.api.control.ControlMessage;
import org.felund.api.crypto.CircleCrypto;
import org.felund.api.crypto.CircleSecret;
import org.felund.api.crypto.CryptoService;
import org.felund.api.model.AccessMode;
import org.felund.api.model.Channel;
import org.felund.api.model.ChatMessage;
import org.felund.api.model.Circle;
import org.felund.api.model.Invite;
import org.felund.api.model.Member;
import org.felund.api.model.Peer;
import org.felund.api.model.ProtocolException;
import org.felund.api.node.ContactFailure;
import org.felund.api.node.CreatedCircle;
import org.felund.api.node.NodeIdentity;
import org.felund.api.node.NodeListener;
import org.felund.api.node.NodeService;
import org.felund.api.node.RelaySigner;
import org.felund.api.node.Retention;
import org.felund.api.node.SystemNote;
import org.felund.api.node.SystemNoteContributor;
import org.felund.api.store.CircleStore;
import org.felund.api.store.MessageStore;
import org.felund.api.store.SecretStore;
import org.felund.api.store.SyncKey;
import org.felund.api.transport.Endpoint;
import org.felund.api.transport.Transport;
import org.felund.api.transport.TransportContext;
import org.felund.api.transport.TransportState;
import org.felund.core.control.ControlApplier;
import org.felund.protocol.control.ChannelIds;
import org.felund.protocol.control.ControlEvents;
import org.felund.protocol.invite.InviteCodes;
import org.felund.protocol.wire.Json;

/**
 * A felund node: identity, circles, channels, sending and history for the UI and the CLI ({@link NodeService}),
 * control events for plugins ({@link #controlEvents()}) and the acceptance rules every transport shares
 * ({@link #context()}, protocol §4.7).
 * <p>
 * Messages are kept at rest only as ciphertext: a received schema-2 message keeps its envelope, a schema-1
 * message (MAC only) gets a local envelope. What this node sends is schema 2 with both the MAC and {@code enc},
 * like the reference's interactive client, so Python nodes of any age and web clients read it.
 * <p>
 * The node does not own its stores or transports' threads: build it, {@link #attach} transports, and
 * {@link #close()} it (which detaches them) before closing the store. Thread-safe. The work is shared by
 * {@link Acceptance} (the receive path), {@link ChangeFeed} (other processes on the same home), {@link Members}
 * (membership, contacts, reachability), {@link TransportHub} (transports and their endpoints), {@link Anchors}
 * (the anchor policy) and {@link ControlChannel} (the control-event service).
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
	private static final int MAX_HISTORY_PAGE = 1000;

	private final CryptoService crypto;
	private final MessageStore messages;
	private final CircleStore state;
	private final SecretStore secrets;
	private final NodeOptions options;
	private final String nodeId;
	private final CircleKeys keys;
	private final Notifier notifier = new Notifier();
	private final Members members;
	private final Anchors anchors;
	private final CallChannels callChannels;
	private final ControlApplier applier;
	private final Acceptance acceptance;
	private final ChangeFeed feed;
	private final TransportHub hub;
	private final NodeContext context;
	private final ControlChannel control;
	private final Retentions retentions;
	private final Deliveries deliveries;
	private final PublicReach publicReach;
	private final Router router;
	private final ScheduledExecutorService timer;
	private final ScheduledExecutorService routerTimer;
	private final NoteContributors noteContributors = new NoteContributors();
	private volatile boolean closed;

	public Node(CryptoService crypto, MessageStore messages, CircleStore state, SecretStore secrets,
			NodeOptions options) {
		this.crypto = Objects.requireNonNull(crypto, "crypto");
		this.messages = Objects.requireNonNull(messages, "messages");
		this.state = Objects.requireNonNull(state, "state");
		this.secrets = Objects.requireNonNull(secrets, "secrets");
		this.options = Objects.requireNonNull(options, "options");
		this.nodeId = loadOrCreateNodeId();
		this.keys = new CircleKeys(crypto, state, secrets);
		this.members = new Members(state, nodeId);
		this.anchors = new Anchors(state, members, options.clock());
		anchors.onChange(notifier::anchorsChanged);
		this.callChannels = new CallChannels(messages, keys);
		this.applier = new ControlApplier(state, options.clock());
		this.acceptance = new Acceptance(messages, keys, members, applier, callChannels, anchors, notifier,
				options.clock(), nodeId);
		this.feed = new ChangeFeed(messages, state, keys, acceptance, notifier, this::forgetCircle,
				this::writtenElsewhere);
		this.hub = new TransportHub(notifier, members);
		this.deliveries = new Deliveries(messages, anchors, notifier, options.clock(), nodeId);
		this.publicReach = new PublicReach(options.clock(), hub::endpoints);
		this.router = new Router(hub, anchors, deliveries, () -> System.nanoTime() / 1_000_000, options.routeStep(),
				options.routeMaxBackoff());
		this.context = new NodeContext(nodeId, this::displayName, state, messages, keys, acceptance, members,
				anchors, hub, notifier, options.clock(), deliveries, publicReach);
		this.control = new ControlChannel(crypto, state, messages, keys, acceptance, notifier, nodeId,
				this::displayName, options.clock());
		this.retentions = new Retentions(state);
		boolean prune = !options.pruneInterval().isZero();
		boolean poll = !options.feedPollInterval().isZero();
		this.timer = prune || poll ? Executors.newSingleThreadScheduledExecutor(r -> {
			Thread t = new Thread(r, "felund-node-timer");
			t.setDaemon(true);
			return t;
		}) : null;
		if (prune) {
			long every = options.pruneInterval().toMillis();
			timer.scheduleWithFixedDelay(() -> guarded("Retention", this::pruneNow), 0, every, TimeUnit.MILLISECONDS);
		}
		if (poll) {
			long every = options.feedPollInterval().toMillis();
			timer.scheduleWithFixedDelay(() -> guarded("Change feed", feed::poll), every, every,
					TimeUnit.MILLISECONDS);
		}
		if (!options.routeStep().isZero()) {
			this.routerTimer = Executors.newSingleThreadScheduledExecutor(r -> {
				Thread t = new Thread(r, "felund-node-router");
				t.setDaemon(true);
				return t;
			});
			// A tick a fifth of a step: anchors are re-evaluated often enough to switch within a second or so.
			long tick = Math.max(50, Math.min(1000, options.routeStep().toMillis() / 5));
			routerTimer.execute(() -> guarded("Routing resume", this::resumeRouting));
			routerTimer.scheduleWithFixedDelay(() -> guarded("Routing", this::routeTick), tick, tick,
					TimeUnit.MILLISECONDS);
		} else {
			this.routerTimer = null;
		}
	}

	/** One tick of the router: anchors re-evaluated (records go stale without events), due steps taken. */
	void routeTick() {
		anchors.refreshAll();
		router.tick();
	}

	/** Own chat messages of the last day that nobody accepted (before a restart) are chased again. */
	private void resumeRouting() {
		long since = now() - 86_400;
		for (Circle c : state.circles()) {
			List<ChatMessage> own = new ArrayList<>();
			for (ChatMessage m : messages.recent(c.circleId(), false, 500)) {
				if (m.authorNodeId().equals(nodeId) && m.createdTs() >= since) {
					own.add(m);
				}
			}
			Map<String, org.felund.api.model.Delivery> states = deliveries.states(c.circleId(),
					own.stream().map(ChatMessage::msgId).toList());
			router.resume(c.circleId(), own.stream()
					.filter(m -> states.containsKey(m.msgId())
							&& states.get(m.msgId()).status() == org.felund.api.model.Delivery.Status.SENT)
					.toList());
		}
	}

	/**
	 * A message of this node that another process on the home wrote (a CLI {@code send} beside the running node), just
	 * announced from the change feed: this node's router chases it like one written here.
	 */
	private void writtenElsewhere(String circleId, ChatMessage atRest) {
		if (!nodeId.equals(atRest.authorNodeId()) || atRest.isControl()
				|| deliveries.isDelivered(circleId, atRest.msgId())) {
			return;
		}
		deliveries.written(circleId, atRest);
		router.written(circleId, atRest);
	}

	/** What transports see of this node. */
	public TransportContext context() {
		return context;
	}

	/** Sends and observes control events (the OSGi component registers it as a service). */
	public ControlEventService controlEvents() {
		return control;
	}

	// ================================================================ identity

	@Override
	public NodeIdentity identity() {
		return new NodeIdentity(nodeId, displayName());
	}

	public String nodeId() {
		return nodeId;
	}

	public String displayName() {
		return setting(NodeSettings.DISPLAY_NAME).orElse(NodeSettings.DEFAULT_DISPLAY_NAME);
	}

	/** A changed name is announced to every circle with a {@code CHANNEL_EVT rename}, as the reference does. */
	@Override
	public void setDisplayName(String displayName) {
		String name = Validation.displayName(displayName);
		if (name.equals(displayName())) {
			return;
		}
		String before = displayName();
		state.putSetting(NodeSettings.DISPLAY_NAME, name);
		long now = now();
		for (Circle c : state.circles()) {
			if (keys.of(c.circleId()).isPresent()) {
				// The carrier names the author as it was known until now: the line reads "alice is now called
				// Alice W." everywhere (receivers take the carrier's name first, then the event's, as the reference).
				control.send(c.circleId(), ChannelEvent.rename(c.circleId(), nodeId, name, nodeId, now), before);
			}
		}
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

	/**
	 * The invite code of the new circle needs an endpoint (see {@link #inviteCode}); when the node has none, the
	 * circle is still created and {@link CreatedCircle#inviteCode()} is empty.
	 */
	@Override
	public CreatedCircle createCircle(String name) {
		String cleanName = Validation.circleName(name, true);
		CircleSecret secret = crypto.newSecret();
		CircleCrypto cc = crypto.forCircle(secret);
		Circle circle = new Circle(cc.circleId(), cc.circleHint(), "", now(), "");
		// The secret first: a circle row without its secret would be unusable, a lone secret is harmless.
		secrets.put(circle.circleId(), secret);
		state.putCircle(circle);
		keys.remember(cc);
		enterCircle(circle.circleId());
		if (!cleanName.isEmpty()) {
			emit(circle.circleId(), new CircleNameEvent(circle.circleId(), cleanName));
		}
		Circle created = state.circle(circle.circleId()).orElse(circle);
		String code = defaultPeer().map(peer -> InviteCodes.encode(secret, peer)).orElse("");
		return new CreatedCircle(created, code);
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
		String bootstrap = Validation.bootstrapPeer(peer);
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
			hub.syncNow(c.circleId()); // joining again is a retry: try the members now
			return c;
		}
		Circle circle = new Circle(cc.circleId(), cc.circleHint(), "", now(), bootstrap);
		secrets.put(circle.circleId(), secret);
		state.putCircle(circle);
		keys.remember(cc);
		enterCircle(circle.circleId());
		// Tells the members who joined, by name, before this node writes anything: their lists show the name at
		// once, and the circle reads "bob joined the circle". A join of #general is harmless to every client.
		emit(circle.circleId(), ChannelEvent.membership(ChannelEvent.Op.JOIN, circle.circleId(), ChatMessage.GENERAL,
				nodeId, nodeId, now()));
		hub.syncNow(circle.circleId());
		return circle;
	}

	@Override
	public void setBootstrapPeer(String circleId, String hostPort) {
		String bootstrap = Validation.bootstrapPeer(hostPort);
		if (bootstrap.isEmpty() || InviteCodes.isRelayUrl(bootstrap)) {
			throw new IllegalArgumentException("A bootstrap peer is host:port, not '" + hostPort + "'");
		}
		Circle c = requireCircle(circleId);
		state.putCircle(new Circle(c.circleId(), c.circleHint(), c.name(), c.joinedTs(), bootstrap));
		hub.syncNow(circleId);
	}

	private void enterCircle(String circleId) {
		members.enter(circleId);
		applier.ensureGeneral(circleId);
		feed.circleEntered(circleId);
		notifier.circleAdded(circleId);
	}

	@Override
	public void leaveCircle(String circleId) {
		requireCircle(circleId);
		state.removeCircle(circleId);
		messages.deleteCircle(circleId);
		secrets.remove(circleId);
		retentions.set(circleId, null, null);
		forgetCircle(circleId);
		feed.circleLeft(circleId);
		notifier.circleRemoved(circleId);
	}

	private void forgetCircle(String circleId) {
		keys.forget(circleId);
		members.forget(circleId);
		callChannels.forget(circleId);
		anchors.forget(circleId);
		router.forget(circleId);
	}

	/** Announces the name with a {@code CIRCLE_NAME_EVT} that carries {@code circle_id} (both clients read it). */
	@Override
	public void renameCircle(String circleId, String name) {
		requireCircle(circleId);
		emit(circleId, new CircleNameEvent(circleId, Validation.circleName(name, false)));
	}

	/**
	 * An invite for the circle. Without a hint, the peer is the first direct endpoint the transports advertise, else
	 * the first relay endpoint.
	 *
	 * @throws IllegalArgumentException when there is no hint and no transport advertises an endpoint
	 */
	@Override
	public String inviteCode(String circleId, String peerHint) {
		requireCircle(circleId);
		CircleSecret secret = secrets.get(circleId)
				.orElseThrow(() -> new IllegalArgumentException("The secret of circle " + circleId + " is missing"));
		String peer = peerHint != null && !peerHint.isBlank() ? peerHint.strip()
				: defaultPeer().orElseThrow(() -> new IllegalArgumentException("No transport advertises an address "
						+ "for invite codes (is a transport installed and configured?); give the peer to put in it"));
		return InviteCodes.encode(secret, peer);
	}

	/** First direct endpoint, else first relay endpoint. */
	private Optional<String> defaultPeer() {
		List<Endpoint> all = hub.endpoints();
		return all.stream().filter(e -> e.kind() == Endpoint.Kind.DIRECT).findFirst()
				.or(() -> all.stream().filter(e -> e.kind() == Endpoint.Kind.RELAY).findFirst())
				.map(Endpoint::address);
	}

	@Override
	public List<Endpoint> endpoints() {
		return hub.endpoints();
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
			keyHash = keys.require(circleId).channelKeyHash(id, channelKey);
		}
		emit(circleId, ChannelEvent.create(circleId, id, m, keyHash, nodeId, now()));
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
				String hash = keys.require(circleId).channelKeyHash(c.channelId(), channelKey);
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
		emit(circleId, ChannelEvent.membership(ChannelEvent.Op.JOIN, circleId, c.channelId(), nodeId, nodeId, now()));
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
		emit(circleId, ChannelEvent.membership(ChannelEvent.Op.LEAVE, circleId, c.channelId(), nodeId, nodeId, now()));
	}

	@Override
	public void requestChannel(String circleId, String channelId) {
		Channel c = requireChannel(circleId, channelId);
		if (c.members().contains(nodeId)) {
			throw new IllegalArgumentException("You are already in #" + c.channelId());
		}
		emit(circleId,
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
		emit(circleId, ChannelEvent.approve(circleId, c.channelId(), targetNodeId.strip(), nodeId, now()));
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
		ChatMessage m = MessageFactory.create(crypto, keys.require(circleId), channel, nodeId, displayName(), text,
				now());
		deliveries.written(circleId, m);
		acceptance.storeOwn(circleId, m);
		router.written(circleId, m);
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
		CircleCrypto cc = keys.require(circleId);
		List<ChatMessage> out = new ArrayList<>();
		for (ChatMessage atRest : messages.history(circleId, channel, before, limit)) {
			CircleKeys.decrypt(cc, atRest).ifPresent(out::add);
		}
		return out;
	}

	/** Control events as chat lines; names are the live ones, nodes without a name show a short id. */
	@Override
	public Optional<SystemNote> describe(ChatMessage controlMessage) {
		if (controlMessage == null || !controlMessage.isControl()) {
			return Optional.empty();
		}
		String circleId = controlMessage.circleId();
		Optional<ControlEvent> event = ControlEvents.parse(controlMessage.text());
		if (event.isEmpty()) {
			return Optional.empty();
		}
		Optional<SystemNote> proposed = SystemNotes.describe(controlMessage, event.get(),
				id -> id.equals(nodeId) ? displayName()
						: state.displayName(circleId, id).filter(n -> !n.isBlank()).orElse(SystemNotes.shortId(id)),
				session -> callChannels.channel(circleId, session),
				(author, newName) -> previousName(controlMessage, author, newName));
		return noteContributors.describe(new ControlMessage(circleId, controlMessage.msgId(),
				controlMessage.authorNodeId(), controlMessage.displayName(), controlMessage.createdTs(), event.get()),
				proposed);
	}

	/**
	 * Lets a plugin have its say in how {@link #describe} tells the events of {@code types} (see
	 * {@link SystemNoteContributor}); contributors of higher {@code ranking} go first.
	 */
	public void addNoteContributor(SystemNoteContributor contributor, java.util.Set<String> types, int ranking) {
		noteContributors.add(contributor, types, ranking);
	}

	public void removeNoteContributor(SystemNoteContributor contributor) {
		noteContributors.remove(contributor);
	}

	/** How many messages before a rename are looked through for the name it replaced (renames are rare). */
	private static final int PREVIOUS_NAME_SCAN = 200;

	/**
	 * The name a node went by before a rename that did not carry it (the reference's carriers name the new one): the
	 * newest other name its messages carried before the rename, in #general or the control channel.
	 */
	private Optional<String> previousName(ChatMessage rename, String author, String newName) {
		CircleCrypto cc = keys.of(rename.circleId()).orElse(null);
		if (cc == null) {
			return Optional.empty();
		}
		SyncKey before = new SyncKey(rename.createdTs(), rename.msgId());
		ChatMessage newest = null;
		for (String channel : List.of(ChatMessage.CONTROL, ChatMessage.GENERAL)) {
			for (ChatMessage atRest : messages.history(rename.circleId(), channel, before, PREVIOUS_NAME_SCAN)) {
				if (!atRest.authorNodeId().equals(author)) {
					continue;
				}
				ChatMessage plain = CircleKeys.decrypt(cc, atRest).orElse(null);
				String name = plain == null ? "" : plain.displayName().strip();
				if (!name.isEmpty() && !name.equals(newName)) {
					if (newest == null || plain.createdTs() > newest.createdTs()) {
						newest = plain;
					}
					break;
				}
			}
		}
		return Optional.ofNullable(newest).map(m -> m.displayName().strip());
	}

	// ================================================================ history kept, first contact, setup

	@Override
	public Optional<Retention> retention(String circleId, String channelId) {
		requireCircle(circleId);
		return retentions.get(circleId, channelId == null ? null : requireChannel(circleId, channelId).channelId());
	}

	/** Stores the choice, then prunes: at once in one-shot processes, on the node's timer otherwise. */
	@Override
	public void setRetention(String circleId, String channelId, Retention retention) {
		requireCircle(circleId);
		retentions.set(circleId, channelId == null ? null : requireChannel(circleId, channelId).channelId(), retention);
		if (timer == null) {
			pruneNow();
		} else {
			try {
				timer.execute(() -> guarded("Retention", this::pruneNow));
			} catch (java.util.concurrent.RejectedExecutionException closing) {
				// the node is closing: the next start prunes
			}
		}
	}

	/** Signs with the circle's crypto, looked up at each request so that a signer stops once the circle is left. */
	@Override
	public Optional<RelaySigner> relaySigner(String circleId) {
		if (keys.of(circleId).isEmpty()) {
			return Optional.empty();
		}
		return Optional.of((method, path, body, ts, nonce) -> keys.of(circleId)
				.orElseThrow(() -> new IllegalStateException("This node is no longer in circle " + circleId))
				.signApiRequest(method, path, body, ts, nonce));
	}

	@Override
	public List<ContactFailure> contactFailures(String circleId) {
		requireCircle(circleId);
		return members.contactFailures(circleId);
	}

	@Override
	public boolean setupComplete() {
		return setting(NodeSettings.SETUP).isPresent();
	}

	/** Remembers that the setup was answered; attaching the held transports is the embedder's (NodeComponent). */
	@Override
	public void completeSetup() {
		if (!setupComplete()) {
			state.putSetting(NodeSettings.SETUP, "done");
		}
	}

	// ================================================================ members, peers, transports

	@Override
	public List<Member> members(String circleId) {
		requireCircle(circleId);
		return members.list(circleId, displayName(), now());
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
		return hub.states();
	}

	/** Attaches a transport: it starts working for this node in the background. */
	public void attach(Transport transport) {
		Objects.requireNonNull(transport, "transport");
		if (closed) {
			throw new IllegalStateException("The node is closed");
		}
		hub.attach(transport, context);
	}

	/** Detaches a transport and stops it ({@link NodeListener#transportRemoved}); unknown ones are ignored. */
	public void detach(Transport transport) {
		hub.detach(transport);
	}

	/**
	 * Lets the node know a transport it keeps detached (one-shot processes): only its
	 * {@link Transport#configuredEndpoints()} are used, for invite codes.
	 */
	public void addDetached(Transport transport) {
		hub.addDormant(Objects.requireNonNull(transport, "transport"));
	}

	public void removeDetached(Transport transport) {
		hub.removeDormant(transport);
	}

	/** Sets the anchor policy, or {@code null} for none (offer nothing, exchange with any peer that offers). */
	public void setAnchorPolicy(AnchorPolicy policy) {
		anchors.policy(policy);
	}

	/** The anchor the policy selected for a circle from its {@code ANCHOR_ANNOUNCE} records, if any. */
	public Optional<String> selectedAnchor(String circleId) {
		return anchors.selected(circleId);
	}

	@Override
	public List<String> anchors(String circleId) {
		return anchors.order(circleId);
	}

	/** Sets where this node keeps ciphertext for others while it anchors, or {@code null} for nowhere. */
	public void setAnchorStore(org.felund.api.anchor.AnchorStore store) {
		anchors.store(store);
	}

	@Override
	public Optional<org.felund.api.model.Delivery> delivery(String circleId, String msgId) {
		return deliveries.state(circleId, msgId);
	}

	@Override
	public Map<String, org.felund.api.model.Delivery> deliveries(String circleId, java.util.Collection<String> msgIds) {
		requireCircle(circleId);
		return deliveries.states(circleId, msgIds);
	}

	@Override
	public boolean publiclyReachable() {
		return publicReach.reachable();
	}

	/** Steps the router took so far (with {@code true}, recording starts): for tests of the routing chain. */
	public List<String> routeTrace(boolean record) {
		router.tracing(record);
		return router.trace();
	}

	@Override
	public void addListener(NodeListener listener) {
		notifier.add(listener);
	}

	@Override
	public void removeListener(NodeListener listener) {
		notifier.remove(listener);
	}

	// ================================================================ housekeeping

	/**
	 * Applies the node's retention policy (nothing by default), then each circle's and channel's own choices; returns
	 * how many messages were deleted. A circle that lost messages is announced as changed.
	 */
	public int pruneNow() {
		long now = now();
		int deleted = messages.prune(options.retention(), now);
		for (Circle c : state.circles()) {
			int gone = messages.prune(c.circleId(), retentions.policy(c.circleId()), now);
			if (gone > 0) {
				notifier.circleChanged(c.circleId());
			}
			deleted += gone;
		}
		return deleted;
	}

	/**
	 * Reads the store's change feed and announces messages another process stored in this home (and circles it
	 * joined or left) to transports and listeners. Runs on the timer; public for one-shot use and tests.
	 */
	public void pollChangeFeed() {
		feed.poll();
	}

	/** Waits until every listener and transport notification queued so far has been delivered. */
	public boolean awaitEvents(Duration timeout) throws InterruptedException {
		return notifier.await(timeout);
	}

	/** Detaches every transport and stops the node's threads. The stores stay open (the caller owns them). */
	@Override
	public void close() {
		if (closed) {
			return;
		}
		closed = true;
		for (Transport t : hub.attached()) {
			try {
				detach(t);
			} catch (RuntimeException e) {
				LOG.log(Level.WARNING, "Transport " + t.id() + " failed to detach", e);
			}
		}
		if (timer != null) {
			timer.shutdownNow();
		}
		if (routerTimer != null) {
			routerTimer.shutdownNow();
		}
		notifier.close();
		try {
			if (timer != null) {
				timer.awaitTermination(5, TimeUnit.SECONDS);
			}
			if (routerTimer != null) {
				routerTimer.awaitTermination(5, TimeUnit.SECONDS);
			}
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	// ================================================================ internals

	private void emit(String circleId, ControlEvent event) {
		control.send(circleId, event);
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

	private static void guarded(String what, Runnable r) {
		try {
			r.run();
		} catch (RuntimeException e) {
			LOG.log(Level.WARNING, what + " failed", e);
		}
	}
}
