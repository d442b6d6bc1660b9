package org.felund.core.control;

import java.util.Optional;

import org.felund.core.wire.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** {@code ANCHOR_ANNOUNCE} (protocol §5.4): a node offering to keep ciphertext for offline members. */
public record AnchorAnnounce(String nodeId, long announcedAt, boolean canAnchor, boolean isMobile,
		boolean publicReachable) implements ControlEvent {
	public static final String TYPE = "ANCHOR_ANNOUNCE";

	@Override
	public String type() {
		return TYPE;
	}

	@Override
	public ObjectNode toJson() {
		ObjectNode o = Json.object();
		o.put("t", TYPE);
		o.put("node_id", nodeId);
		o.put("announced_at", announcedAt);
		ObjectNode caps = o.putObject("capabilities");
		caps.put("can_anchor", canAnchor);
		caps.put("is_mobile", isMobile);
		caps.put("public_reachable", publicReachable);
		return o;
	}

	/** Requires a non-empty {@code node_id}; capabilities are coerced to booleans, other keys dropped. */
	static Optional<ControlEvent> parse(JsonNode o) {
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
}
