package org.felund.crypto.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.felund.api.crypto.CryptoException;
import org.felund.api.crypto.DecryptedBody;
import org.felund.protocol.wire.AsciiJson;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;

/**
 * The plaintext of an {@code enc} envelope: {@code {"display_name":…,"text":…}}.
 * <p>
 * We write what the reference writes (compact, keys in that order, non-ASCII as lower-case {@code \\uXXXX}
 * escapes), so that a pinned nonce reproduces the vectors byte for byte. We read with a real JSON parser and
 * accept anything the reference accepts: any key order, extra keys, raw UTF-8, missing keys as {@code ""},
 * non-string values turned into text the way Python's {@code str()} does.
 */
public final class EnvelopePlaintext {
	private static final byte[] PREFIX = ascii("{\"display_name\":\"");
	private static final byte[] MIDDLE = ascii("\",\"text\":\"");
	private static final byte[] SUFFIX = ascii("\"}");

	/** Python's json accepts NaN and ±Infinity, so an authentic envelope carrying them must not be dropped. */
	private static final JsonFactory JSON = JsonFactory.builder()
			.enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
			.build();

	private EnvelopePlaintext() {
	}

	/**
	 * Python's {@code json.dumps({"display_name": d, "text": t}, separators=(",", ":"))}, byte for byte.
	 *
	 * @throws IllegalArgumentException when a string holds a lone surrogate (see {@link StrictUtf8})
	 */
	public static byte[] encode(String displayName, String text) {
		EnvelopeWorkspace ws = EnvelopeWorkspace.current();
		int length = encodeInto(ws, displayName, text);
		byte[] out = Arrays.copyOf(ws.plaintext(length), length);
		ws.release(length);
		return out;
	}

	/**
	 * {@link #encode} into the workspace's plaintext buffer; returns the length. The caller wipes the buffer.
	 */
	static int encodeInto(EnvelopeWorkspace ws, String displayName, String text) {
		int nameAt = PREFIX.length;
		int textAt = nameAt + displayName.length() + MIDDLE.length;
		int length = textAt + text.length() + SUFFIX.length;
		byte[] out = ws.plaintext(length);
		if (JsonSafeAscii.copyIfSafe(displayName, out, nameAt, ws) && JsonSafeAscii.copyIfSafe(text, out, textAt, ws)) {
			// the usual case: nothing to escape, so the JSON is the three fixed parts around two copies
			System.arraycopy(PREFIX, 0, out, 0, PREFIX.length);
			System.arraycopy(MIDDLE, 0, out, textAt - MIDDLE.length, MIDDLE.length);
			System.arraycopy(SUFFIX, 0, out, length - SUFFIX.length, SUFFIX.length);
			return length;
		}
		// escapes needed: the one ensure_ascii writer of the wire format (org.felund.protocol.wire.AsciiJson)
		int nameLength = escapedLength(displayName, "display_name");
		int textLength = escapedLength(text, "text");
		length = PREFIX.length + nameLength + MIDDLE.length + textLength + SUFFIX.length;
		out = ws.plaintext(length);
		System.arraycopy(PREFIX, 0, out, 0, PREFIX.length);
		int at = AsciiJson.escape(displayName, 0, out, PREFIX.length);
		System.arraycopy(MIDDLE, 0, out, at, MIDDLE.length);
		at = AsciiJson.escape(text, 0, out, at + MIDDLE.length);
		System.arraycopy(SUFFIX, 0, out, at, SUFFIX.length);
		return length;
	}

	/** @throws IllegalArgumentException naming the field when it holds a lone surrogate */
	private static int escapedLength(String s, String field) {
		int length = AsciiJson.escapedLength(s, 0, true);
		if (length < 0) {
			throw StrictUtf8.loneSurrogate(field, -length - 1, s.charAt(-length - 1));
		}
		return length;
	}

	/**
	 * Parses a decrypted plaintext.
	 *
	 * @throws CryptoException when it is not a single JSON object
	 */
	public static DecryptedBody decode(byte[] json) throws CryptoException {
		EnvelopeWorkspace ws = EnvelopeWorkspace.current();
		try {
			return decode(json, json.length, ws);
		} finally {
			ws.release(0);
		}
	}

	/** {@link #decode(byte[])} of {@code json[0, length)}, with scratch space from {@code ws}. */
	static DecryptedBody decode(byte[] json, int length, EnvelopeWorkspace ws) throws CryptoException {
		DecryptedBody canonical = canonicalOrNull(json, length, ws.flags(length));
		if (canonical != null) {
			return canonical;
		}
		String displayName = "";
		String text = "";
		try (JsonParser parser = JSON.createParser(json, 0, length)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				throw new CryptoException("The decrypted envelope is JSON but not an object");
			}
			JsonToken token;
			while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
				String name = parser.currentName();
				JsonToken value = parser.nextToken();
				// duplicate keys: the last one wins, as in Python's json.loads
				if ("display_name".equals(name)) {
					displayName = PythonStr.str(parser, value);
				} else if ("text".equals(name)) {
					text = PythonStr.str(parser, value);
				} else {
					parser.skipChildren();
				}
			}
			if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
				throw new CryptoException("The decrypted envelope has data after its JSON object");
			}
		} catch (IOException e) {
			String reason = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
			throw new CryptoException("The decrypted envelope is not valid JSON: " + reason, e);
		}
		return new DecryptedBody(displayName, text);
	}

	/**
	 * Reads exactly what {@link #encode} writes for JSON-safe text (also what the web client writes for it) without
	 * a parser; anything else, even one extra space or escape, returns {@code null} and goes to Jackson.
	 */
	private static DecryptedBody canonicalOrNull(byte[] json, int length, byte[] scratch) {
		if (length < PREFIX.length + MIDDLE.length + SUFFIX.length || !regionEquals(json, 0, PREFIX)
				|| !regionEquals(json, length - SUFFIX.length, SUFFIX)) {
			return null;
		}
		int nameStart = PREFIX.length;
		int nameEnd = nameStart;
		// display names are short: a plain scan finds the closing quote
		while (nameEnd < length && JsonSafeAscii.isSafe(json[nameEnd])) {
			nameEnd++;
		}
		if (nameEnd == length || json[nameEnd] != '"' || !regionEquals(json, nameEnd, MIDDLE)) {
			return null;
		}
		int textStart = nameEnd + MIDDLE.length;
		int textEnd = length - SUFFIX.length;
		if (textStart > textEnd || !JsonSafeAscii.isSafe(json, textStart, textEnd, scratch)) {
			return null;
		}
		return new DecryptedBody(new String(json, nameStart, nameEnd - nameStart, StandardCharsets.ISO_8859_1),
				new String(json, textStart, textEnd - textStart, StandardCharsets.ISO_8859_1));
	}

	private static boolean regionEquals(byte[] bytes, int offset, byte[] expected) {
		return offset + expected.length <= bytes.length
				&& Arrays.equals(bytes, offset, offset + expected.length, expected, 0, expected.length);
	}

	private static byte[] ascii(String s) {
		return s.getBytes(StandardCharsets.US_ASCII);
	}
}
