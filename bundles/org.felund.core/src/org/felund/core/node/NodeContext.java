package org.felund.core.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.felund.api.crypto.CircleCrypto;
import org.felund.api.anchor.AnchorStore;
import org.felund.api.model.ChatMessage;
import org.felund.api.model.Delivery;
import org.felund.api.model.Circle;
import org.felund.api.model.Peer;
import org.felund.api.store.CircleStore;
import org.felund.api.store.MessageStore;
import org.felund.api.transport.CircleAccess;
import org.felund.api.transport.Endpoint;
import org.felund.api.transport.ReceiveResult;
import org.felund.api.transport.Transport;
import org.felund.api.transport.TransportContext;

/** The node as its transports see it. */
final class NodeContext implements TransportContext {
	private final String nodeId;
	private final Supplier<String> displayName;
	private final CircleStore state;
	private final MessageStore messages;
	private final CircleKeys keys;
	private final Acceptance acceptance;
	private final Members members;
	private final Anchors anchors;
	private final TransportHub hub;
	private final Notifier notifier;
	private final LongSupplier clock;
	private final Deliveries deliveries;
	private final PublicReach publicReach;

	NodeContext(String nodeId, Supplier<String> displayName, CircleStore state, MessageStore messages,
			CircleKeys keys, Acceptance acceptance, Members members, Anchors anchors, TransportHub hub,
			Notifier notifier, LongSupplier clock, Deliveries deliveries, PublicReach publicReach) {
		this.deliveries = deliveries;
		this.publicReach = publicReach;
		this.nodeId = nodeId;
		this.displayName = displayName;
		this.state = state;
		this.messages = messages;
		this.keys = keys;
		this.acceptance = acceptance;
		this.members = members;
		this.anchors = anchors;
		this.hub = hub;
		this.notifier = notifier;
		this.clock = clock;
	}

	@Override
	public String nodeId() {
		return nodeId;
	}

	@Override
	public String displayName() {
		return displayName.get();
	}

	@Override
	public boolean canAnchor() {
		return anchors.offers();
	}

	@Override
	public boolean exchangeAnchorWith(String circleId, String peerNodeId, boolean peerCanAnchor) {
		return anchors.exchangeWith(circleId, peerNodeId, peerCanAnchor);
	}

	@Override
	public void delivered(String circleId, String msgId, String transportId, String peer, Delivery.Route route) {
		deliveries.delivered(circleId, msgId, transportId, peer, route);
	}

	@Override
	public List<String> anchors(String circleId) {
		return anchors.order(circleId);
	}

	@Override
	public Optional<AnchorStore> anchorStore() {
		return anchors.store();
	}

	@Override
	public void observed(String transportId, String remoteHost, boolean inbound) {
		publicReach.observed(remoteHost, inbound);
	}

	@Override
	public void advertise(String transportId, List<Endpoint> endpoints) {
		hub.advertise(transportId, endpoints);
	}

	@Override
	public List<Endpoint> endpoints() {
		return hub.endpoints();
	}

	@Override
	public void unreachable(String transportId, String circleId, String peer, String reason) {
		members.unreachable(circleId, new org.felund.api.node.ContactFailure(transportId, peer, reason,
				clock.getAsLong()));
	}

	@Override
	public List<CircleAccess> circles() {
		List<CircleAccess> out = new ArrayList<>();
		for (Circle c : state.circles()) {
			keys.of(c.circleId()).ifPresent(cc -> out.add(new Access(c.circleId(), c, cc)));
		}
		return out;
	}

	@Override
	public Optional<CircleAccess> circle(String circleId) {
		Optional<Circle> c = circleId == null ? Optional.empty() : state.circle(circleId);
		if (c.isEmpty()) {
			return Optional.empty();
		}
		return keys.of(circleId).map(cc -> new Access(circleId, c.get(), cc));
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
		return acceptance.receiveAll(circleId, List.of(message), transportId, fromNodeId).get(0);
	}

	@Override
	public List<ReceiveResult> receiveAll(String circleId, List<ChatMessage> batch, String transportId,
			String fromNodeId) {
		return acceptance.receiveAll(circleId, batch, transportId, fromNodeId);
	}

	@Override
	public Optional<ChatMessage> wireCopy(String circleId, String msgId) {
		return acceptance.wireCopy(circleId, msgId);
	}

	@Override
	public void peerSeen(String circleId, Peer peer, String transportId) {
		if (members.peerSeen(circleId, peer, clock.getAsLong())) {
			notifier.circleChanged(circleId);
		}
	}

	@Override
	public void reachability(String circleId, String memberId, String transportId, boolean reachable) {
		if (members.reachability(circleId, memberId, transportId, reachable, clock.getAsLong())) {
			notifier.circleChanged(circleId);
			anchors.recordsChanged(circleId);
		}
	}

	@Override
	public void stateChanged(Transport transport) {
		notifier.transportChanged(transport.id(), TransportHub.stateOf(transport));
	}

	@Override
	public void addListener(NodeEvents listener) {
		notifier.add(listener);
	}

	@Override
	public void removeListener(NodeEvents listener) {
		notifier.remove(listener);
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
