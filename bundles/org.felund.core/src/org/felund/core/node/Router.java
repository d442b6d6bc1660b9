package org.felund.core.node;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import org.felund.api.model.ChatMessage;
import org.felund.api.model.Delivery;
import org.felund.api.transport.Transport;

/**
 * The routing chain of the messages this node writes (docs/architecture.md, "Routing"). Every transport already
 * offers a new message at once to whom it reaches (gossip peers, open WebRTC channels, relays); the router follows up
 * on the messages that no peer, anchor or relay has accepted yet: after each {@code stepDelay} it asks the transports
 * for the next step of the chain (direct again, the chosen anchor, the next anchor, the relay), and after a full
 * round it waits, doubling the pause up to {@code maxBackoff}. A step no transport can take is skipped at once. A
 * delivery ({@link Deliveries}) ends the chase.
 * <p>
 * The clock is the node's ({@code NodeOptions.clock}, seconds) or, for tests, any supplier of milliseconds.
 */
final class Router {
	private static final System.Logger LOG = System.getLogger(Router.class.getName());
	/** Messages chased at once; beyond this the oldest are left as sent (their state stays in the store). */
	static final int MAX_PENDING = 10_000;

	/** One step of the chain. */
	record Step(Delivery.Route route, int anchorIndex) {
		@Override
		public String toString() {
			return route == Delivery.Route.ANCHOR ? "anchor#" + (anchorIndex + 1) : route.name().toLowerCase();
		}
	}

	static final List<Step> CHAIN = List.of(new Step(Delivery.Route.ANCHOR, 0), new Step(Delivery.Route.ANCHOR, 1),
			new Step(Delivery.Route.RELAY, 0), new Step(Delivery.Route.DIRECT, 0));

	private static final class Pending {
		final String circleId;
		final String msgId;
		int step;
		int rounds;
		long dueMillis;

		Pending(String circleId, String msgId, long dueMillis) {
			this.circleId = circleId;
			this.msgId = msgId;
			this.dueMillis = dueMillis;
		}
	}

	private final TransportHub hub;
	private final Anchors anchors;
	private final Deliveries deliveries;
	private final LongSupplier millis;
	private final long stepDelay;
	private final long maxBackoff;
	private final Map<String, Pending> pending = new LinkedHashMap<>();
	/** Each step taken, for tests and diagnostics: {@code msgId step transport[→target]}. */
	private final List<String> trace = new ArrayList<>();
	private volatile boolean tracing;

	Router(TransportHub hub, Anchors anchors, Deliveries deliveries, LongSupplier millis, Duration stepDelay,
			Duration maxBackoff) {
		this.hub = hub;
		this.anchors = anchors;
		this.deliveries = deliveries;
		this.millis = millis;
		this.stepDelay = Math.max(1, stepDelay.toMillis());
		this.maxBackoff = Math.max(this.stepDelay, maxBackoff.toMillis());
	}

	/** A message this node wrote: chase it until someone accepts it. */
	synchronized void written(String circleId, ChatMessage message) {
		if (message.isControl()) {
			return;
		}
		if (pending.size() >= MAX_PENDING) {
			Iterator<String> oldest = pending.keySet().iterator();
			oldest.next();
			oldest.remove();
		}
		pending.put(key(circleId, message.msgId()), new Pending(circleId, message.msgId(), millis.getAsLong() + stepDelay));
	}

	/** Picks up this node's undelivered messages after a restart. */
	synchronized void resume(String circleId, List<ChatMessage> ownUndelivered) {
		long due = millis.getAsLong() + stepDelay;
		for (ChatMessage m : ownUndelivered) {
			pending.putIfAbsent(key(circleId, m.msgId()), new Pending(circleId, m.msgId(), due));
		}
	}

	synchronized void forget(String circleId) {
		pending.values().removeIf(p -> p.circleId.equals(circleId));
	}

	synchronized int pendingCount() {
		return pending.size();
	}

	void tracing(boolean on) {
		tracing = on;
	}

	synchronized List<String> trace() {
		return List.copyOf(trace);
	}

	/** Takes the steps that are due; runs on the node's router timer. */
	void tick() {
		List<Pending> due = new ArrayList<>();
		long now = millis.getAsLong();
		synchronized (this) {
			for (Iterator<Pending> it = pending.values().iterator(); it.hasNext();) {
				Pending p = it.next();
				if (deliveries.isDelivered(p.circleId, p.msgId)) {
					it.remove();
				} else if (p.dueMillis <= now) {
					due.add(p);
				}
			}
		}
		for (Pending p : due) {
			advance(p, now);
		}
	}

	/** Takes the next step that some transport can take (at most one full round), then schedules the one after. */
	private void advance(Pending p, long now) {
		List<Transport> transports = hub.attached();
		for (int tried = 0; tried < CHAIN.size(); tried++) {
			Step step = CHAIN.get(p.step);
			p.step = (p.step + 1) % CHAIN.size();
			boolean wrapped = p.step == 0;
			boolean taken = take(p, step, transports);
			if (wrapped) {
				p.rounds++;
			}
			if (taken) {
				long pause = p.step == 0 ? Math.min(maxBackoff, stepDelay << Math.min(p.rounds, 20)) : stepDelay;
				p.dueMillis = now + pause;
				return;
			}
		}
		p.dueMillis = now + Math.min(maxBackoff, stepDelay << Math.min(p.rounds, 20));
	}

	private boolean take(Pending p, Step step, List<Transport> transports) {
		String target = null;
		if (step.route() == Delivery.Route.ANCHOR) {
			List<String> order = anchors.order(p.circleId);
			if (order.size() <= step.anchorIndex()) {
				return false;
			}
			target = order.get(step.anchorIndex());
		}
		boolean taken = false;
		for (Transport t : transports) {
			try {
				if (t.route(p.circleId, p.msgId, step.route(), target)) {
					taken = true;
					if (tracing) {
						synchronized (this) {
							trace.add(p.msgId + " " + step + " " + t.id() + (target == null ? "" : "\u2192" + target));
						}
					}
				}
			} catch (RuntimeException e) {
				LOG.log(Level.WARNING, "Transport " + t.id() + " failed to route " + p.msgId + ": " + e.getMessage());
			}
		}
		return taken;
	}

	private static String key(String circleId, String msgId) {
		return circleId + "|" + msgId;
	}
}
