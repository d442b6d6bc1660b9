package org.felund.testsupport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.felund.api.anchor.AnchorStore;
import org.felund.api.model.ChatMessage;
import org.felund.api.model.Delivery;
import org.felund.api.model.Peer;
import org.felund.api.store.CircleStore;
import org.felund.api.store.MessageStore;
import org.felund.api.transport.CircleAccess;
import org.felund.api.transport.Endpoint;
import org.felund.api.transport.ReceiveResult;
import org.felund.api.transport.Transport;
import org.felund.api.transport.TransportContext;
import org.felund.api.transport.TransportState;

/**
 * A node's transport context with what a test decides on top: the anchor offer, and an endpoint registry that
 * records what transports advertise (and lets the test advertise for a transport that is not there). Tests attach
 * transports through {@link #wrap}, so they see exactly what the transport does with the context.
 */
public final class ForwardingContext implements TransportContext {
	private final TransportContext node;
	private volatile boolean canAnchor;
	private final Map<String, List<Endpoint>> endpoints = new LinkedHashMap<>();
	/** Every {@link #advertise} call, in order, as {@code transportId=[addresses]}. */
	public final List<String> advertised = new java.util.concurrent.CopyOnWriteArrayList<>();

	public ForwardingContext(TransportContext node, boolean canAnchor) {
		this.node = node;
		this.canAnchor = canAnchor;
	}

	/**
	 * A transport that the node attaches in place of {@code transport}: it hands {@code transport} this context
	 * (built around the node's) instead of the node's own.
	 */
	public static Transport wrap(Transport transport, java.util.function.Function<TransportContext, ForwardingContext> contexts) {
		return new Transport() {
			@Override
			public String id() {
				return transport.id();
			}

			@Override
			public void attach(TransportContext context) {
				transport.attach(contexts.apply(context));
			}

			@Override
			public void detach() {
				transport.detach();
			}

			@Override
			public TransportState state() {
				return transport.state();
			}

			@Override
			public void syncNow(String circleId) {
				transport.syncNow(circleId);
			}

			@Override
			public boolean route(String circleId, String msgId, Delivery.Route route, String targetNodeId) {
				return transport.route(circleId, msgId, route, targetNodeId);
			}
		};
	}

	public void canAnchor(boolean offer) {
		canAnchor = offer;
	}

	@Override
	public boolean canAnchor() {
		return canAnchor;
	}

	@Override
	public synchronized void advertise(String transportId, List<Endpoint> list) {
		advertised.add(transportId + "=" + list.stream().map(Endpoint::address).toList());
		if (list.isEmpty()) {
			endpoints.remove(transportId);
		} else {
			endpoints.put(transportId, List.copyOf(list));
		}
	}

	@Override
	public synchronized List<Endpoint> endpoints() {
		List<Endpoint> all = new ArrayList<>();
		endpoints.values().forEach(all::addAll);
		return all;
	}

	public String nodeId() { return node.nodeId(); }
	public String displayName() { return node.displayName(); }
	public List<CircleAccess> circles() { return node.circles(); }
	public Optional<CircleAccess> circle(String id) { return node.circle(id); }
	public Optional<CircleAccess> circleByHint(String hint) { return node.circleByHint(hint); }
	public MessageStore messages() { return node.messages(); }
	public CircleStore state() { return node.state(); }
	public ReceiveResult receive(String c, ChatMessage m, String t, String f) { return node.receive(c, m, t, f); }
	public List<ReceiveResult> receiveAll(String c, List<ChatMessage> m, String t, String f) { return node.receiveAll(c, m, t, f); }
	public Optional<ChatMessage> wireCopy(String c, String id) { return node.wireCopy(c, id); }
	public void peerSeen(String c, Peer p, String t) { node.peerSeen(c, p, t); }
	public void reachability(String c, String n, String t, boolean r) { node.reachability(c, n, t, r); }
	public void stateChanged(Transport t) { node.stateChanged(t); }
	public void addListener(NodeEvents l) { node.addListener(l); }
	public void removeListener(NodeEvents l) { node.removeListener(l); }
	public void delivered(String c, String id, String t, String p, Delivery.Route r) { node.delivered(c, id, t, p, r); }
	public List<String> anchors(String c) { return node.anchors(c); }
	public Optional<AnchorStore> anchorStore() { return node.anchorStore(); }
	public void observed(String t, String host, boolean inbound) { node.observed(t, host, inbound); }
}
