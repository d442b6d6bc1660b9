package org.felund.protocol.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.TextNode;

/** The one ensure_ascii writer: what Python's json.dumps writes, and where the lone surrogates are. */
class AsciiJsonTest {
	private static String escaped(String s) {
		byte[] out = new byte[AsciiJson.escapedLength(s, 0, false)];
		assertEquals(out.length, AsciiJson.escape(s, 0, out, 0));
		return new String(out, StandardCharsets.US_ASCII);
	}

	@Test
	void escapesExactlyLikePythonEnsureAscii() {
		assertEquals("plain text ~", escaped("plain text ~"));
		assertEquals("\\\"q\\\\ \\n\\r\\t\\b\\f\\u0000\\u001f\\u007f", escaped("\"q\\ \n\r\t\b\f\u0000\u001f\u007f"));
		assertEquals("caf\\u00e9 \\u20ac \\ud83d\\ude00", escaped("café € 😀"), "astral as its surrogate pair");
		assertEquals("\\ud800x", escaped("\ud800x"), "json.dumps escapes a lone surrogate like any other");
		assertEquals("\"caf\\u00e9\"", Json.ascii(TextNode.valueOf("café")));
	}

	@Test
	void everyCharacterIsSafeOrEscapedAndTheLengthIsExact() {
		for (char c = 0; c < 0x3000; c++) {
			String s = "a" + c + "b";
			String e = escaped(s);
			assertEquals(e.length(), AsciiJson.escapedLength(s, 0, false));
			assertEquals(AsciiJson.isSafe(c), e.length() == 3, "U+" + Integer.toHexString(c));
			assertTrue(e.chars().allMatch(x -> x >= 0x20 && x < 0x7f));
		}
	}

	@Test
	void loneSurrogatesAreFoundAndRefusedWhereAsked() {
		assertEquals(-1, AsciiJson.loneSurrogateIndex("ok 😀"));
		assertEquals(3, AsciiJson.loneSurrogateIndex("abc\udc00"));
		assertEquals(0, AsciiJson.loneSurrogateIndex("\ud83dx"));
		assertEquals(2, AsciiJson.loneSurrogateIndex("😀\ud83d"));
		assertEquals(-(3 + 1), AsciiJson.escapedLength("abc\udc00", 0, true));
		assertEquals(12, AsciiJson.escapedLength("😀", 0, true));
		assertTrue(Json.hasLoneSurrogate("\udfff"));
		assertFalse(Json.hasLoneSurrogate(""));
		assertEquals(4, AsciiJson.safePrefix("abcd\"e"));
	}
}
