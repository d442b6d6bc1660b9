package org.felund.protocol.control;

import java.util.Optional;

import org.felund.api.control.AnchorAnnounce;
import org.felund.api.control.CallEvent;
import org.felund.api.control.ChannelEvent;
import org.felund.api.control.CircleNameEvent;
import org.felund.api.control.ControlEvent;
import org.felund.api.model.ProtocolException;
import org.felund.protocol.wire.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The wire form of control events (protocol §5): the text a {@code __control} message carries.
 * <p>
 * Reads either reference's form (Python: sorted keys, ASCII escapes; web: insertion order, raw UTF-8). A text that
 * is not JSON, not an object, of an unknown type or that fails its type's parse rule is not an event:
 * {@link #parse} returns empty and the carrying message is kept as an ordinary stored message. Writes what the
 * Python reference writes: compact, keys sorted, non-ASCII escaped.
 */
public final class ControlEvents {
	private ControlEvents() {
	}

	public static Optional<ControlEvent> parse(String text) {
		if (text == null || text.isEmpty()) {
			return Optional.empty();
		}
		JsonNode o;
		try {
			o = Json.parse(text);
		} catch (ProtocolException e) {
			return Optional.empty();
		}
		if (!o.isObject()) {
			return Optional.empty();
		}
		String type = EventFields.string(o, "t");
		if (type == null) {
			return Optional.empty();
		}
		// Same order of attempts as the reference: channel, circle name, anchor, call.
		return switch (type) {
		case ChannelEvent.TYPE -> parseChannel(o);
		case CircleNameEvent.TYPE -> parseCircleName(o);
		case AnchorAnnounce.TYPE -> parseAnchor(o);
		case CallEvent.TYPE -> parseCall(o);
		default -> Optional.empty();
		};
	}

	/** The message text as the reference writes it: compact, keys sorted, non-ASCII escaped. */
	public static String toText(ControlEvent event) {
		return Json.asciiSorted(toJson(event));
	}

	/** The event object (field order does not matter; {@link #toText} sorts). */
	public static ObjectNode toJson(ControlEvent event) {
		return switch (event) {
		case ChannelEvent e -> channelJson(e);
		case CircleNameEvent e -> circleNameJson(e);
		case AnchorAnnounce e -> anchorJson(e);
		case CallEvent e -> callJson(e);
		};
	}

	// ---------------------------------------------------------------- CHANNEL_EVT (§5.2)

	private static ObjectNode channelJson(ChannelEvent e) {
		ObjectNode o = Json.object();
		o.put("t", ChannelEvent.TYPE);
		o.put("op", e.op().wire());
		EventFields.putIfPresent(o, "circle_id", e.circleId());
		EventFields.putIfPresent(o, "channel_id", e.channelId());
		EventFields.putIfPresent(o, "access_mode", e.accessMode());
		EventFields.putIfPresent(o, "key_hash", e.keyHash());
		EventFields.putIfPresent(o, "actor_node_id", e.actorNodeId());
		EventFields.putIfPresent(o, "created_by", e.createdBy());
		EventFields.putIfPresent(o, "created_ts", e.createdTs());
		EventFields.putIfPresent(o, "node_id", e.nodeId());
		EventFields.putIfPresent(o, "target_node_id", e.targetNodeId());
		EventFields.putIfPresent(o, "display_name", e.displayName());
		return o;
	}

	/** Python's parse rule: {@code t} matches and {@code op} is one of the six. */
	private static Optional<ControlEvent> parseChannel(JsonNode o) {
		return ChannelEvent.Op.fromWire(EventFields.string(o, "op")).map(op -> new ChannelEvent(op,
				EventFields.string(o, "circle_id"), EventFields.string(o, "channel_id"),
				EventFields.string(o, "access_mode"), EventFields.string(o, "key_hash"),
				EventFields.string(o, "actor_node_id"), EventFields.string(o, "created_by"),
				EventFields.integer(o, "created_ts"), EventFields.string(o, "node_id"),
				EventFields.string(o, "target_node_id"), EventFields.string(o, "display_name")));
	}

	// ---------------------------------------------------------------- CIRCLE_NAME_EVT (§5.3)

	private static ObjectNode circleNameJson(CircleNameEvent e) {
		ObjectNode o = Json.object();
		o.put("t", CircleNameEvent.TYPE);
		EventFields.putIfPresent(o, "circle_id", e.circleId());
		o.put("name", e.name());
		return o;
	}

	/** A non-blank {@code name} is required; {@code circle_id} is optional (web form). */
	private static Optional<ControlEvent> parseCircleName(JsonNode o) {
		String name = EventFields.string(o, "name");
		if (EventFields.isBlank(name)) {
			return Optional.empty();
		}
		return Optional.of(new CircleNameEvent(EventFields.string(o, "circle_id"), name));
	}

	// ---------------------------------------------------------------- ANCHOR_ANNOUNCE (§5.4)

	private static ObjectNode anchorJson(AnchorAnnounce e) {
		ObjectNode o = Json.object();
		o.put("t", AnchorAnnounce.TYPE);
		o.put("node_id", e.nodeId());
		o.put("announced_at", e.announcedAt());
		ObjectNode caps = o.putObject("capabilities");
		caps.put("can_anchor", e.canAnchor());
		caps.put("is_mobile", e.isMobile());
		caps.put("public_reachable", e.publicReachable());
		return o;
	}

	/** Requires a non-empty {@code node_id}; capabilities are coerced to booleans, other keys dropped. */
	private static Optional<ControlEvent> parseAnchor(JsonNode o) {
		String nodeId = EventFields.string(o, "node_id");
		if (EventFields.isBlank(nodeId)) {
			return Optional.empty();
		}
		Long at = EventFields.integer(o, "announced_at");
		JsonNode caps = o.get("capabilities");
		boolean object = caps != null && caps.isObject();
		return Optional.of(new AnchorAnnounce(nodeId, at == null ? 0 : at,
				object && EventFields.truthy(caps, "can_anchor"), object && EventFields.truthy(caps, "is_mobile"),
				object && EventFields.truthy(caps, "public_reachable")));
	}

	// ---------------------------------------------------------------- CALL_EVT (§5.5)

	private static ObjectNode callJson(CallEvent e) {
		ObjectNode o = Json.object();
		o.put("t", CallEvent.TYPE);
		o.put("op", e.op().wire());
		o.put("session_id", e.sessionId());
		EventFields.putIfPresent(o, "host_node_id", e.hostNodeId());
		EventFields.putIfPresent(o, "circle_id", e.circleId());
		EventFields.putIfPresent(o, "channel_id", e.channelId());
		EventFields.putIfPresent(o, "created_ts", e.createdTs());
		EventFields.putIfPresent(o, "node_id", e.nodeId());
		EventFields.putIfPresent(o, "target_node_id", e.targetNodeId());
		EventFields.putIfPresent(o, "reason", e.reason());
		EventFields.putIfPresent(o, "actor_node_id", e.actorNodeId());
		return o;
	}

	/** Python's rule: a known {@code op} and a non-empty {@code session_id}. */
	private static Optional<ControlEvent> parseCall(JsonNode o) {
		String sessionId = EventFields.string(o, "session_id");
		if (EventFields.isBlank(sessionId)) {
			return Optional.empty();
		}
		return CallEvent.Op.fromWire(EventFields.string(o, "op")).map(op -> new CallEvent(op, sessionId,
				EventFields.string(o, "actor_node_id"), EventFields.string(o, "host_node_id"),
				EventFields.string(o, "circle_id"), EventFields.string(o, "channel_id"),
				EventFields.integer(o, "created_ts"), EventFields.string(o, "node_id"),
				EventFields.string(o, "target_node_id"), EventFields.string(o, "reason")));
	}
}
