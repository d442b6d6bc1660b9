package org.felund.transport.gossip.internal;

import org.felund.protocol.wire.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Frame types, reference error texts and small builders for the gossip protocol (§4). */
public final class Frames {
	public static final String HELLO = "HELLO";
	public static final String CHALLENGE = "CHALLENGE";
	public static final String HELLO_AUTH = "HELLO_AUTH";
	public static final String WELCOME = "WELCOME";
	public static final String PEERS = "PEERS";
	public static final String MSGS_HAVE = "MSGS_HAVE";
	public static final String MSGS_REQ = "MSGS_REQ";
	public static final String MSGS_SEND = "MSGS_SEND";
	public static final String ERROR = "ERROR";
	public static final String ANCHOR_PUSH = "ANCHOR_PUSH";
	public static final String ANCHOR_PUSH_ACK = "ANCHOR_PUSH_ACK";
	public static final String ANCHOR_PULL = "ANCHOR_PULL";
	public static final String ANCHOR_MSGS = "ANCHOR_MSGS";

	/** Extension frames, only ever sent to peers that negotiated {@code felund_ext} (docs/protocol-extensions.md). */
	public static final String X_RECON = "X_RECON";
	public static final String X_MSGS = "X_MSGS";
	public static final String X_REQ = "X_REQ";
	public static final String X_PING = "X_PING";
	public static final String X_PONG = "X_PONG";
	public static final String X_BYE = "X_BYE";

	/** The HELLO/WELCOME key that offers and confirms the extensions; the reference reads fields by name and ignores it. */
	public static final String EXT_KEY = "felund_ext";
	public static final int EXT_VERSION = 1;

	public static final String ERR_EXPECTED_HELLO = "Expected HELLO";
	public static final String ERR_UNKNOWN_CIRCLE = "Unknown circle_id";
	public static final String ERR_EXPECTED_HELLO_AUTH = "Expected HELLO_AUTH";
	public static final String ERR_AUTH_FAILED = "Auth failed";
	public static final String ERR_BAD_SYNC_FRAMES = "Bad sync frames";
	public static final String ERR_EXPECTED_MSGS_REQ = "Expected MSGS_REQ";
	public static final String ERR_EXPECTED_MSGS_SEND = "Expected MSGS_SEND";
	public static final String ERR_INTERNAL = "Internal error";
	/** Ours: a client that offers no session encryption while legacy plaintext is not allowed. */
	public static final String ERR_ENCRYPTION_REQUIRED = "Encryption required";

	private Frames() {
	}

	public static ObjectNode frame(String type) {
		ObjectNode o = Json.object();
		o.put("t", type);
		return o;
	}

	public static ObjectNode error(String text) {
		ObjectNode o = frame(ERROR);
		o.put("err", text);
		return o;
	}

	/** The frame's {@code t}, or {@code ""} when missing or not a string. */
	public static String type(JsonNode frame) {
		JsonNode t = frame.get("t");
		return t != null && t.isTextual() ? t.textValue() : "";
	}

	/** Python-style {@code str(obj.get(key, ""))} for the string fields we read by name. */
	public static String text(JsonNode frame, String key) {
		JsonNode v = frame.get(key);
		if (v == null || v.isNull()) {
			return "";
		}
		return v.isTextual() ? v.textValue() : v.toString();
	}

	/** Python truthiness of a flag field: missing, null, false, 0 and "" are false. */
	public static boolean flag(JsonNode frame, String key) {
		JsonNode v = frame.get(key);
		if (v == null || v.isNull()) {
			return false;
		}
		if (v.isBoolean()) {
			return v.booleanValue();
		}
		if (v.isNumber()) {
			return v.doubleValue() != 0;
		}
		if (v.isTextual()) {
			return !v.textValue().isEmpty();
		}
		return v.size() > 0;
	}

	/** An integer field (JSON integer or integer-valued text), {@code fallback} when absent or unusable. */
	public static long integer(JsonNode frame, String key, long fallback) {
		JsonNode v = frame.get(key);
		if (v == null || v.isNull()) {
			return fallback;
		}
		if (v.isIntegralNumber() && v.canConvertToLong()) {
			return v.longValue();
		}
		if (v.isTextual()) {
			try {
				return Long.parseLong(v.textValue().trim());
			} catch (NumberFormatException e) {
				return fallback;
			}
		}
		return fallback;
	}
}
