package org.felund.protocol.wire;

import java.util.List;
import java.util.Set;

import org.felund.api.model.ChatMessage;
import org.felund.api.model.Envelope;
import org.felund.api.model.ProtocolException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A {@link ChatMessage} as JSON, in the two shapes the protocol uses.
 * <p>
 * <b>Gossip form</b> (protocol §4.6, the objects of {@code MSGS_SEND}): exactly the reference's ten keys in its
 * order. Parsing is strict, because the Python receiver builds its record by keyword expansion: a message that
 * Python drops must be dropped here too, or the circle's histories would diverge. So parsing rejects
 * <ul>
 * <li>any key outside the ten (Python drops such a message; we document and mirror it),</li>
 * <li>a missing {@code msg_id}, {@code circle_id}, {@code author_node_id}, {@code created_ts} or {@code text},</li>
 * <li>a {@code created_ts} that is not a JSON integer (no {@code 1.7e9}, no {@code "1700000000"}),</li>
 * <li>a value of the wrong JSON type, including {@code null} anywhere except {@code enc},</li>
 * <li>empty ids, and strings with unpaired UTF-16 surrogates (they cannot enter a MAC or AAD faithfully).</li>
 * </ul>
 * <b>Relay form</b> (§7.5): {@code {msg_id, circle_id, channel_id, author_node_id, created_ts, enc}}, the
 * ciphertext-only copy pushed to relays and anchors. Its reader also takes the legacy plaintext relay form
 * ({@code text}, {@code display_name}, {@code mac} instead of {@code enc}) and ignores keys it does not know,
 * because relay servers echo stored objects verbatim and both reference relay readers pick fields by name.
 * <p>
 * Neither reader verifies anything cryptographic; that is the node's acceptance step.
 */
public final class MessageJson {
	public static final String MSG_ID = "msg_id";
	public static final String CIRCLE_ID = "circle_id";
	public static final String AUTHOR_NODE_ID = "author_node_id";
	public static final String CREATED_TS = "created_ts";
	public static final String TEXT = "text";
	public static final String CHANNEL_ID = "channel_id";
	public static final String DISPLAY_NAME = "display_name";
	public static final String MAC = "mac";
	public static final String SCHEMA_VERSION = "schema_version";
	public static final String ENC = "enc";

	/** The gossip keys in the order the reference writes them. */
	public static final List<String> WIRE_KEYS = List.of(MSG_ID, CIRCLE_ID, AUTHOR_NODE_ID, CREATED_TS, TEXT,
			CHANNEL_ID, DISPLAY_NAME, MAC, SCHEMA_VERSION, ENC);

	/** The relay envelope keys in the order both reference clients write them. */
	public static final List<String> RELAY_KEYS = List.of(MSG_ID, CIRCLE_ID, CHANNEL_ID, AUTHOR_NODE_ID, CREATED_TS,
			ENC);

	private static final Set<String> WIRE_KEY_SET = Set.copyOf(WIRE_KEYS);

	private MessageJson() {
	}

	// ---------------------------------------------------------------- gossip form

	/** The gossip object: ten keys, reference order, {@code "enc":null} for schema 1. */
	public static ObjectNode toWire(ChatMessage message) {
		ObjectNode o = Json.object();
		o.put(MSG_ID, message.msgId());
		o.put(CIRCLE_ID, message.circleId());
		o.put(AUTHOR_NODE_ID, message.authorNodeId());
		o.put(CREATED_TS, message.createdTs());
		o.put(TEXT, message.text());
		o.put(CHANNEL_ID, message.channelId());
		o.put(DISPLAY_NAME, message.displayName());
		o.put(MAC, message.mac());
		o.put(SCHEMA_VERSION, message.schemaVersion());
		if (message.enc() == null) {
			o.putNull(ENC);
		} else {
			o.set(ENC, envelopeToJson(message.enc()));
		}
		return o;
	}

	/** {@link #toWire(ChatMessage)} as compact JSON text. */
	public static String toWireString(ChatMessage message) {
		return Json.compact(toWire(message));
	}

	public static ChatMessage fromWire(String json) {
		return fromWire(Json.parse(json));
	}

	/**
	 * Reads a gossip message object strictly (see the class comment).
	 *
	 * @throws ProtocolException naming the offending key
	 */
	public static ChatMessage fromWire(JsonNode node) {
		if (node == null || !node.isObject()) {
			throw new ProtocolException("A message must be a JSON object, got " + Json.typeName(node));
		}
		for (var field : node.properties()) {
			String key = field.getKey();
			if (!WIRE_KEY_SET.contains(key)) {
				throw new ProtocolException("Unknown key '" + key + "' in message (the reference drops such messages)");
			}
		}
		String msgId = requiredId(node, MSG_ID);
		String circleId = requiredId(node, CIRCLE_ID);
		String authorNodeId = requiredId(node, AUTHOR_NODE_ID);
		long createdTs = requiredTimestamp(node, CREATED_TS);
		String text = requiredString(node, TEXT);
		String channelId = optionalString(node, CHANNEL_ID, ChatMessage.GENERAL);
		String displayName = optionalString(node, DISPLAY_NAME, "");
		String mac = optionalString(node, MAC, "");
		int schemaVersion = optionalInt(node, SCHEMA_VERSION, 1);
		JsonNode encNode = node.get(ENC);
		Envelope enc = encNode == null || encNode.isNull() ? null : envelopeFromJson(encNode, ENC);
		return new ChatMessage(msgId, circleId, channelId, authorNodeId, createdTs, displayName, text, mac,
				schemaVersion, enc);
	}

	// ---------------------------------------------------------------- relay form

