package org.felund.protocol.wire;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.felund.api.model.ProtocolException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one JSON setup of the project: a shared {@link ObjectMapper} and the two writers the protocol needs.
 * <ul>
 * <li>{@link #compact(JsonNode)}: no whitespace, keys in insertion order, non-ASCII written as raw UTF-8 (what
 * {@code JSON.stringify} does).</li>
 * <li>{@link #ascii(JsonNode)} / {@link #asciiSorted(JsonNode)}: the byte-exact equivalent of Python's
 * {@code json.dumps(obj, separators=(",", ":"), ensure_ascii=True[, sort_keys=True])}: every character outside
 * {@code ' '..'~'} is escaped, {@code \n \r \t \b \f} with their short forms and the rest as lower-case
 * {@code \\uXXXX} (characters beyond the BMP as their UTF-16 surrogate pair).</li>
 * </ul>
 * Parsing rejects duplicate keys and trailing content, so two readers never see two different objects in one
 * text.
 */
public final class Json {
	/** Thread-safe once configured; never reconfigure it. */
	public static final ObjectMapper MAPPER = JsonMapper
			.builder(JsonFactory.builder()
					// Protocol objects are at most a few levels deep; refuse pathological nesting early.
					.streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
					.build())
			.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
			.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
			.build();


	private Json() {
	}

	public static ObjectNode object() {
		return MAPPER.createObjectNode();
	}

	/** Parses one JSON document; any syntax error becomes a {@link ProtocolException}. */
	public static JsonNode parse(String text) {
		if (text == null) {
			throw new ProtocolException("No JSON text");
		}
		try {
			JsonNode node = MAPPER.readTree(text);
			if (node == null || node.isMissingNode()) {
				throw new ProtocolException("Empty JSON text");
			}
			return node;
		} catch (JsonProcessingException e) {
			throw new ProtocolException("Not valid JSON: " + e.getOriginalMessage(), e);
		}
	}

	/** Parses UTF-8 JSON bytes; malformed UTF-8 or JSON becomes a {@link ProtocolException}. */
	public static JsonNode parse(byte[] utf8) {
		if (utf8 == null) {
			throw new ProtocolException("No JSON text");
		}
		try {
			JsonNode node = MAPPER.readTree(utf8);
			if (node == null || node.isMissingNode()) {
				throw new ProtocolException("Empty JSON text");
			}
			return node;
		} catch (IOException e) {
			String detail = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
			throw new ProtocolException("Not valid JSON: " + detail, e);
		}
	}

	/** Parses a JSON document that must be an object. */
	public static ObjectNode parseObject(String text) {
		JsonNode node = parse(text);
		if (!node.isObject()) {
			throw new ProtocolException("Expected a JSON object, got " + typeName(node));
		}
		return (ObjectNode) node;
	}

	/** Compact JSON, insertion order, raw UTF-8 for non-ASCII (like {@code JSON.stringify}). */
	public static String compact(JsonNode node) {
		try {
			return MAPPER.writeValueAsString(node);
		} catch (JsonProcessingException e) {
			// A tree of plain nodes always serializes; reaching this is a programming error.
			throw new IllegalStateException("Cannot serialize JSON tree", e);
		}
	}

	public static byte[] compactBytes(JsonNode node) {
		return compact(node).getBytes(StandardCharsets.UTF_8);
	}

	/** Python {@code json.dumps(node, separators=(",", ":"))}: compact, insertion order, ASCII only. */
	public static String ascii(JsonNode node) {
		StringBuilder out = new StringBuilder(64);
		writeAscii(node, false, out);
		return out.toString();
	}

	/** Python {@code json.dumps(node, separators=(",", ":"), sort_keys=True)}: compact, sorted keys, ASCII only. */
	public static String asciiSorted(JsonNode node) {
		StringBuilder out = new StringBuilder(64);
		writeAscii(node, true, out);
		return out.toString();
	}

	/** Appends {@code value} as a JSON string literal escaped the way Python's {@code ensure_ascii} does. */
	public static void appendAsciiString(String value, StringBuilder out) {
		out.append('"');
		int safe = AsciiJson.safePrefix(value);
		out.append(value, 0, safe);
		if (safe < value.length()) {
			byte[] escaped = new byte[AsciiJson.escapedLength(value, safe, false)];
			AsciiJson.escape(value, safe, escaped, 0);
			out.append(new String(escaped, StandardCharsets.ISO_8859_1));
		}
		out.append('"');
	}

	/**
	 * Whether {@code s} contains an unpaired UTF-16 surrogate (see {@link AsciiJson#loneSurrogateIndex}): MAC and
	 * AAD inputs must not.
	 */
	public static boolean hasLoneSurrogate(String s) {
		return AsciiJson.loneSurrogateIndex(s) >= 0;
	}

	/** The first {@code max} code points of {@code s}, as Python's {@code s[:max]} (names are cut this way). */
	public static String firstCodePoints(String s, int max) {
		if (s.codePointCount(0, s.length()) <= max) {
			return s;
		}
		return s.substring(0, s.offsetByCodePoints(0, max));
	}

	/** A short name of a node's JSON type for error messages. */
	public static String typeName(JsonNode node) {
		if (node == null || node.isMissingNode()) {
			return "nothing";
		}
		return switch (node.getNodeType()) {
		case OBJECT -> "an object";
		case ARRAY -> "an array";
		case STRING -> "a string";
		case NUMBER -> node.isIntegralNumber() ? "an integer" : "a non-integer number";
		case BOOLEAN -> "a boolean";
		case NULL -> "null";
		default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
		};
	}

	private static void writeAscii(JsonNode node, boolean sortKeys, StringBuilder out) {
		switch (node.getNodeType()) {
		case OBJECT -> {
			List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.properties());
			if (sortKeys) {
				// Python sorts str keys by code point; identical to UTF-16 order for BMP keys (all protocol keys).
				fields.sort((a, b) -> compareCodePoints(a.getKey(), b.getKey()));
			}
			out.append('{');
			boolean first = true;
			for (Map.Entry<String, JsonNode> field : fields) {
				if (!first) {
					out.append(',');
				}
				first = false;
				appendAsciiString(field.getKey(), out);
				out.append(':');
				writeAscii(field.getValue(), sortKeys, out);
			}
			out.append('}');
		}
		case ARRAY -> {
			out.append('[');
			for (int i = 0; i < node.size(); i++) {
				if (i > 0) {
					out.append(',');
				}
				writeAscii(node.get(i), sortKeys, out);
			}
			out.append(']');
		}
		case STRING -> appendAsciiString(node.textValue(), out);
		case BOOLEAN -> out.append(node.booleanValue() ? "true" : "false");
		case NULL -> out.append("null");
		case NUMBER -> {
			if (!node.isIntegralNumber()) {
				// The protocol never carries floats (PHP and AAD equality break on them); refuse to invent a format.
				throw new IllegalArgumentException("Refusing to write a non-integer number: " + node);
			}
			out.append(node.bigIntegerValue().toString());
		}
		default -> throw new IllegalArgumentException("Cannot write JSON node of type " + node.getNodeType());
		}
	}

	private static int compareCodePoints(String a, String b) {
		int i = 0;
		int j = 0;
		while (i < a.length() && j < b.length()) {
			int ca = a.codePointAt(i);
			int cb = b.codePointAt(j);
			if (ca != cb) {
				return Integer.compare(ca, cb);
			}
			i += Character.charCount(ca);
			j += Character.charCount(cb);
		}
		return Integer.compare(a.length() - i, b.length() - j);
	}
}
