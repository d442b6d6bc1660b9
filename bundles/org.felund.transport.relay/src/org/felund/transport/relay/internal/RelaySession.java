package org.felund.transport.relay.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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
import org.felund.api.model.ProtocolException;
import org.felund.api.store.MessageStore.StoredMessage;
import org.felund.api.transport.CircleAccess;
import org.felund.api.transport.Endpoint;
import org.felund.api.transport.ReceiveResult;
import org.felund.api.transport.TransportContext;
import org.felund.api.transport.TransportState;
import org.felund.protocol.wire.MessageJson;
import org.felund.transport.relay.RelayOptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One attachment of the relay transport to a node: presence and peer lookup ({@link RelayPresence}), push, pull and
 * the push sockets of every circle, against the relay the options (or the node's settings) name.
 * <p>
 * All protocol work runs on one scheduler thread, so the per-circle state needs no locking. Each cycle walks the
 * circles: refresh presence when half its TTL has passed, look up peers, push what the local store gained since the
 * push cursor, pull since the pull cursor, and open missing sockets. Local messages are pushed as soon as the node
 * reports them; socket frames are handed to the node as they arrive. A relay that cannot be reached makes the next
 * cycle wait with exponential back-off; a socket that closes is reopened the same way, while polling continues.
 * <p>
 * <b>Cursors.</b> The push cursor is the local store's insertion sequence ({@code MessageStore.since}), so every
 * message stored by any transport is pushed once, in store order, whatever its author (this node bridges gossip
 * traffic to relay-only members, as the Python TUI does). The pull cursor follows the relay: the Felund relay
 * answers with a loss-free {@code cursor} (+ {@code more}), which is followed exactly; a reference relay answers
 * with its clock, and then {@code max(since, server_time − 1)} is used and duplicates are dropped by the node (§8.7).
 * Both cursors are kept per circle and relay URL in the node's settings, so a restart neither re-pushes nor
 * re-pulls everything. A Felund relay that answers with a cursor below the one sent has gone back in time (restored
 * from an older backup): both cursors start over, so it gets the missing history again. (A relay that starts a new
 * database numbers it above every earlier cursor, so clients keep pulling; it gets history from pushes after that
 * point only.)
 */
public final class RelaySession implements TransportContext.NodeEvents, LiveSocket.Events {
	private static final System.Logger LOG = System.getLogger(RelaySession.class.getName());

	public static final String TRANSPORT_ID = "relay";
	/** Every thread of the relay client has a name beginning with this. */
	public static final String THREAD_PREFIX = "felund-relay-client ";
	/** Status-line segments, the transport's own words for its state. */
	public static final String LABEL_LIVE = "relay: live";
	public static final String LABEL_POLLING = "relay: polling";
	public static final String LABEL_OFFLINE = "relay: offline";
	public static final String LABEL_NONE = "relay: none";
	/** Pages pulled per circle and cycle before other circles get their turn. */
	static final int MAX_PAGES_PER_CYCLE = 20;
	/** Store rows examined per push query. */
	static final int PUSH_SCAN = 200;
	/** Messages remembered as received from the relay, so they are not pushed back to it. */
	static final int FROM_RELAY_MEMORY = 20_000;
	/** A socket that stayed open this long has its reconnect back-off reset. */
	static final long STABLE_SOCKET_NANOS = TimeUnit.SECONDS.toNanos(10);
	static final Duration UNREGISTER_TIMEOUT = Duration.ofSeconds(2);
	static final byte[] NO_BODY = new byte[0];

	private final TransportContext context;
	private final RelayOptions options;
	private final Consumer<TransportState> stateSink;
	private final RelayCounters counters;
	private final ScheduledExecutorService scheduler;
	private final HttpClient httpClient;
	private final RelayHttp http;
	private final SecureRandom random = new SecureRandom();
	private final String nodeId;
	private final RelayPresence presence;
	private final RelayUrl configuredRelay;
	private final boolean bridging;

	// ---- confined to the scheduler thread
	private RelayUrl relay;
	private final Map<String, CircleLink> links = new LinkedHashMap<>();
	private boolean httpOk;
	private String problem = "starting";
	private final Backoff httpBackoff;
	private long clockOffsetSeconds;
	private ScheduledFuture<?> nextCycle;
	private long nextCycleDue;

	// ---- shared with node threads
	private final Set<String> pushRequests = new LinkedHashSet<>();
	private boolean pushDrainQueued;
	private final Map<String, Boolean> fromRelay = new LinkedHashMap<>(256, 0.75f, false) {
		private static final long serialVersionUID = 1L;

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
			return size() > FROM_RELAY_MEMORY;
		}
	};
	private volatile boolean stopped;

	/**
	 * @param relay the relay this session uses ({@code null}: none, the session only reports that)
	 * @param bridging whether other relays run beside this one: then messages that arrived from a relay are pushed
	 *            to this one too (all but those that came from this very relay)
	 */
	public RelaySession(TransportContext context, RelayOptions options, RelayUrl relay, boolean bridging,
			RelayCounters counters, Consumer<TransportState> stateSink) {
		this.context = Objects.requireNonNull(context, "context");
		this.options = Objects.requireNonNull(options, "options");
		this.configuredRelay = relay;
		this.bridging = bridging;
		this.counters = counters;
		this.stateSink = stateSink;
		this.nodeId = context.nodeId();
		TcpEndpoint configuredEndpoint = options.tcpEndpoint().isEmpty() ? null : TcpEndpoint.parse(options.tcpEndpoint());
		this.presence = new RelayPresence(context, options, configuredEndpoint, this::signed, this::nowSeconds);
		this.httpBackoff = new Backoff(options.minBackoff(), options.maxBackoff());
		this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread t = new Thread(r, THREAD_PREFIX + shortId(nodeId));
			t.setDaemon(true);
			return t;
		});
		this.httpClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
				.connectTimeout(options.requestTimeout()).followRedirects(HttpClient.Redirect.NORMAL).build();
		this.http = new RelayHttp(httpClient, options.requestTimeout());
	}

	/** Starts the background work; returns at once. */
	public void start() {
		context.addListener(this);
		long watch = Math.max(200, Math.min(options.socketIdleTimeout().toMillis() / 3, 5_000));
		scheduler.scheduleWithFixedDelay(this::watchSockets, watch, watch, TimeUnit.MILLISECONDS);
		onScheduler(() -> scheduleCycle(0));
	}

	/**
	 * Unregisters from the relay (best effort, bounded), closes the sockets and ends the threads. Waits at most the
	 * request timeout plus a few seconds.
	 */
	public void stop() {
		if (stopped) {
			return;
		}
		stopped = true;
		context.removeListener(this);
		try {
			Future<?> teardown = scheduler.submit(this::teardown);
			teardown.get(options.requestTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
		} catch (RejectedExecutionException | ExecutionException | TimeoutException e) {
			LOG.log(System.Logger.Level.DEBUG, "relay teardown did not finish cleanly: " + e);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		scheduler.shutdownNow();
		try {
			scheduler.awaitTermination(2, TimeUnit.SECONDS);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		httpClient.shutdownNow();
	}

	/** Runs a cycle as soon as possible (the user joined a circle, or asked to sync). */
	public void syncNow() {
		onScheduler(() -> scheduleCycle(0));
	}

	// ------------------------------------------------------------------ node events (node threads)

	@Override
	public void messageStored(String circleId, ChatMessage message, String originTransportId) {
		if (TRANSPORT_ID.equals(originTransportId) && !bridging) {
			// From our only relay: nothing to push. (With several, the one it came from remembers it in deliver.)
			rememberFromRelay(circleId, message.msgId());
			return;
		}
		synchronized (pushRequests) {
			pushRequests.add(circleId);
			if (pushDrainQueued) {
				return;
			}
			pushDrainQueued = true;
		}
		onScheduler(this::drainPushRequests);
	}

	@Override
	public void circleAdded(String circleId) {
		syncNow();
	}

	@Override
	public void circleRemoved(String circleId) {
		syncNow();
	}

	private void rememberFromRelay(String circleId, String msgId) {
		synchronized (fromRelay) {
			fromRelay.put(circleId + '/' + msgId, Boolean.TRUE);
		}
	}

	private boolean cameFromRelay(String circleId, String msgId) {
		synchronized (fromRelay) {
			return fromRelay.containsKey(circleId + '/' + msgId);
		}
	}

	// ------------------------------------------------------------------ scheduling

	private void onScheduler(Runnable task) {
		if (stopped) {
			return;
		}
		try {
			scheduler.execute(() -> {
				if (!stopped) {
					task.run();
				}
			});
		} catch (RejectedExecutionException ignored) {
			// Stopping: nothing more to do.
		}
	}

	/** Makes the next cycle run within {@code delayNanos} (an earlier scheduled one stays). */
	private void scheduleCycle(long delayNanos) {
		if (stopped) {
			return;
		}
		long due = System.nanoTime() + Math.max(0, delayNanos);
		if (nextCycle != null && !nextCycle.isDone() && nextCycleDue - due <= 0) {
			return;
		}
		if (nextCycle != null) {
			nextCycle.cancel(false);
		}
		nextCycleDue = due;
		try {
			nextCycle = scheduler.schedule(this::cycle, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
		} catch (RejectedExecutionException ignored) {
			// Stopping.
		}
	}

	private void cycle() {
		if (stopped) {
			return;
		}
		nextCycle = null;
		long delay;
		try {
			delay = runCycle();
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return;
		} catch (RuntimeException e) {
			LOG.log(System.Logger.Level.WARNING, "relay cycle failed", e);
			httpOk = false;
			problem = "internal error: " + e;
			delay = httpBackoff.next();
		}
		publishState();
		scheduleCycle(delay);
	}

	/** One pass over every circle; returns the delay until the next pass. */
	private long runCycle() throws InterruptedException {
		if (!Objects.equals(configuredRelay, relay)) {
			// The first cycle takes the relay up.
			switchRelay(configuredRelay);
		}
		if (relay == null) {
			httpOk = false;
			problem = "no relay configured";
			return options.pollInterval().toNanos();
		}
		syncLinks();
		try {
			if (links.isEmpty()) {
				http.send("GET", relay.api("health", null), null, Map.of(), null);
			}
			for (CircleLink link : List.copyOf(links.values())) {
				if (stopped) {
					return 0;
				}
				try {
					syncCircle(link);
					link.problem = null;
				} catch (RelayException e) {
					if (e.unavailable()) {
						throw e;
					}
					if (!e.getMessage().equals(link.problem)) {
						// Logged when it starts or changes, not on every retry.
						LOG.log(System.Logger.Level.WARNING, "relay refused a request for circle " + link.circleId
								+ ": " + e.getMessage());
					}
					link.problem = e.getMessage();
				}
			}
		} catch (RelayException e) {
			counters.failedRequests.incrementAndGet();
			httpOk = false;
			problem = e.getMessage();
			LOG.log(System.Logger.Level.DEBUG, () -> "relay unavailable: " + e.getMessage());
			return httpBackoff.next();
		}
		httpOk = true;
		problem = null;
		httpBackoff.reset();
		if (options.webSocket()) {
			links.values().forEach(this::openSocketIfDue);
		}
		return nextDelay();
	}

	private long nextDelay() {
		long now = System.nanoTime();
		long delay = allLive() ? options.livePollInterval().toNanos() : options.pollInterval().toNanos();
		for (CircleLink link : links.values()) {
			if (!link.registered || link.problem != null) {
				// Refused requests are retried at the normal pace, never in a tight loop.
				delay = Math.min(delay, options.pollInterval().toNanos());
				continue;
			}
			delay = Math.min(delay, link.pullDue - now);
			delay = Math.min(delay, link.presenceDue - now);
			delay = Math.min(delay, link.peersDue - now);
			if (options.webSocket() && link.socket == null) {
				delay = Math.min(delay, link.socketRetryDue - now);
			}
		}
		return Math.max(delay, TimeUnit.MILLISECONDS.toNanos(50));
	}

	private boolean allLive() {
		if (links.isEmpty()) {
			return false;
		}
		for (CircleLink link : links.values()) {
			if (!link.socketOpen) {
				return false;
			}
		}
		return true;
	}

	private void drainPushRequests() {
		List<String> circles;
		synchronized (pushRequests) {
			circles = new ArrayList<>(pushRequests);
			pushRequests.clear();
			pushDrainQueued = false;
		}
		if (relay == null || !httpOk) {
			// The next cycle pushes once the relay answers again.
			return;
		}
		for (String circleId : circles) {
			CircleLink link = links.get(circleId);
			if (link == null || !link.registered) {
				scheduleCycle(0);
				continue;
			}
			try {
				push(link);
			} catch (RelayException e) {
				if (e.unavailable()) {
					counters.failedRequests.incrementAndGet();
					httpOk = false;
					problem = e.getMessage();
					publishState();
					scheduleCycle(httpBackoff.next());
					return;
				}
				link.problem = e.getMessage();
				publishState();
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				return;
			} catch (RuntimeException e) {
				// The push cursor did not move: the next cycle tries again.
				LOG.log(System.Logger.Level.WARNING, "pushing circle " + circleId + " to the relay failed", e);
			}
		}
	}

	// ------------------------------------------------------------------ relay and circles

	private void switchRelay(RelayUrl next) {
		if (relay != null) {
			LOG.log(System.Logger.Level.INFO, "relay changes from " + relay + " to " + (next == null ? "none" : next));
		}
		for (CircleLink link : List.copyOf(links.values())) {
			dropLink(link);
		}
		links.clear();
		relay = next;
		httpOk = false;
		httpBackoff.reset();
		presence.forget();
		clockOffsetSeconds = 0;
	}

	private void syncLinks() {
		Map<String, CircleAccess> current = new LinkedHashMap<>();
		for (CircleAccess access : context.circles()) {
			current.put(access.circleId(), access);
		}
		for (CircleLink link : List.copyOf(links.values())) {
			if (!current.containsKey(link.circleId)) {
				dropLink(link);
				links.remove(link.circleId);
			}
		}
		for (CircleAccess access : current.values()) {
			CircleLink link = links.get(access.circleId());
			if (link == null) {
				link = new CircleLink(access.circleId(), access.crypto().circleHint(), access.crypto(),
						new Backoff(options.minBackoff(), options.maxBackoff()));
				links.put(link.circleId, link);
			} else {
				link.crypto = access.crypto();
			}
		}
	}

	/** Leaves a circle on the current relay: socket closed, members unreachable, presence removed (best effort). */
	private void dropLink(CircleLink link) {
		if (link.socket != null) {
			LiveSocket s = link.socket;
			link.socket = null;
			link.socketOpen = false;
			s.close("circle left");
		}
		for (String member : link.reachable) {
			context.reachability(link.circleId, member, TRANSPORT_ID, false);
		}
		link.reachable = new HashSet<>();
		if (link.registered && relay != null) {
			link.registered = false;
			try {
				byte[] body = RelayRequests.unregisterBody(nodeId, link.circleHint);
				http.send("DELETE", relay.api("register", null), body,
						signedHeaders(link, "DELETE", RelayRequests.REGISTER, body), UNREGISTER_TIMEOUT);
			} catch (RelayException e) {
				LOG.log(System.Logger.Level.DEBUG, () -> "unregister failed: " + e.getMessage());
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private void teardown() {
		if (nextCycle != null) {
			nextCycle.cancel(false);
		}
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
		for (CircleLink link : List.copyOf(links.values())) {
			if (System.nanoTime() - deadline > 0) {
				// Out of time: skip the remaining unregisters, presence expires by TTL anyway.
				link.registered = false;
			}
			dropLink(link);
		}
		links.clear();
	}

	private void syncCircle(CircleLink link) throws RelayException, InterruptedException {
		loadCursors(link);
		long now = System.nanoTime();
		if (!link.registered || now - link.presenceDue >= 0
				|| !Objects.equals(presence.advertisedEndpoint(), link.registeredEndpoint)) {
			// Also when what we advertise changed (gossip attached, detached or moved): members learn it now.
			presence.register(link, relay);
		}
		if (now - link.peersDue >= 0) {
			presence.lookupPeers(link, relay);
		}
		push(link);
		if (now - link.pullDue >= 0) {
			pull(link);
			// With the socket up, polling is only a safety net; without it, it is the delivery.
			link.pullDue = System.nanoTime()
					+ (link.socketOpen ? options.livePollInterval() : options.pollInterval()).toNanos();
		}
	}

	// ------------------------------------------------------------------ push

	private void push(CircleLink link) throws RelayException, InterruptedException {
		while (!stopped) {
			List<StoredMessage> page = context.messages().since(link.circleId, link.pushSeq, PUSH_SCAN);
			if (page.isEmpty()) {
				return;
			}
			List<ObjectNode> batch = new ArrayList<>(options.batchSize());
			long covered = link.pushSeq;
			for (StoredMessage row : page) {
				ChatMessage m = row.message();
				if (!cameFromRelay(link.circleId, m.msgId())) {
					Optional<ChatMessage> copy = context.wireCopy(link.circleId, m.msgId());
					if (copy.isPresent() && copy.get().enc() != null) {
						batch.add(MessageJson.toRelayEnvelope(copy.get()));
					} else {
						LOG.log(System.Logger.Level.DEBUG, () -> "not pushing " + m.msgId() + ": no wire copy");
					}
				}
				covered = row.seq();
				if (batch.size() == options.batchSize()) {
					postBatch(link, batch);
					batch.clear();
					savePushSeq(link, covered);
				}
			}
			if (!batch.isEmpty()) {
				postBatch(link, batch);
			}
			savePushSeq(link, covered);
			if (page.size() < PUSH_SCAN) {
				return;
			}
		}
	}

	/**
	 * Posts one batch. A batch the relay finds too large is split; elements the relay refuses as invalid are logged
	 * and not retried (the relay stores the valid ones of a batch, and a refused element would never pass).
	 */
	private void postBatch(CircleLink link, List<ObjectNode> batch) throws RelayException, InterruptedException {
		byte[] body = RelayRequests.messagesBody(link.circleHint, batch);
		try {
			signed(link, "POST", RelayRequests.MESSAGES, relay.api("messages", null), body);
			counters.batchPushed(batch.size(), batch.size());
			reportDelivered(link, batch);
		} catch (RelayException e) {
			if (e.unavailable() || e.signatureRefused() || e.clockSkew() || "NONCE_REPLAY".equals(e.code())) {
				throw e;
			}
			if (e.status() == 413 && batch.size() > 1) {
				int half = batch.size() / 2;
				postBatch(link, new ArrayList<>(batch.subList(0, half)));
				postBatch(link, new ArrayList<>(batch.subList(half, batch.size())));
				return;
			}
			LOG.log(System.Logger.Level.WARNING, "relay refused " + batch.size() + " message(s) of circle "
					+ link.circleId + "; they are not retried: " + e.getMessage());
		}
	}

	/** The relay accepted a batch (2xx): the node's own messages in it are delivered to this relay. */
	private void reportDelivered(CircleLink link, List<ObjectNode> batch) {
		String self = context.nodeId();
		for (ObjectNode envelope : batch) {
			if (self.equals(envelope.path("author_node_id").asText(""))) {
				context.delivered(link.circleId, envelope.path("msg_id").asText(""), TRANSPORT_ID, relay.base(),
						Delivery.Route.RELAY);
			}
		}
	}

	// ------------------------------------------------------------------ pull

	private void pull(CircleLink link) throws RelayException, InterruptedException {
		for (int page = 0; page < MAX_PAGES_PER_CYCLE && !stopped; page++) {
			long since = link.pullCursor;
			ObjectNode reply = signed(link, "GET", RelayRequests.MESSAGES,
					relay.api("messages", RelayRequests.messagesQuery(link.circleHint, since, options.pullLimit())), null);
			JsonNode messages = reply.path("messages");
			counters.pulledMessages.addAndGet(messages.size());
			deliver(link, messages);
			JsonNode cursor = reply.get("cursor");
			JsonNode more = reply.get("more");
			if (cursor != null && cursor.isIntegralNumber() && cursor.canConvertToLong() && more != null
					&& more.isBoolean()) {
				long next = cursor.longValue();
				if (next < since) {
					LOG.log(System.Logger.Level.WARNING, "relay " + relay + " went back in time (cursor " + next
							+ " < " + since + ", e.g. restored from a backup); pulling and pushing circle "
							+ link.circleId + " again from the start");
					savePullCursor(link, 0);
					savePushSeq(link, 0);
					continue;
				}
				// Saved only when something arrived: an unchanged cursor for this circle reads nothing new anyway.
				if (messages.size() > 0 || since == 0) {
					savePullCursor(link, next);
				} else {
					link.pullCursor = next;
				}
				if (!more.booleanValue()) {
					return;
				}
			} else {
				JsonNode serverTime = reply.get("server_time");
				if (serverTime == null || !serverTime.canConvertToLong()) {
					return;
				}
				long time = serverTime.longValue();
				if (since > time + 1) {
					// A cursor of another relay at this URL: start over rather than wait for its clock.
					savePullCursor(link, 0);
					continue;
				}
				if (messages.size() >= options.pullLimit()) {
					LOG.log(System.Logger.Level.WARNING, "relay " + relay + " returned a full page of "
							+ messages.size() + " messages; a reference relay skips the rest of it (protocol §10 #25)");
				}
				long next = Math.max(since, time - 1);
				if (next != since) {
					savePullCursor(link, next);
				}
				return;
			}
		}
	}

	private void deliver(CircleLink link, JsonNode messages) {
		for (JsonNode element : messages) {
			ChatMessage m;
			try {
				m = MessageJson.fromRelayEnvelope(element);
			} catch (ProtocolException e) {
				counters.rejected.incrementAndGet();
				LOG.log(System.Logger.Level.DEBUG, () -> "dropping a malformed relay message: " + e.getMessage());
				continue;
			}
			if (context.messages().contains(link.circleId, m.msgId())) {
				// Known already (typically our own pushes coming back): no need to decrypt it again.
				counters.duplicates.incrementAndGet();
				continue;
			}
			ReceiveResult result;
			try {
				result = context.receive(link.circleId, m, TRANSPORT_ID, m.authorNodeId());
			} catch (ProtocolException | IllegalArgumentException e) {
				// The node refused this element with an exception rather than REJECTED; other failures (the store)
				// propagate, so the pull cursor does not move past messages that were not stored.
				counters.rejected.incrementAndGet();
				LOG.log(System.Logger.Level.DEBUG, () -> "node refused relay message " + m.msgId() + ": " + e);
				continue;
			}
			switch (result) {
			case STORED -> {
				counters.stored.incrementAndGet();
				rememberFromRelay(link.circleId, m.msgId());
			}
			case DUPLICATE -> counters.duplicates.incrementAndGet();
			case REJECTED -> counters.rejected.incrementAndGet();
			}
		}
	}

	// ------------------------------------------------------------------ sockets

	private void openSocketIfDue(CircleLink link) {
		if (link.socket != null || !link.registered || System.nanoTime() - link.socketRetryDue < 0) {
			return;
		}
		URI uri = relay.webSocket(link.circleHint, nodeId);
		link.socketOpen = false;
		link.socket = LiveSocket.connect(httpClient, uri, options.requestTimeout(), this);
	}

	private CircleLink linkOf(LiveSocket socket) {
		for (CircleLink link : links.values()) {
			if (link.socket == socket) {
				return link;
			}
		}
		return null;
	}

	@Override
	public void opened(LiveSocket socket) {
		onScheduler(() -> {
			CircleLink link = linkOf(socket);
			if (link == null) {
				socket.close("no longer needed");
				return;
			}
			link.socketOpen = true;
			link.socketOpenedNanos = System.nanoTime();
			link.socketProblem = null;
			counters.socketsOpened.incrementAndGet();
			// One pull now covers what was stored between the last pull and the subscription (beyond the relay's
			// catch-up window, if the socket was down long); from here on the socket delivers.
			link.pullDue = link.socketOpenedNanos;
			scheduleCycle(0);
			publishState();
		});
	}

	@Override
	public void messages(LiveSocket socket, JsonNode messages) {
		onScheduler(() -> {
			CircleLink link = linkOf(socket);
			if (link != null) {
				counters.liveMessages.addAndGet(messages.size());
				try {
					deliver(link, messages);
				} catch (RuntimeException e) {
					// Not lost: the relay keeps them and the next pull delivers them again.
					LOG.log(System.Logger.Level.WARNING, "could not take live relay messages of circle " + link.circleId, e);
				}
			}
		});
	}

	@Override
	public void ended(LiveSocket socket, String reason, boolean refusedByRelay) {
		onScheduler(() -> {
			CircleLink link = linkOf(socket);
			if (link == null) {
				return;
			}
			if (link.socketOpen && System.nanoTime() - link.socketOpenedNanos >= STABLE_SOCKET_NANOS) {
				link.socketBackoff.reset();
			}
			link.socket = null;
			link.socketOpen = false;
			link.socketProblem = reason;
			// Polling takes over at once.
			link.pullDue = System.nanoTime();
			// A relay without the socket endpoint (PHP) is asked again rarely; others with growing pauses.
			long delay = refusedByRelay ? link.socketBackoff.max() : link.socketBackoff.next();
			link.socketRetryDue = System.nanoTime() + delay;
			LOG.log(System.Logger.Level.DEBUG, () -> "relay socket of circle " + link.circleId + " ended: " + reason);
			publishState();
			scheduleCycle(0);
		});
	}

	private void watchSockets() {
		if (stopped) {
			return;
		}
		long limit = options.socketIdleTimeout().toNanos();
		for (CircleLink link : links.values()) {
			LiveSocket s = link.socket;
			if (s != null && link.socketOpen && s.silentNanos() > limit) {
				s.abort("the relay sent nothing for " + options.socketIdleTimeout().toSeconds() + " s");
			}
		}
	}

	// ------------------------------------------------------------------ state

	private void publishState() {
		if (stopped) {
			return;
		}
		TransportState state;
		if (relay == null) {
			state = new TransportState(TransportState.Mode.OFFLINE, 0, problem == null ? "no relay configured" : problem,
					LABEL_NONE);
		} else {
			Set<String> peers = new HashSet<>();
			int open = 0;
			String circleProblem = null;
			String socketProblem = null;
			for (CircleLink link : links.values()) {
				peers.addAll(link.reachable);
				if (link.socketOpen) {
					open++;
				} else if (socketProblem == null) {
					socketProblem = link.socketProblem;
				}
				if (circleProblem == null) {
					circleProblem = link.problem;
				}
			}
			String suffix = circleProblem == null ? "" : " (" + circleProblem + ")";
			if (!links.isEmpty() && open == links.size()) {
				state = new TransportState(TransportState.Mode.LIVE, peers.size(), relay + suffix, LABEL_LIVE);
			} else if (httpOk || open > 0) {
				String why = !options.webSocket() ? "polling"
						: socketProblem == null ? "polling, connecting the live socket" : "polling; " + socketProblem;
				state = new TransportState(TransportState.Mode.POLL, peers.size(), relay + " (" + why + ")" + suffix,
						LABEL_POLLING);
			} else {
				state = new TransportState(TransportState.Mode.OFFLINE, 0,
						relay + ": " + (problem == null ? "not reachable" : problem), LABEL_OFFLINE);
			}
		}
		stateSink.accept(state);
	}

	// ------------------------------------------------------------------ signed requests and cursors

	private long nowSeconds() {
		return Math.floorDiv(System.currentTimeMillis(), 1000L) + clockOffsetSeconds;
	}

	private Map<String, String> signedHeaders(CircleLink link, String method, String signedPath, byte[] body) {
		byte[] nonceBytes = new byte[16];
		random.nextBytes(nonceBytes);
		return RelayRequests.signedHeaders(link.crypto, nodeId, method, signedPath, body == null ? NO_BODY : body,
				nowSeconds(), HexFormat.of().formatHex(nonceBytes));
	}

	/**
	 * A signed request. A refused timestamp makes us adopt the relay's clock and retry once; a refused signature
	 * (the relay forgot our key with the presence row, §10 #21) makes us register again and retry once.
	 */
	private ObjectNode signed(CircleLink link, String method, String signedPath, URI uri, byte[] body)
			throws RelayException, InterruptedException {
		for (int attempt = 0;; attempt++) {
			try {
				return http.send(method, uri, body, signedHeaders(link, method, signedPath, body), null);
			} catch (RelayException e) {
				if (attempt == 0 && e.clockSkew() && adoptRelayClock()) {
					continue;
				}
				if (attempt == 0 && e.signatureRefused() && !RelayRequests.REGISTER.equals(signedPath)) {
					presence.register(link, relay);
					continue;
				}
				throw e;
			}
		}
	}

	private boolean adoptRelayClock() throws RelayException, InterruptedException {
		ObjectNode health = http.send("GET", relay.api("health", null), null, Map.of(), null);
		JsonNode time = health.get("time");
		if (time == null || !time.canConvertToLong()) {
			return false;
		}
		long offset = time.longValue() - Math.floorDiv(System.currentTimeMillis(), 1000L);
		if (offset == clockOffsetSeconds) {
			return false;
		}
		LOG.log(System.Logger.Level.INFO, "local clock differs from relay " + relay + " by " + offset + " s; signing with the relay's time");
		clockOffsetSeconds = offset;
		return true;
	}

	private String cursorKey(String kind, CircleLink link) {
		return "relay_" + kind + ":" + link.circleId + "@" + relay.base();
	}

	private void loadCursors(CircleLink link) {
		if (link.cursorsLoaded) {
			return;
		}
		link.pullCursor = readCursor(cursorKey("pull_cursor", link));
		link.pushSeq = readCursor(cursorKey("push_seq", link));
		link.cursorsLoaded = true;
	}

	private long readCursor(String key) {
		Optional<String> value = context.state().setting(key);
		if (value.isEmpty()) {
			return 0;
		}
		try {
			return Math.max(0, Long.parseLong(value.get().trim()));
		} catch (NumberFormatException e) {
			LOG.log(System.Logger.Level.WARNING, "ignoring the unreadable relay cursor " + key + "='" + value.get() + "'");
			return 0;
		}
	}

	private void savePullCursor(CircleLink link, long value) {
		link.pullCursor = value;
		context.state().putSetting(cursorKey("pull_cursor", link), Long.toString(value));
	}

	private void savePushSeq(CircleLink link, long value) {
		if (link.pushSeq == value && value != 0) {
			return;
		}
		link.pushSeq = value;
		context.state().putSetting(cursorKey("push_seq", link), Long.toString(value));
	}

	private static String shortId(String id) {
		return id.length() > 8 ? id.substring(0, 8) : id;
	}
}