	/**
	 * The relay envelope of a message: header fields and {@code enc}, no plaintext.
	 *
	 * @throws IllegalArgumentException if the message has no {@code enc}
	 */
	public static ObjectNode toRelayEnvelope(ChatMessage message) {
		if (message.enc() == null) {
			throw new IllegalArgumentException("Message " + message.msgId() + " has no enc envelope to relay");
		}
		ObjectNode o = Json.object();
		o.put(MSG_ID, message.msgId());
		o.put(CIRCLE_ID, message.circleId());
		o.put(CHANNEL_ID, message.channelId());
		o.put(AUTHOR_NODE_ID, message.authorNodeId());
		o.put(CREATED_TS, message.createdTs());
		o.set(ENC, envelopeToJson(message.enc()));
		return o;
	}

	public static ChatMessage fromRelayEnvelope(String json) {
		return fromRelayEnvelope(Json.parse(json));
	}

	/**
	 * Reads a relay element: the envelope form (schema 2, empty plaintext) or the legacy plaintext form (schema 1,
	 * {@code text} and {@code mac} required). Unknown keys are ignored.
	 *
	 * @throws ProtocolException naming the offending key
	 */
	public static ChatMessage fromRelayEnvelope(JsonNode node) {
		if (node == null || !node.isObject()) {
			throw new ProtocolException("A relay message must be a JSON object, got " + Json.typeName(node));
		}
		String msgId = requiredId(node, MSG_ID);
		String circleId = requiredId(node, CIRCLE_ID);
		String authorNodeId = requiredId(node, AUTHOR_NODE_ID);
		long createdTs = requiredTimestamp(node, CREATED_TS);
		String channelId = optionalString(node, CHANNEL_ID, ChatMessage.GENERAL);
		JsonNode encNode = node.get(ENC);
		if (encNode != null && !encNode.isNull()) {
			Envelope enc = envelopeFromJson(encNode, ENC);
			return new ChatMessage(msgId, circleId, channelId, authorNodeId, createdTs, "", "",
					optionalString(node, MAC, ""), 2, enc);
		}
		String text = requiredString(node, TEXT);
		String mac = requiredString(node, MAC);
		String displayName = optionalString(node, DISPLAY_NAME, "");
		return new ChatMessage(msgId, circleId, channelId, authorNodeId, createdTs, displayName, text, mac, 1, null);
	}

	// ---------------------------------------------------------------- enc object

	/** {@code {"alg","key_id","nonce","ciphertext"}} in the reference's order. */
	public static ObjectNode envelopeToJson(Envelope enc) {
		ObjectNode o = Json.object();
		o.put("alg", enc.alg());
		o.put("key_id", enc.keyId());
		o.put("nonce", enc.nonce());
		o.put("ciphertext", enc.ciphertext());
		return o;
	}

	/**
	 * Reads an {@code enc} object. {@code nonce} and {@code ciphertext} must be strings (their base64 is checked on
	 * decrypt); {@code alg} and {@code key_id} are carried, never checked, as in the reference; other keys are
	 * ignored because the reference reads the object by name.
	 */
	public static Envelope envelopeFromJson(JsonNode node, String keyName) {
		if (!node.isObject()) {
			throw new ProtocolException("'" + keyName + "' must be an object or null, got " + Json.typeName(node));
		}
		String nonce = requiredString(node, "nonce", keyName + ".nonce");
		String ciphertext = requiredString(node, "ciphertext", keyName + ".ciphertext");
		String alg = optionalString(node, "alg", keyName + ".alg", Envelope.ALG);
		String keyId = optionalString(node, "key_id", keyName + ".key_id", Envelope.KEY_ID);
		return new Envelope(alg, keyId, nonce, ciphertext);
	}

	// ---------------------------------------------------------------- field readers

	private static String requiredId(JsonNode node, String key) {
		String value = requiredString(node, key);
		if (value.isEmpty()) {
			throw new ProtocolException("'" + key + "' must not be empty");
		}
		return value;
	}

	private static String requiredString(JsonNode node, String key) {
		return requiredString(node, key, key);
	}

	private static String requiredString(JsonNode node, String key, String label) {
		JsonNode v = node.get(key);
		if (v == null) {
			throw new ProtocolException("Missing required key '" + label + "'");
		}
		return checkedString(v, label);
	}

	private static String optionalString(JsonNode node, String key, String fallback) {
		return optionalString(node, key, key, fallback);
	}

	private static String optionalString(JsonNode node, String key, String label, String fallback) {
		JsonNode v = node.get(key);
		return v == null ? fallback : checkedString(v, label);
	}

	private static String checkedString(JsonNode v, String label) {
		if (!v.isTextual()) {
			throw new ProtocolException("'" + label + "' must be a string, got " + Json.typeName(v));
		}
		String s = v.textValue();
		if (Json.hasLoneSurrogate(s)) {
			throw new ProtocolException("'" + label + "' contains an unpaired UTF-16 surrogate");
		}
		return s;
	}

	private static long requiredTimestamp(JsonNode node, String key) {
		JsonNode v = node.get(key);
		if (v == null) {
			throw new ProtocolException("Missing required key '" + key + "'");
		}
		if (!v.isIntegralNumber() || !v.canConvertToLong()) {
			throw new ProtocolException("'" + key + "' must be a JSON integer, got " + Json.typeName(v)
					+ (v.isNumber() || v.isTextual() ? " (" + v + ")" : ""));
		}
		return v.longValue();
	}

	private static int optionalInt(JsonNode node, String key, int fallback) {
		JsonNode v = node.get(key);
		if (v == null) {
			return fallback;
		}
		if (!v.isIntegralNumber() || !v.canConvertToInt()) {
			throw new ProtocolException("'" + key + "' must be a JSON integer, got " + Json.typeName(v));
		}
		return v.intValue();
	}
}
