package org.felund.core.node;

import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

import org.felund.api.model.AccessMode;
import org.felund.api.model.ChatMessage;
import org.felund.api.node.SystemNote;
import org.felund.api.control.CallEvent;
import org.felund.api.control.ChannelEvent;
import org.felund.protocol.control.ChannelIds;
import org.felund.api.control.CircleNameEvent;
import org.felund.api.control.ControlEvent;

/**
 * Tells control events as lines for a chat view. Events people do not need to see (call signalling, anchor
 * announcements) and events without the fields a line needs give nothing.
 */
final class SystemNotes {
	private SystemNotes() {
	}

	/**
	 * @param carrier the decrypted {@code __control} message
	 * @param nameOf the name to show for a node id
	 * @param callChannel the channel of a known call session, by session id
	 * @param previousName the name a node went by before it took a new one (node id, new name), when known
	 */
	static Optional<SystemNote> describe(ChatMessage carrier, ControlEvent event, Function<String, String> nameOf,
			Function<String, Optional<String>> callChannel, BiFunction<String, String, Optional<String>> previousName) {
		return switch (event) {
		case ChannelEvent e -> channel(e, carrier, nameOf, previousName);
		case CircleNameEvent e -> note(carrier, ChatMessage.GENERAL,
				actor(null, carrier, nameOf) + " named the circle \u201c" + e.name().strip() + "\u201d");
		case CallEvent e -> call(e, carrier, nameOf, callChannel);
		default -> Optional.empty();
		};
	}

	private static Optional<SystemNote> channel(ChannelEvent e, ChatMessage carrier, Function<String, String> nameOf,
			BiFunction<String, String, Optional<String>> previousName) {
		if (e.op() == ChannelEvent.Op.RENAME) {
			if (blank(e.nodeId()) || blank(e.displayName())) {
				return Optional.empty();
			}
			String node = e.nodeId().strip();
			String now = e.displayName().strip();
			// Felund's carriers name the author as they were known before; the reference's name the new name.
			String carried = node.equals(carrier.authorNodeId()) ? carrier.displayName().strip() : "";
			Optional<String> before = !carried.isEmpty() && !carried.equals(now) ? Optional.of(carried)
					: previousName.apply(node, now);
			return note(carrier, ChatMessage.GENERAL,
					before.map(b -> b + " is now called " + now).orElse("A member is now called " + now));
		}
		Optional<String> id = ChannelIds.acceptFromEvent(e.channelId());
		if (id.isEmpty()) {
			return Optional.empty();
		}
		String channel = id.get();
		String hash = "#" + channel;
		String subject = blank(e.nodeId()) ? actor(e.actorNodeId(), carrier, nameOf) : nameOf.apply(e.nodeId().strip());
		return switch (e.op()) {
		case CREATE -> note(carrier, ChatMessage.GENERAL, actor(e.owner(), carrier, nameOf) + " created " + hash
				+ switch (AccessMode.fromWire(e.accessMode())) {
				case PUBLIC -> "";
				case KEY -> " (joined with a key)";
				case INVITE -> " (invite only)";
				});
		// Felund nodes announce a new member of the circle as a join of #general.
		case JOIN -> note(carrier, channel,
				subject + (ChatMessage.GENERAL.equals(channel) ? " joined the circle" : " joined " + hash));
		case REQUEST -> note(carrier, channel, subject + " asked to join " + hash);
		case LEAVE -> note(carrier, channel, subject + " left " + hash);
		case APPROVE -> blank(e.targetNodeId()) ? Optional.empty()
				: note(carrier, channel, actor(e.actorNodeId(), carrier, nameOf) + " let "
						+ nameOf.apply(e.targetNodeId().strip()) + " into " + hash);
		case RENAME -> Optional.empty();
		};
	}

	private static Optional<SystemNote> call(CallEvent e, ChatMessage carrier, Function<String, String> nameOf,
			Function<String, Optional<String>> callChannel) {
		String channel = ChannelIds.acceptFromEvent(e.channelId())
				.or(() -> callChannel.apply(e.sessionId())).orElse(ChatMessage.GENERAL);
		String actor = actor(e.actorNodeId(), carrier, nameOf);
		String subject = blank(e.nodeId()) ? actor : nameOf.apply(e.nodeId().strip());
		String target = blank(e.targetNodeId()) ? "someone" : nameOf.apply(e.targetNodeId().strip());
		String host = blank(e.hostNodeId()) ? actor : nameOf.apply(e.hostNodeId().strip());
		return switch (e.op()) {
		case CREATE -> note(carrier, channel, host + " started a call in #" + channel);
		case JOIN -> note(carrier, channel, subject + " joined the call");
		case VIEW -> note(carrier, channel, subject + " is watching the call");
		case LEAVE -> note(carrier, channel, subject + " left the call");
		case END -> note(carrier, channel, actor + " ended the call");
		case REVOKE -> note(carrier, channel, actor + " removed " + target + " from the call");
		case INVITE -> note(carrier, channel, actor + " invited " + target + " to the call");
		case SIGNAL_OFFER, SIGNAL_ANSWER, SIGNAL_CANDIDATE -> Optional.empty();
		};
	}

	/** Who did it: the event's actor, else the author of the carrying message (by the name it carried). */
	private static String actor(String actorNodeId, ChatMessage carrier, Function<String, String> nameOf) {
		if (!blank(actorNodeId) && !actorNodeId.strip().equals(carrier.authorNodeId())) {
			return nameOf.apply(actorNodeId.strip());
		}
		return carrier.displayName().isBlank() ? nameOf.apply(carrier.authorNodeId()) : carrier.displayName().strip();
	}

	private static Optional<SystemNote> note(ChatMessage carrier, String channelId, String text) {
		return Optional.of(new SystemNote(carrier.circleId(), channelId, carrier.msgId(), carrier.authorNodeId(),
				carrier.createdTs(), text));
	}

	/** The first 8 characters of a node id: how nodes without a known name are shown. */
	static String shortId(String nodeId) {
		String id = nodeId.strip();
		return id.length() <= 8 ? id : id.substring(0, 8) + "\u2026";
	}

	private static boolean blank(String s) {
		return s == null || s.isBlank();
	}
}
