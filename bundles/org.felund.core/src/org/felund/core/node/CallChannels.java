package org.felund.core.node;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.felund.api.control.CallEvent;
import org.felund.api.crypto.CircleCrypto;
import org.felund.api.model.ChatMessage;
import org.felund.api.store.MessageStore;
import org.felund.protocol.control.ChannelIds;
import org.felund.protocol.control.ControlEvents;

/**
 * The channel of each call session, so that a chat view can show "alice joined the call" in the channel where the
 * call was started although only the {@code create} event names it. This is no call state (the calls plugin keeps
 * that through the control-event service): only a bounded index from session id to channel, filled by accepted
 * {@code create} events and, for sessions started before this process, by one look through the stored history.
 */
final class CallChannels {
	private static final int CAPACITY = 4096;
	/** How far back a session's create is looked for: the reference's per-circle retention. */
	private static final int SCAN_LIMIT = 1000;
	private static final int PAGE = 200;

	private final MessageStore messages;
	private final CircleKeys keys;
	/** circle|session → channel, or "" when the session's create is not in the store. */
	private final Map<String, String> channels = new LinkedHashMap<>(256, 0.75f, true) {
		private static final long serialVersionUID = 1L;

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
			return size() > CAPACITY;
		}
	};

	CallChannels(MessageStore messages, CircleKeys keys) {
		this.messages = messages;
		this.keys = keys;
	}

	/** Records the channel of a session when the event is its {@code create}. */
	synchronized void created(String circleId, CallEvent e) {
		if (e.op() == CallEvent.Op.CREATE) {
			channels.putIfAbsent(circleId + "|" + e.sessionId(), channelOf(e).orElse(ChatMessage.GENERAL));
		}
	}

	synchronized void forget(String circleId) {
		channels.keySet().removeIf(k -> k.startsWith(circleId + "|"));
	}

	/** The channel the session was started in, if its {@code create} is known. */
	Optional<String> channel(String circleId, String sessionId) {
		String k = circleId + "|" + sessionId;
		String known;
		synchronized (this) {
			known = channels.get(k);
		}
		if (known == null) {
			known = scan(circleId, sessionId).orElse("");
			synchronized (this) {
				channels.putIfAbsent(k, known);
				known = channels.get(k);
			}
		}
		return known.isEmpty() ? Optional.empty() : Optional.of(known);
	}

	private Optional<String> scan(String circleId, String sessionId) {
		Optional<CircleCrypto> cc = keys.of(circleId);
		if (cc.isEmpty()) {
			return Optional.empty();
		}
		org.felund.api.store.SyncKey before = null;
		for (int seen = 0; seen < SCAN_LIMIT;) {
			List<ChatMessage> page = messages.history(circleId, ChatMessage.CONTROL, before, PAGE);
			for (ChatMessage atRest : page) {
				Optional<String> channel = CircleKeys.decrypt(cc.get(), atRest)
						.flatMap(plain -> ControlEvents.parse(plain.text()))
						.filter(ev -> ev instanceof CallEvent c && c.op() == CallEvent.Op.CREATE
								&& sessionId.equals(c.sessionId()))
						.map(ev -> channelOf((CallEvent) ev).orElse(ChatMessage.GENERAL));
				if (channel.isPresent()) {
					return channel;
				}
			}
			seen += page.size();
			if (page.size() < PAGE) {
				break;
			}
			ChatMessage oldest = page.get(page.size() - 1);
			before = new org.felund.api.store.SyncKey(oldest.createdTs(), oldest.msgId());
		}
		return Optional.empty();
	}

	private static Optional<String> channelOf(CallEvent e) {
		return ChannelIds.acceptFromEvent(e.channelId());
	}
}
