package org.felund.core.node;

import java.lang.System.Logger.Level;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

import org.felund.api.model.ChatMessage;
import org.felund.api.model.Delivery;
import org.felund.api.store.MessageStore;

/**
 * The delivery state of the messages this node wrote: every hop (transport, peer, route) that accepted one, kept in
 * the store so that it survives a restart, and told to node listeners as it changes. Messages of others and control
 * events are not tracked (announcements would flood the table and nobody looks at their state).
 */
final class Deliveries {
	private static final System.Logger LOG = System.getLogger(Deliveries.class.getName());
	private static final int OWN_MEMORY = 4096;

	private final MessageStore messages;
	private final Anchors anchors;
	private final Notifier notifier;
	private final LongSupplier clock;
	private final String nodeId;
	/** Own chat messages written recently: most deliveries concern them, and this spares a store read. */
	private final Set<String> recentOwn = Collections
			.newSetFromMap(Collections.synchronizedMap(new LinkedHashMap<String, Boolean>(256, 0.75f, false) {
				private static final long serialVersionUID = 1L;

				@Override
				protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
					return size() > OWN_MEMORY;
				}
			}));
	private volatile Runnable onDelivered = () -> {
	};

	Deliveries(MessageStore messages, Anchors anchors, Notifier notifier, LongSupplier clock, String nodeId) {
		this.messages = messages;
		this.anchors = anchors;
		this.notifier = notifier;
		this.clock = clock;
		this.nodeId = nodeId;
	}

	void onDelivered(Runnable r) {
		onDelivered = r;
	}

	/** A chat message this node just wrote. */
	void written(String circleId, ChatMessage message) {
		if (!message.isControl()) {
			recentOwn.add(key(circleId, message.msgId()));
		}
	}

	/** A hop accepted a message; only this node's own chat messages are tracked. */
	Optional<Delivery> delivered(String circleId, String msgId, String transportId, String peer, Delivery.Route route) {
		if (circleId == null || msgId == null || transportId == null || route == null || !isOwn(circleId, msgId)) {
			return Optional.empty();
		}
		String who = peer == null ? "" : peer.strip();
		Delivery.Route r = route == Delivery.Route.DIRECT && anchors.order(circleId).contains(who)
				? Delivery.Route.ANCHOR
				: route;
		try {
			if (!messages.recordDelivery(circleId, msgId, new Delivery.Hop(transportId, who, r, clock.getAsLong()))) {
				return Optional.empty();
			}
		} catch (RuntimeException e) {
			LOG.log(Level.WARNING, "Delivery of " + msgId + " not recorded: " + e.getMessage());
			return Optional.empty();
		}
		Optional<Delivery> now = state(circleId, msgId);
		now.ifPresent(notifier::delivered);
		onDelivered.run();
		return now;
	}

	boolean isDelivered(String circleId, String msgId) {
		return !messages.deliveries(circleId, List.of(msgId)).isEmpty();
	}

	Optional<Delivery> state(String circleId, String msgId) {
		if (circleId == null || msgId == null || !isOwn(circleId, msgId)) {
			return Optional.empty();
		}
		List<Delivery.Hop> hops = messages.deliveries(circleId, List.of(msgId)).getOrDefault(msgId, List.of());
		return Optional.of(of(circleId, msgId, hops));
	}

	Map<String, Delivery> states(String circleId, java.util.Collection<String> msgIds) {
		Map<String, Delivery> out = new LinkedHashMap<>();
		if (circleId == null || msgIds == null || msgIds.isEmpty()) {
			return out;
		}
		List<String> ids = List.copyOf(msgIds);
		Map<String, List<Delivery.Hop>> hops = messages.deliveries(circleId, ids);
		for (ChatMessage m : messages.get(circleId, ids)) {
			if (nodeId.equals(m.authorNodeId()) && !m.isControl()) {
				out.put(m.msgId(), of(circleId, m.msgId(), hops.getOrDefault(m.msgId(), List.of())));
			}
		}
		return out;
	}

	private static Delivery of(String circleId, String msgId, List<Delivery.Hop> hops) {
		return hops.isEmpty() ? Delivery.sent(circleId, msgId)
				: new Delivery(circleId, msgId, Delivery.Status.DELIVERED, hops);
	}

	private boolean isOwn(String circleId, String msgId) {
		if (recentOwn.contains(key(circleId, msgId))) {
			return true;
		}
		return messages.get(circleId, msgId).filter(m -> nodeId.equals(m.authorNodeId()) && !m.isControl())
				.isPresent();
	}

	private static String key(String circleId, String msgId) {
		return circleId + "|" + msgId;
	}
}
