package org.felund.transport.webrtc.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.felund.api.model.ChatMessage;
import org.felund.protocol.wire.Json;
import org.felund.protocol.wire.MessageJson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The frames of the {@code felund-gossip} DataChannel (protocol §8.3): JSON text keyed by {@code type}, as the web
 * client sends them, plus the one key by which Felund nodes announce the extensions.
 */
final class ChannelFrames {
	static final String LABEL = "felund-gossip";
	static final String TYPE = "type";
	static final String HELLO = "HELLO";
	static final String AUTH = "AUTH";
	static final String MSGS_SEND = "MSGS_SEND";
	static final String MSG_NEW = "MSG_NEW";
	/**
	 * Added to HELLO by Felund nodes. The web client reads HELLO's {@code nonce} only and never looks at other keys,
	 * so it ignores this; a Felund node that sees it on the peer's HELLO, and sent it itself, switches to sealed
	 * frames after AUTH (docs/protocol-extensions.md §7).
	 */
	static final String EXT_KEY = "felund_ext";
	static final int EXT_VERSION = 1;
	/** Frames we build stay well below the 256 KiB SCTP message limit of every peer. */
	static final int FRAME_BUDGET = 60_000;
	/** Messages accepted in one MSGS_SEND (the web client sends at most 100). */
	static final int MAX_MESSAGES_PER_FRAME = 1000;

	private ChannelFrames() {
	}

	static ObjectNode hello(String nodeId, String circleHint, String nonce, boolean offerExtensions) {
		ObjectNode o = Json.object();
		o.put(TYPE, HELLO);
		o.put("node_id", nodeId);
		o.put("circle_hint", circleHint);
		o.put("nonce", nonce);
		if (offerExtensions) {
			o.put(EXT_KEY, EXT_VERSION);
		}
		return o;
	}

	static ObjectNode auth(String auth) {
		ObjectNode o = Json.object();
		o.put(TYPE, AUTH);
		o.put("auth", auth);
		return o;
	}

	static ObjectNode msgNew(ChatMessage message) {
		ObjectNode o = Json.object();
		o.put(TYPE, MSG_NEW);
		o.set("message", MessageJson.toRelayEnvelope(message));
		return o;
	}

	/** MSGS_SEND frames carrying {@code messages} (envelopes), each within {@link #FRAME_BUDGET}; one empty frame if none. */
	static List<byte[]> msgsSend(List<ChatMessage> messages) {
		List<byte[]> frames = new ArrayList<>();
		ObjectNode frame = msgsSendFrame();
		int size = Json.compact(frame).length();
		for (ChatMessage m : messages) {
			if (m.enc() == null) {
				continue;
			}
			ObjectNode envelope = MessageJson.toRelayEnvelope(m);
			int cost = Json.compact(envelope).getBytes(StandardCharsets.UTF_8).length + 1;
			ArrayNode list = (ArrayNode) frame.get("messages");
			if (size + cost > FRAME_BUDGET && !list.isEmpty()) {
				frames.add(bytes(frame));
				frame = msgsSendFrame();
				size = Json.compact(frame).length();
				list = (ArrayNode) frame.get("messages");
			}
			list.add(envelope);
			size += cost;
		}
		if (frames.isEmpty() || !frame.get("messages").isEmpty()) {
			frames.add(bytes(frame));
		}
		return frames;
	}

	private static ObjectNode msgsSendFrame() {
		ObjectNode o = Json.object();
		o.put(TYPE, MSGS_SEND);
		o.putArray("messages");
		return o;
	}

	static byte[] bytes(JsonNode frame) {
		return Json.compact(frame).getBytes(StandardCharsets.UTF_8);
	}

	/** The frame's {@code type}, or {@code ""}. */
	static String type(JsonNode frame) {
		JsonNode t = frame.get(TYPE);
		return t != null && t.isTextual() ? t.textValue() : "";
	}

	/** A string field, or {@code null} when absent or not a string. */
	static String text(JsonNode frame, String key) {
		JsonNode v = frame.get(key);
		return v != null && v.isTextual() ? v.textValue() : null;
	}

	/** Lower-case hex of 16 to 128 characters, even length: what a HELLO nonce must be. */
	static boolean isNonce(String s) {
		if (s == null || s.length() < 16 || s.length() > 128 || s.length() % 2 != 0) {
			return false;
		}
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
				return false;
			}
		}
		return true;
	}
}
