package org.felund.core.node;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.felund.api.control.ControlEvent;
import org.felund.api.control.ControlEventService;
import org.felund.api.control.ControlListener;
import org.felund.api.control.ControlMessage;
import org.felund.api.crypto.CircleCrypto;
import org.felund.api.crypto.CryptoService;
import org.felund.api.model.ChatMessage;
import org.felund.api.store.CircleStore;
import org.felund.api.store.MessageStore;
import org.felund.api.store.SyncKey;
import org.felund.protocol.control.ControlEvents;

/**
 * The node's {@link ControlEventService}: control events sent by this node (its own channel operations and those
 * of plugins) and every control event the node accepts, delivered once each in acceptance order.
 */
final class ControlChannel implements ControlEventService {
	static final int MAX_HISTORY = 10_000;
	private static final int PAGE = 500;

	private final CryptoService crypto;
	private final CircleStore state;
	private final MessageStore messages;
	private final CircleKeys keys;
	private final Acceptance acceptance;
	private final Notifier notifier;
	private final String selfId;
	private final Supplier<String> displayName;
	private final LongSupplier clock;

	ControlChannel(CryptoService crypto, CircleStore state, MessageStore messages, CircleKeys keys,
			Acceptance acceptance, Notifier notifier, String selfId, Supplier<String> displayName,
			LongSupplier clock) {
		this.crypto = crypto;
		this.state = state;
		this.messages = messages;
		this.keys = keys;
		this.acceptance = acceptance;
		this.notifier = notifier;
		this.selfId = selfId;
		this.displayName = displayName;
		this.clock = clock;
	}

	/**
	 * Checks the event fully before anything is stored: it must be written and read back as the same kind of
	 * event, and any actor it names must be this node (the carrying message is authored by this node).
	 */
	@Override
	public ControlMessage send(String circleId, ControlEvent event) {
		return send(circleId, event, displayName.get());
	}

	/** As {@link #send(String, ControlEvent)}, the carrying message naming its author {@code authorName}. */
	ControlMessage send(String circleId, ControlEvent event, String authorName) {
		Objects.requireNonNull(event, "event");
		if (circleId == null || state.circle(circleId).isEmpty()) {
			throw new IllegalArgumentException("Unknown circle " + circleId);
		}
		String text;
		try {
			text = ControlEvents.toText(event);
		} catch (RuntimeException e) {
			throw new IllegalArgumentException("This " + event.type() + " cannot be written: " + e.getMessage(), e);
		}
		Optional<ControlEvent> back = ControlEvents.parse(text);
		if (back.isEmpty() || !back.get().type().equals(event.type())) {
			throw new IllegalArgumentException(
					"This " + event.type() + " would not be read back by other nodes (a required field is blank)");
		}
		long now = clock.getAsLong();
		if (!new ControlMessage(circleId, "-", selfId, "", now, back.get()).actorIsAuthor()) {
			throw new IllegalArgumentException(
					"The " + event.type() + " names another node as its actor; this node can only act for itself");
		}
		CircleCrypto cc = keys.require(circleId);
		ChatMessage m = MessageFactory.create(crypto, cc, ChatMessage.CONTROL, selfId, authorName, text, now);
		return acceptance.storeOwn(circleId, m)
				.orElseThrow(() -> new IllegalStateException("The stored control message did not parse"));
	}

	@Override
	public List<ControlMessage> history(String circleId, long sinceTs, int limit) {
		if (circleId == null || state.circle(circleId).isEmpty()) {
			throw new IllegalArgumentException("Unknown circle " + circleId);
		}
		if (limit < 1 || limit > MAX_HISTORY) {
			throw new IllegalArgumentException("The limit must be 1.." + MAX_HISTORY + ", got " + limit);
		}
		CircleCrypto cc = keys.require(circleId);
		List<ControlMessage> newestFirst = new ArrayList<>();
		SyncKey before = null;
		while (true) {
			List<ChatMessage> page = messages.history(circleId, ChatMessage.CONTROL, before, PAGE);
			for (ChatMessage atRest : page) {
				if (atRest.createdTs() < sinceTs) {
					return oldestFirst(newestFirst, limit);
				}
				CircleKeys.decrypt(cc, atRest).ifPresent(plain -> ControlEvents.parse(plain.text())
						.ifPresent(e -> newestFirst.add(new ControlMessage(circleId, plain.msgId(),
								plain.authorNodeId(), plain.displayName(), plain.createdTs(), e))));
			}
			if (page.size() < PAGE) {
				return oldestFirst(newestFirst, limit);
			}
			ChatMessage oldest = page.get(page.size() - 1);
			before = new SyncKey(oldest.createdTs(), oldest.msgId());
		}
	}

	/** The oldest {@code limit} of them, oldest first: a caller reads on from the last one's time. */
	private static List<ControlMessage> oldestFirst(List<ControlMessage> newestFirst, int limit) {
		List<ControlMessage> out = new ArrayList<>(newestFirst);
		Collections.reverse(out);
		return List.copyOf(out.size() > limit ? out.subList(0, limit) : out);
	}

	@Override
	public void addListener(ControlListener listener) {
		notifier.add(listener);
	}

	@Override
	public void removeListener(ControlListener listener) {
		notifier.remove(listener);
	}
}
