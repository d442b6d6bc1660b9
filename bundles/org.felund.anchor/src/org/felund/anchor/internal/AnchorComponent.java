package org.felund.anchor.internal;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.felund.anchor.RankedAnchorPolicy;
import org.felund.api.anchor.AnchorPolicy;
import org.felund.api.control.AnchorAnnounce;
import org.felund.api.control.ControlEventService;
import org.felund.api.control.ControlListener;
import org.felund.api.control.ControlMessage;
import org.felund.api.model.AnchorRecord;
import org.felund.api.model.Circle;
import org.felund.api.node.NodeService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The anchor plugin: registers the {@link RankedAnchorPolicy}, feeds it every {@code ANCHOR_ANNOUNCE} the node accepts
 * (a whiteboard {@link ControlListener}) and, while this node offers to anchor, announces it to every circle through
 * the {@link ControlEventService} once per round. {@code public_reachable} is what the node observed
 * ({@link NodeService#publiclyReachable()}), never a setting; {@code is_mobile} is a setting.
 * <p>
 * Configuration PID {@code org.felund.anchor} (metatype {@code OSGI-INF/metatype/anchor.xml}): {@code offer} (false),
 * {@code announceInterval} (60 s, also the round of the uptime count: a circle's anchors should share it),
 * {@code mobile} (false). A change applies at once.
 */
@Component(name = AnchorComponent.PID, service = { AnchorPolicy.class, ControlListener.class },
		configurationPolicy = ConfigurationPolicy.OPTIONAL,
		property = ControlListener.TYPES_PROPERTY + "=" + AnchorAnnounce.TYPE)
public final class AnchorComponent implements AnchorPolicy, ControlListener {
	public static final String PID = "org.felund.anchor";
	public static final String OFFER = "offer";
	public static final String ANNOUNCE_INTERVAL = "announceInterval";
	public static final String MOBILE = "mobile";
	static final long DEFAULT_INTERVAL = 60;
	private static final int HISTORY_PAGE = 10_000;

	private static final System.Logger LOG = System.getLogger(AnchorComponent.class.getName());

	private final RankedAnchorPolicy policy = new RankedAnchorPolicy(RankedAnchorPolicy.Settings.defaults(false));
	private final LongSupplier clock;
	private final LongSupplier millis;
	private volatile boolean mobile;
	private volatile NodeService node;
	private volatile ControlEventService control;
	private ScheduledExecutorService timer;
	private ScheduledFuture<?> announcing;
	/** Bumped by every reconfiguration, so that an announcement already running does not reschedule a stale timer. */
	private long announceGeneration;

	public AnchorComponent() {
		this(() -> System.currentTimeMillis() / 1000, System::currentTimeMillis);
	}

	AnchorComponent(LongSupplier clock) {
		this(clock, () -> clock.getAsLong() * 1000);
	}

	AnchorComponent(LongSupplier clock, LongSupplier millis) {
		this.clock = clock;
		this.millis = millis;
	}

	@Activate
	synchronized void activate(Map<String, Object> properties) {
		timer = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread t = new Thread(r, "felund-anchor");
			t.setDaemon(true);
			return t;
		});
		configure(properties);
		timer.execute(this::loadHistory);
	}

	@Modified
	synchronized void configure(Map<String, Object> properties) {
		boolean offer = flag(properties.get(OFFER));
		long interval = seconds(properties.get(ANNOUNCE_INTERVAL), DEFAULT_INTERVAL);
		mobile = flag(properties.get(MOBILE));
		RankedAnchorPolicy.Settings old = policy.settings();
		policy.settings(new RankedAnchorPolicy.Settings(offer, interval, old.stalenessSeconds(), old.cooldownSeconds()));
		if (timer == null) {
			return;
		}
		if (announcing != null) {
			announcing.cancel(false);
			announcing = null;
		}
		long generation = ++announceGeneration;
		if (offer) {
			announcing = timer.schedule(() -> announceThenWaitForMidRound(generation), 0, TimeUnit.MILLISECONDS);
		}
	}

	/**
	 * Announces, then schedules the next announcement in the middle of the next round of wall-clock time. A fixed-rate
	 * timer drifts against the round grid and, near a round's edge, lands two announcements in one round and none in
	 * the next: every node would then count a missed round for this node and its rank would drop for nothing.
	 */
	private void announceThenWaitForMidRound(long generation) {
		announce();
		synchronized (this) {
			if (timer == null || generation != announceGeneration) {
				return;
			}
			announcing = timer.schedule(() -> announceThenWaitForMidRound(generation),
					delayToNextMidRound(millis.getAsLong(), policy.settings().roundSeconds() * 1000),
					TimeUnit.MILLISECONDS);
		}
	}

	/** Milliseconds from {@code nowMillis} to the middle of the next round that has its middle still ahead. */
	static long delayToNextMidRound(long nowMillis, long roundMillis) {
		long intoRound = Math.floorMod(nowMillis, roundMillis);
		long half = roundMillis / 2;
		long delay = half - intoRound;
		return delay > roundMillis / 10 ? delay : delay + roundMillis; // not twice in one round's middle
	}

	@Deactivate
	synchronized void deactivate() {
		if (timer != null) {
			timer.shutdownNow();
			timer = null;
		}
	}

	@Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
			policyOption = ReferencePolicyOption.GREEDY)
	void setNode(NodeService service) {
		node = service;
		scheduleHistory();
	}

	void unsetNode(NodeService service) {
		if (node == service) {
			node = null;
		}
	}

	@Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
			policyOption = ReferencePolicyOption.GREEDY)
	void setControl(ControlEventService service) {
		control = service;
		scheduleHistory();
	}

	void unsetControl(ControlEventService service) {
		if (control == service) {
			control = null;
		}
	}

	private synchronized void scheduleHistory() {
		if (timer != null) {
			timer.execute(this::loadHistory);
		}
	}

	/** The announcements of the last rounds (uptime, streaks), so that a restarted node ranks like the others at once. */
	void loadHistory() {
		NodeService n = node;
		ControlEventService c = control;
		if (n == null || c == null) {
			return;
		}
		long since = clock.getAsLong() - (RankedAnchorPolicy.HISTORY_ROUNDS + 2) * policy.settings().roundSeconds();
		try {
			for (Circle circle : n.circles()) {
				long from = since;
				while (true) {
					List<ControlMessage> page = c.history(circle.circleId(), from, HISTORY_PAGE);
					page.forEach(m -> controlEvent(m, "store"));
					if (page.size() < HISTORY_PAGE || page.get(page.size() - 1).createdTs() <= from) {
						break;
					}
					from = page.get(page.size() - 1).createdTs(); // the next page repeats that second: sets ignore it
				}
			}
		} catch (RuntimeException e) {
			LOG.log(Level.WARNING, "Anchor announcements of the last rounds not read: " + e.getMessage());
		}
	}

	/** Announces this node as an anchor to every circle (once per round while it offers). */
	void announce() {
		NodeService n = node;
		ControlEventService c = control;
		if (n == null || c == null || !policy.offersAnchor()) {
			return;
		}
		String self = n.identity().nodeId();
		long now = clock.getAsLong();
		boolean reachable = n.publiclyReachable();
		for (Circle circle : n.circles()) {
			try {
				c.send(circle.circleId(), new AnchorAnnounce(self, now, true, mobile, reachable));
			} catch (RuntimeException e) {
				LOG.log(Level.WARNING, "Anchor announcement to circle " + circle.circleId() + " failed: " + e.getMessage());
			}
		}
	}

	@Override
	public void controlEvent(ControlMessage message, String originTransportId) {
		if (message.event() instanceof AnchorAnnounce a && message.actorIsAuthor()) {
			policy.announced(message.circleId(), a.nodeId(), message.createdTs());
		}
	}

	@Override
	public boolean offersAnchor() {
		return policy.offersAnchor();
	}

	@Override
	public Optional<String> select(String circleId, List<AnchorRecord> candidates, long nowSeconds) {
		return policy.select(circleId, candidates, nowSeconds);
	}

	@Override
	public List<String> order(String circleId, List<AnchorRecord> candidates, long nowSeconds) {
		return policy.order(circleId, candidates, nowSeconds);
	}

	@Override
	public boolean exchangeWith(String circleId, String peerNodeId, boolean peerCanAnchor) {
		return policy.exchangeWith(circleId, peerNodeId, peerCanAnchor);
	}

	RankedAnchorPolicy policy() {
		return policy;
	}

	/** Boolean, or its text (a configuration written by hand); anything else is false. */
	static boolean flag(Object value) {
		return value instanceof Boolean b ? b : value != null && Boolean.parseBoolean(String.valueOf(value).strip());
	}

	/** A whole number of seconds, at least 1; anything else is the default. */
	static long seconds(Object value, long fallback) {
		if (value == null) {
			return fallback;
		}
		try {
			long v = value instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(value).strip());
			return v >= 1 ? v : fallback;
		} catch (RuntimeException e) {
			return fallback;
		}
	}
}
