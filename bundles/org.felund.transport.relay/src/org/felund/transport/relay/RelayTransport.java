package org.felund.transport.relay;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

import org.felund.api.transport.Endpoint;
import org.felund.api.model.Delivery;
import org.felund.api.transport.Transport;
import org.felund.api.transport.TransportContext;
import org.felund.api.transport.TransportState;
import org.felund.transport.relay.internal.RelayCounters;
import org.felund.transport.relay.internal.RelaySession;
import org.felund.transport.relay.internal.RelayUrl;

/**
 * The relay transport (protocol §7, §8): presence and peer lookup, store-and-forward of every local message as a
 * schema-2 relay envelope, pull with a persisted cursor, and live delivery over the relay's WebSocket with HTTP
 * polling as the fallback. Every request is signed (§3.8), so the same client works against relays that enforce
 * signatures. With several relays, each runs on its own (one session per relay), and messages that arrive from one
 * are passed on to the others.
 * <p>
 * State: {@code LIVE} while every circle's socket is open, {@code POLL} while the relay answers HTTP but some socket
 * is not open (or sockets are off), {@code OFFLINE} when no relay is configured or it cannot be reached; with several
 * relays, the best of them. Every change is reported through {@link TransportContext#stateChanged}. While attached,
 * the relays are advertised as this node's {@code RELAY} endpoints.
 *
 * <pre>
 * RelayTransport relay = new RelayTransport(RelayOptions.fixed("https://relay.example.org"));
 * node.attach(relay);   // node calls relay.attach(node)
 * …
 * node.detach(relay);   // unregisters, closes sockets, stops threads
 * </pre>
 */
public final class RelayTransport implements Transport {
	public static final String ID = RelaySession.TRANSPORT_ID;

	private final RelayOptions options;
	private final RelayCounters counters = new RelayCounters();
	private final Object lock = new Object();
	/** The running sessions by relay. */
	private final Map<RelayUrl, RelaySession> sessions = new LinkedHashMap<>();
	/** The last state of each relay's session. */
	private final Map<RelayUrl, TransportState> states = new LinkedHashMap<>();
	private TransportContext context;
	private volatile TransportState state = new TransportState(TransportState.Mode.OFFLINE, 0, "not attached",
			ID + ": off");

	public RelayTransport(RelayOptions options) {
		this.options = Objects.requireNonNull(options, "options");
	}

	public RelayOptions options() {
		return options;
	}

	@Override
	public String id() {
		return ID;
	}

	/**
	 * Starts presence, push, pull and sockets for the node's circles in the background, on every relay.
	 *
	 * @throws IllegalStateException when already attached (detach first)
	 */
	@Override
	public void attach(TransportContext newContext) {
		Objects.requireNonNull(newContext, "context");
		List<RelaySession> started = new ArrayList<>();
		synchronized (lock) {
			if (context != null) {
				throw new IllegalStateException("The relay transport is already attached to node " + context.nodeId());
			}
			context = newContext;
			states.clear();
			boolean bridging = options.urls().size() > 1;
			for (String url : options.urls()) {
				RelayUrl relay = RelayUrl.parse(url);
				states.put(relay, new TransportState(TransportState.Mode.OFFLINE, 0, relay + ": connecting",
						RelaySession.LABEL_OFFLINE));
				RelaySession s = new RelaySession(newContext, options, relay, bridging, counters,
						next -> publish(newContext, relay, next));
				sessions.put(relay, s);
				started.add(s);
			}
		}
		// Without a relay nothing runs; the state says so.
		publish(newContext, null, options.urls().isEmpty()
				? new TransportState(TransportState.Mode.OFFLINE, 0, "no relay configured", RelaySession.LABEL_NONE)
				: null);
		started.forEach(RelaySession::start);
		if (!options.urls().isEmpty()) {
			// Where browsers and NAT'd members reach this node: invite codes are built from it.
			newContext.advertise(ID,
					options.urls().stream().map(url -> new Endpoint(ID, Endpoint.Kind.RELAY, url)).toList());
		}
	}

	@Override
	public void detach() {
		List<RelaySession> running;
		TransportContext attachedTo;
		synchronized (lock) {
			attachedTo = context;
			running = new ArrayList<>(sessions.values());
			sessions.clear();
		}
		if (attachedTo == null) {
			return;
		}
		attachedTo.advertise(ID, List.of());
		// Outside the lock: stopping waits for the session threads, which may be publishing a state.
		running.forEach(RelaySession::stop);
		TransportState detached = new TransportState(TransportState.Mode.OFFLINE, 0, "detached", ID + ": off");
		boolean changed;
		synchronized (lock) {
			if (context != attachedTo) {
				return;
			}
			context = null;
			states.clear();
			changed = !detached.equals(state);
			state = detached;
		}
		if (changed) {
			attachedTo.stateChanged(this);
		}
	}

	@Override
	public TransportState state() {
		return state;
	}

	@Override
	public void syncNow(String circleId) {
		List<RelaySession> running;
		synchronized (lock) {
			running = List.copyOf(sessions.values());
		}
		running.forEach(RelaySession::syncNow);
	}

	/**
	 * The routing chain's relay step: push what the relays do not have yet now (a message the relay accepts is reported
	 * delivered). The relay pushes every new message by itself; this only hurries a retry.
	 */
	@Override
	public boolean route(String circleId, String msgId, Delivery.Route route, String targetNodeId) {
		if (route != Delivery.Route.RELAY) {
			return false;
		}
		List<RelaySession> running;
		synchronized (lock) {
			running = List.copyOf(sessions.values());
		}
		running.forEach(RelaySession::syncNow);
		return !running.isEmpty();
	}

	/** Counters since construction (all attachments, all relays). */
	public RelayStats stats() {
		return counters.snapshot();
	}

	/**
	 * Takes one relay's new state and reports the combined one if it changed. {@code relay == null} with a state is
	 * the whole transport's state (no relay at all); with neither, the combination of the states known so far.
	 */
	private void publish(TransportContext target, RelayUrl relay, TransportState next) {
		TransportState combined;
		synchronized (lock) {
			if (target == null || target != context) {
				return;
			}
			if (next != null && relay == null) {
				combined = next;
			} else {
				if (next != null) {
					states.put(relay, next);
				}
				if (states.isEmpty()) {
					return;
				}
				combined = combine(states.values());
			}
			if (combined.equals(state)) {
				return;
			}
			state = combined;
		}
		target.stateChanged(this);
	}

	/** The best relay decides the mode, label and peer count; the detail names every relay's state. */
	static TransportState combine(Collection<TransportState> perRelay) {
		if (perRelay.size() == 1) {
			return perRelay.iterator().next();
		}
		TransportState.Mode best = TransportState.Mode.OFFLINE;
		int peers = 0;
		StringJoiner detail = new StringJoiner("; ");
		for (TransportState s : perRelay) {
			if (s.mode().compareTo(best) > 0) {
				best = s.mode();
			}
			peers = Math.max(peers, s.peers());
			detail.add(s.detail());
		}
		String label = switch (best) {
		case LIVE -> RelaySession.LABEL_LIVE;
		case POLL -> RelaySession.LABEL_POLLING;
		case OFFLINE -> RelaySession.LABEL_OFFLINE;
		};
		return new TransportState(best, peers, detail.toString(), label);
	}
}
