package org.felund.core.control;

import java.util.Optional;

import org.felund.api.model.ProtocolException;
import org.felund.core.wire.Json;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads control texts in either reference's form (Python: sorted keys, ASCII escapes; web: insertion order, raw
 * UTF-8). A text that is not JSON, not an object, of an unknown type or that fails its type's parse rule is not
 * an event: {@link #parse} returns empty and the carrying message is kept as an ordinary stored message.
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
		case ChannelEvent.TYPE -> ChannelEvent.parse(o);
		case CircleNameEvent.TYPE -> CircleNameEvent.parse(o);
		case AnchorAnnounce.TYPE -> AnchorAnnounce.parse(o);
		case CallEvent.TYPE -> CallEvent.parse(o);
		default -> Optional.empty();
		};
	}
}
