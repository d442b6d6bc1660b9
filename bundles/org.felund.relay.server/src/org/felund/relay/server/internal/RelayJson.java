package org.felund.relay.server.internal;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * JSON for the relay. Parsing rejects duplicate keys and trailing content (a signed body must mean one thing).
 * Stored message elements are the client's own text of each element ({@link #rawArrayElements}), so whatever a
 * client sent — any number form, even an unpaired UTF-16 surrogate in an escape — comes back exactly so. What
 * the relay writes itself is compact with every non-ASCII character escaped.
 */
final class RelayJson {
	static final ObjectMapper MAPPER = JsonMapper
			.builder(JsonFactory.builder()
					.streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
					.build())
			.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
			.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
			// Numbers keep their exact text form (1.0 stays 1.0, not 1 as in the PHP relay).
			.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
			.nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
			.enable(JsonWriteFeature.ESCAPE_NON_ASCII)
			.build();

	private RelayJson() {
	}

	static ObjectNode object() {
		return MAPPER.createObjectNode();
	}

	/** Parses a request body that must be one JSON object. */
	static ObjectNode parseObject(byte[] body) throws ApiException {
		if (body.length == 0) {
			throw ApiException.badRequest("request body must be a JSON object");
		}
		JsonNode node;
		try {
			node = MAPPER.readTree(body);
		} catch (IOException e) {
			throw ApiException.badRequest("request body is not valid JSON");
		}
		if (node == null || !node.isObject()) {
			throw ApiException.badRequest("request body must be a JSON object");
		}
		return (ObjectNode) node;
	}

	/**
	 * The exact text of each element of the top-level array {@code field} of a body that {@link #parseObject}
	 * accepted (so every slice is one complete JSON value), or {@code null} when there is no such array.
	 * Re-serializing would change some values' form (e.g. {@code 2.5E1} becomes {@code 25}, an integer to some
	 * readers); the property-based fuzzing of the relay found that.
	 */
	static List<String> rawArrayElements(byte[] body, String field) throws ApiException {
		try (JsonParser p = MAPPER.getFactory().createParser(body)) {
			if (p.nextToken() != JsonToken.START_OBJECT) {
				return null;
			}
			while (p.nextToken() == JsonToken.FIELD_NAME) {
				String name = p.currentName();
				JsonToken value = p.nextToken();
				if (name.equals(field) && value == JsonToken.START_ARRAY) {
					List<String> out = new java.util.ArrayList<>();
					while (p.nextToken() != JsonToken.END_ARRAY) {
						int start = (int) p.currentTokenLocation().getByteOffset();
						p.skipChildren();
						int end = (int) p.currentLocation().getByteOffset();
						out.add(new String(body, start, end - start, java.nio.charset.StandardCharsets.UTF_8));
					}
					return out;
				}
				p.skipChildren();
			}
			return null;
		} catch (IOException e) {
			throw ApiException.badRequest("request body is not valid JSON");
		}
	}

	/** Compact, ASCII-only text of a JSON value. */
	static String write(JsonNode node) {
		try {
			return MAPPER.writeValueAsString(node);
		} catch (JsonProcessingException e) {
			throw new UncheckedIOException(e);
		}
	}

	/**
	 * {@code {<head fields>,"<arrayField>":[raw…],<tail fields>}} where the array elements are already-serialized
	 * JSON values (stored payloads are written as they are, without a parse/serialize round trip).
	 */
	static String withRawArray(ObjectNode head, String arrayField, List<String> rawElements, ObjectNode tail) {
		StringWriter out = new StringWriter(64 + rawElements.size() * 256);
		try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
			g.writeStartObject();
			writeFields(g, head);
			g.writeArrayFieldStart(arrayField);
			for (String raw : rawElements) {
				g.writeRawValue(raw);
			}
			g.writeEndArray();
			writeFields(g, tail);
			g.writeEndObject();
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		return out.toString();
	}

	private static void writeFields(JsonGenerator g, ObjectNode fields) throws IOException {
		var it = fields.properties().iterator();
		while (it.hasNext()) {
			var e = it.next();
			g.writeFieldName(e.getKey());
			MAPPER.writeTree(g, e.getValue());
		}
	}
}
