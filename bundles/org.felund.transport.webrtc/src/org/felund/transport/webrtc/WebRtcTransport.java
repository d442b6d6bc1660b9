package org.felund.transport.webrtc;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.felund.api.model.Delivery;
import org.felund.api.transport.Transport;
import org.felund.api.transport.TransportContext;
import org.felund.api.transport.TransportState;
import org.felund.transport.webrtc.internal.Counters;
import org.felund.transport.webrtc.internal.WebRtcEngine;
import org.felund.webrtc.RtcRuntime;

/**
 * The WebRTC DataChannel transport (protocol §8.3): DataChannel gossip with browsers running the felund web client
 * and with other Felund nodes, signaled through the relay's {@code /v1/signal} mailbox. Browsers get their messages
 * in tens of milliseconds instead of the relay's polling cycle; nodes behind NAT reach each other where TCP gossip
 * cannot. Between Felund nodes the channel carries the gossip extensions (sealed, sequenced frames and range
 * reconciliation).
 * <p>
 * State: {@code LIVE} while at least one channel is authenticated, {@code POLL} while signaling works but no channel
 * is up, {@code OFFLINE} without a relay, with WebRTC switched off or unavailable. The status-line label is
 * {@code p2p(N)}, N being the peers with an open channel; the members part shows them "via webrtc".
 *
 * <pre>
 * WebRtcTransport webrtc = new WebRtcTransport(new RtcRuntime(), WebRtcOptions.defaults());
 * node.attach(webrtc);   // signals through the relay the relay transport advertises
 * </pre>
 */
public final class WebRtcTransport implements Transport {
	public static final String ID = WebRtcEngine.TRANSPORT_ID;

	private final RtcRuntime runtime;
	private final WebRtcOptions options;
	private final Counters counters = new Counters();
	private final Object lock = new Object();
	private WebRtcEngine engine;
	private TransportContext context;
	private volatile TransportState state = TransportState.offline("not attached");

	/** @param runtime the process's WebRTC runtime (shared with calls); not closed by the transport */
	public WebRtcTransport(RtcRuntime runtime, WebRtcOptions options) {
		this.runtime = Objects.requireNonNull(runtime, "runtime");
		this.options = Objects.requireNonNull(options, "options");
	}

	public WebRtcOptions options() {
		return options;
	}

	@Override
	public String id() {
		return ID;
	}

	/** @throws IllegalStateException when already attached */
	@Override
	public void attach(TransportContext newContext) {
		Objects.requireNonNull(newContext, "context");
		synchronized (lock) {
			if (engine != null) {
				throw new IllegalStateException("The WebRTC transport is already attached to node " + context.nodeId());
			}
			context = newContext;
			WebRtcEngine e = new WebRtcEngine(newContext, runtime, options, counters, next -> publish(newContext, next));
			engine = e;
			publish(newContext, TransportState.offline("starting"));
			e.start();
		}
	}

	@Override
	public void detach() {
		WebRtcEngine e;
		TransportContext c;
		synchronized (lock) {
			e = engine;
			c = context;
			engine = null;
		}
		if (e == null) {
			return;
		}
		e.stop();
		publish(c, TransportState.offline("detached"));
		synchronized (lock) {
			if (engine == null && context == c) {
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
		WebRtcEngine e = current();
		if (e != null) {
			e.syncNow();
		}
	}

	/**
	 * The routing chain's {@code DIRECT} step (every open channel of the circle) and {@code ANCHOR} step (the open
	 * channel to that anchor); false where no channel is open, so the router goes on at once.
	 */
	@Override
	public boolean route(String circleId, String msgId, Delivery.Route route, String targetNodeId) {
		WebRtcEngine e = current();
		return e != null && e.route(circleId, msgId, route, targetNodeId);
	}

	public WebRtcStats stats() {
		return counters.snapshot();
	}

	/** Authenticated channels: peer node id → circle ids. */
	public Map<String, Set<String>> openChannels() {
		WebRtcEngine e = current();
		return e == null ? Map.of() : e.openChannels();
	}

	/** Drops every channel (tests and diagnostics: the network went away); the transport reconnects later. */
	public void dropChannels(String reason) {
		WebRtcEngine e = current();
		if (e != null) {
			e.dropChannels(reason);
		}
	}

	private WebRtcEngine current() {
		synchronized (lock) {
			return engine;
		}
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
