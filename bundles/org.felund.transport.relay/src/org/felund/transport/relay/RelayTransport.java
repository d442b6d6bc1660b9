package org.felund.transport.relay;

import java.util.List;
import java.util.Objects;

import org.felund.api.transport.Endpoint;

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
 * signatures.
 * <p>
 * State: {@code LIVE} while every circle's socket is open, {@code POLL} while the relay answers HTTP but some socket
 * is not open (or sockets are off), {@code OFFLINE} when no relay is configured or it cannot be reached; every change
 * is reported through {@link TransportContext#stateChanged}.
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
	private RelaySession session;
	private TransportContext context;
	private volatile TransportState state = new TransportState(TransportState.Mode.OFFLINE, 0, "not attached", ID + ": off");

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
	 * Starts presence, push, pull and sockets for the node's circles in the background.
	 *
	 * @throws IllegalStateException when already attached (detach first)
	 */
	@Override
	public void attach(TransportContext newContext) {
		Objects.requireNonNull(newContext, "context");
		synchronized (lock) {
			if (session != null) {
				throw new IllegalStateException("The relay transport is already attached to node " + context.nodeId());
			}
			context = newContext;
			RelaySession s = new RelaySession(newContext, options, counters, next -> publish(newContext, next));
			session = s;
			publish(newContext, new TransportState(TransportState.Mode.OFFLINE, 0, "connecting", RelaySession.LABEL_OFFLINE));
			s.start();
		}
		if (!options.baseUrl().isEmpty()) {
			// Where browsers and NAT'd members reach this node: invite codes are built from it.
			newContext.advertise(ID, List.of(new Endpoint(ID, Endpoint.Kind.RELAY, RelayUrl.parse(options.baseUrl()).base())));
		}
	}

	@Override
	public void detach() {
		RelaySession s;
		synchronized (lock) {
			s = session;
			session = null;
		}
		if (s == null) {
			return;
		}
		TransportContext attachedTo;
		synchronized (lock) {
			attachedTo = context;
		}
		if (attachedTo != null) {
			attachedTo.advertise(ID, List.of());
		}
		// Outside the lock: stopping waits for the session thread, which may be publishing a state.
		s.stop();
		TransportContext c;
		synchronized (lock) {
			c = context;
			if (session != null) {
				return;
			}
		}
		publish(c, new TransportState(TransportState.Mode.OFFLINE, 0, "detached", ID + ": off"));
		synchronized (lock) {
			if (session == null && context == c) {
				context = null;
			}
		}
	}

	@Override
	public TransportState state() {
		return state;
	}

	@Override
	public void syncNow(String circleId) {
		RelaySession s;
		synchronized (lock) {
			s = session;
		}
		if (s != null) {
			s.syncNow();
		}
	}

	/** Counters since construction (all attachments). */
	public RelayStats stats() {
		return counters.snapshot();
	}

	private void publish(TransportContext target, TransportState next) {
		boolean changed;
		synchronized (lock) {
			if (target == null || target != context) {
				return;
			}
			changed = !next.equals(state);
			state = next;
		}
		if (changed) {
			target.stateChanged(this);
		}
	}
}
