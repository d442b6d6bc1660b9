package org.felund.core.node;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.felund.api.model.ChatMessage;

import org.felund.api.crypto.CircleCrypto;
import org.felund.api.model.Circle;
import org.felund.api.store.CircleStore;
import org.felund.api.store.MessageStore;
import org.felund.api.store.MessageStore.StoredMessage;

/**
 * The cross-process change feed: messages, and circles joined or left, that another process stored in the same
 * home (a CLI {@code send} beside a running node) are announced here as if they had been accepted locally, once
 * each; {@code announcedHere} hears of each (with the stored message), so that the node's own messages written by
 * another process are routed by the running node.
 */
final class ChangeFeed {
	private static final int PAGE = 256;

	private final MessageStore messages;
	private final CircleStore state;
	private final CircleKeys keys;
	private final Acceptance acceptance;
	private final Notifier notifier;
	private final Consumer<String> forgetCircle;
	private final BiConsumer<String, ChatMessage> announcedHere;
	private long seq;
	private Set<String> circles;

	ChangeFeed(MessageStore messages, CircleStore state, CircleKeys keys, Acceptance acceptance, Notifier notifier,
			Consumer<String> forgetCircle, BiConsumer<String, ChatMessage> announcedHere) {
		this.messages = messages;
		this.state = state;
		this.keys = keys;
		this.acceptance = acceptance;
		this.notifier = notifier;
		this.forgetCircle = forgetCircle;
		this.announcedHere = announcedHere;
		this.seq = messages.lastSeq();
		this.circles = circleIds();
	}

	/** This process joined or left a circle itself: not news for the feed. */
	synchronized void circleEntered(String circleId) {
		Set<String> ids = new HashSet<>(circles);
		ids.add(circleId);
		circles = ids;
	}

	synchronized void circleLeft(String circleId) {
		Set<String> ids = new HashSet<>(circles);
		ids.remove(circleId);
		circles = ids;
	}

	synchronized void poll() {
		Set<String> current = circleIds();
		for (String added : difference(current, circles)) {
			notifier.circleAdded(added);
		}
		for (String removed : difference(circles, current)) {
			forgetCircle.accept(removed);
			notifier.circleRemoved(removed);
		}
		circles = current;
		long last = messages.lastSeq();
		if (last <= seq) {
			return;
		}
		for (String circleId : current) {
			Optional<CircleCrypto> cc = keys.of(circleId);
			long after = seq;
			while (true) {
				List<StoredMessage> page = messages.since(circleId, after, PAGE);
				for (StoredMessage sm : page) {
					after = Math.max(after, sm.seq());
					if (cc.isPresent() && acceptance.announceForeign(circleId, cc.get(), sm.message())) {
						announcedHere.accept(circleId, sm.message());
					}
				}
				if (page.size() < PAGE) {
					break;
				}
			}
		}
		// Rows inserted while we read may have a sequence above 'last'; they are read again next time and
		// skipped then, as already announced.
		seq = last;
	}

	private Set<String> circleIds() {
		Set<String> ids = new HashSet<>();
		for (Circle c : state.circles()) {
			ids.add(c.circleId());
		}
		return ids;
	}

	private static <T> Set<T> difference(Set<T> a, Set<T> b) {
		Set<T> out = new HashSet<>(a);
		out.removeAll(b);
		return out;
	}
}
