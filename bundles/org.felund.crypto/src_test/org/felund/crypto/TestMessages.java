package org.felund.crypto;

import static org.felund.crypto.Vectors.number;
import static org.felund.crypto.Vectors.text;

import org.felund.api.model.ChatMessage;
import org.felund.api.model.Envelope;
import org.felund.api.model.MessageHeader;

import com.fasterxml.jackson.databind.JsonNode;

/** Builds API records from vector cases and message dicts. */
final class TestMessages {
	private TestMessages() {
	}

	static MessageHeader header(JsonNode c) {
		return new MessageHeader(text(c, "msg_id"), text(c, "circle_id"), text(c, "channel_id"),
				text(c, "author_node_id"), number(c, "created_ts"));
	}

	/** A message whose plaintext and MAC are the case's own fields (legacy MAC vectors, gossip dicts). */
	static ChatMessage message(JsonNode c) {
		JsonNode enc = c.path("enc");
		return new ChatMessage(text(c, "msg_id"), text(c, "circle_id"), text(c, "channel_id"),
				text(c, "author_node_id"), number(c, "created_ts"), text(c, "display_name"), text(c, "text"),
				text(c, "mac"), c.path("schema_version").asInt(1), enc.isObject() ? envelope(enc) : null);
	}

	/** An {@code enc} object as the API carries it; a missing nonce or ciphertext throws like any parser. */
	static Envelope envelope(JsonNode enc) {
		return new Envelope(textOrNull(enc, "alg"), textOrNull(enc, "key_id"), textOrNull(enc, "nonce"),
				textOrNull(enc, "ciphertext"));
	}

	private static String textOrNull(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return value == null || value.isNull() ? null : value.asText();
	}
}
