package org.felund.core.control;

import java.util.Optional;

import org.felund.core.wire.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code CIRCLE_NAME_EVT} (protocol §5.3). We always emit {@code circle_id} (Python ignores the event without it)
 * and accept the web's form without it.
 */
public record CircleNameEvent(String circleId, String name) implements ControlEvent {
	public static final String TYPE = "CIRCLE_NAME_EVT";

	@Override
	public String type() {
		return TYPE;
	}

	@Override
	public ObjectNode toJson() {
		ObjectNode o = Json.object();
		o.put("t", TYPE);
		EventFields.putIfPresent(o, "circle_id", circleId);
		o.put("name", name);
		return o;
	}

	/** A non-blank {@code name} is required; {@code circle_id} is optional (web form). */
	static Optional<ControlEvent> parse(JsonNode o) {
		String name = EventFields.string(o, "name");
		if (EventFields.isBlank(name)) {
			return Optional.empty();
		}
		return Optional.of(new CircleNameEvent(EventFields.string(o, "circle_id"), name));
	}
}
