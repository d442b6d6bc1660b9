package org.felund.protocol.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Lenient field access for control events, which both references read by name with coercion. */
final class EventFields {
	private EventFields() {
	}

	/** A string field: text as is, numbers and booleans as their JSON text, anything else absent. */
	static String string(JsonNode o, String key) {
		JsonNode v = o.get(key);
		if (v == null || v.isNull() || v.isContainerNode()) {
			return null;
		}
		return v.isTextual() ? v.textValue() : v.asText();
	}

	/** An integer field; absent or not a JSON integer gives {@code null}. */
	static Long integer(JsonNode o, String key) {
		JsonNode v = o.get(key);
		return v != null && v.isIntegralNumber() && v.canConvertToLong() ? v.longValue() : null;
	}

	/** Python truthiness of a JSON value (absent is false). */
	static boolean truthy(JsonNode o, String key) {
		JsonNode v = o.get(key);
		if (v == null || v.isNull()) {
			return false;
		}
		if (v.isBoolean()) {
			return v.booleanValue();
		}
		if (v.isNumber()) {
			return v.doubleValue() != 0.0;
		}
		if (v.isTextual()) {
			return !v.textValue().isEmpty();
		}
		return v.size() > 0;
	}

	static boolean isBlank(String s) {
		return s == null || s.isBlank();
	}

	static void putIfPresent(ObjectNode o, String key, String value) {
		if (value != null) {
			o.put(key, value);
		}
	}

	static void putIfPresent(ObjectNode o, String key, Long value) {
		if (value != null) {
			o.put(key, value.longValue());
		}
	}

}
