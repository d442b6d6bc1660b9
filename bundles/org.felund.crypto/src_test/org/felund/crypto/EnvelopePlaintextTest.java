package org.felund.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.felund.api.crypto.CryptoException;
import org.felund.api.crypto.DecryptedBody;
import org.felund.crypto.internal.EnvelopePlaintext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The envelope plaintext JSON beyond the vectors. Expected strings are what CPython 3.11's {@code json.dumps} and
 * {@code str(json.loads(...))} print for the same input.
 */
class EnvelopePlaintextTest {

	@Test
	void writesEveryEscapeAsPythonEnsureAsciiDoes() {
		byte[] json = EnvelopePlaintext.encode("a\u007f\u001f/\u0000",
				"\u2028\uD83D\uDE00\"\\\b\f\n\r\t~ \u00ff\u00e9");
		assertEquals("{\"display_name\":\"a\\u007f\\u001f/\\u0000\",\"text\":\"\\u2028\\ud83d\\ude00\\\"\\\\\\b\\f\\n"
				+ "\\r\\t~ \\u00ff\\u00e9\"}", new String(json, UTF_8));
		assertEquals("{\"display_name\":\"\",\"text\":\"\"}", new String(EnvelopePlaintext.encode("", ""), UTF_8));
	}

	@Test
	void writesLongTextThatOutgrowsTheFirstBuffer() {
		String text = "\u00e9".repeat(5000) + "x".repeat(5000);
		String json = new String(EnvelopePlaintext.encode("n", text), UTF_8);
		assertEquals("{\"display_name\":\"n\",\"text\":\"" + "\\u00e9".repeat(5000) + "x".repeat(5000) + "\"}", json);
	}

	@Test
	void plainAsciiTakesTheCopyPathAndStillMatchesPython() {
		assertEquals("{\"display_name\":\"why?\",\"text\":\"? ok ?? 12345678 ~!@#$%^&*()_+`'<>/\"}",
				new String(EnvelopePlaintext.encode("why?", "? ok ?? 12345678 ~!@#$%^&*()_+`'<>/"), UTF_8));
		// one escape anywhere sends the whole string down the escaping path
		assertEquals("{\"display_name\":\"a\",\"text\":\"" + "x".repeat(20) + "\\\"" + "y".repeat(20) + "\"}",
				new String(EnvelopePlaintext.encode("a", "x".repeat(20) + "\"" + "y".repeat(20)), UTF_8));
	}

	@Test
	void aLoneSurrogateIsNotMistakenForTheQuestionMarkJavaWritesForIt() {
		for (String text : new String[] { "is it?\uD800", "\uDFFF?", "12345678?abcdefg\uD800xyz" }) {
			assertThrows(IllegalArgumentException.class, () -> EnvelopePlaintext.encode("n", text), text);
			assertThrows(IllegalArgumentException.class, () -> EnvelopePlaintext.encode(text, "t"), text);
		}
	}

	@Test
	void canonicalAndOtherSpellingsReadTheSame() throws CryptoException {
		DecryptedBody expected = new DecryptedBody("alice", "hello there, friend?");
		assertEquals(expected, decode("{\"display_name\":\"alice\",\"text\":\"hello there, friend?\"}"));
		assertEquals(expected, decode("{\"display_name\": \"alice\", \"text\": \"hello there, friend?\"}"));
		assertEquals(expected, decode("{\"display_name\":\"alice\",\"text\":\"hello there, friend\\u003f\"}"));
		assertEquals(new DecryptedBody("a\u007f", "b"), decode("{\"display_name\":\"a\u007f\",\"text\":\"b\"}"));
		assertThrows(CryptoException.class, () -> decode("{\"display_name\":\"alice\",\"text\":\"hi\"}}"));
		assertThrows(CryptoException.class, () -> decode("{\"display_name\":\"alice\",\"text\":\"hi\""));
	}

	@ParameterizedTest
	@ValueSource(strings = { "\uD800", "a\uDC00b", "x\uD83D" })
	void refusesToEncryptALoneSurrogate(String bad) {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> EnvelopePlaintext.encode("alice", bad));
		assertTrue(e.getMessage().contains("text contains a lone UTF-16 surrogate"), e.getMessage());
	}

	@Test
	void readsAnyKeyOrderExtraKeysRawUtf8AndDuplicates() throws CryptoException {
		assertEquals(new DecryptedBody("bob", "hi"), decode("{\"text\":\"hi\",\"x\":{\"y\":[1,2]},\"display_name\":\"bob\"}"));
		assertEquals(new DecryptedBody("Zoë", "grüße ✓"), decode("{\"display_name\":\"Zoë\",\"text\":\"grüße ✓\"}"));
		assertEquals(new DecryptedBody("", "second"), decode("{\"text\":\"first\",\"text\":\"second\"}"));
		assertEquals(new DecryptedBody("a", "\uD83D\uDE00\uD800"),
				decode(" \n{\"display_name\":\"a\",\"text\":\"\\ud83d\\ude00\\ud800\"}\n "));
	}

	@Test
	void missingKeysReadAsEmpty() throws CryptoException {
		assertEquals(new DecryptedBody("", ""), decode("{}"));
		assertEquals(new DecryptedBody("", "only text"), decode("{\"text\":\"only text\"}"));
	}

	@Test
	void stringifiesOtherValuesLikePythonStr() throws CryptoException {
		String[][] cases = {
				{ "1", "1" }, { "1.5", "1.5" }, { "true", "True" }, { "false", "False" }, { "null", "None" },
				{ "[1,\"a\",null]", "[1, 'a', None]" },
				{ "{\"a\":1,\"b\":[true],\"a\":2}", "{'a': 2, 'b': [True]}" },
				{ "1e16", "1e+16" }, { "1e15", "1000000000000000.0" }, { "0.0001", "0.0001" },
				{ "0.00001", "1e-05" }, { "-0.0", "-0.0" }, { "NaN", "nan" }, { "-Infinity", "-inf" },
				{ "[\"it's\"]", "[\"it's\"]" }, { "[\"a\\\"b\"]", "['a\"b']" },
				{ "[\"x'y\\\"z\\\\\"]", "['x\\'y\"z\\\\']" },
				{ "[\"\\n\\t\\r\\u0000\\u007f\"]", "['\\n\\t\\r\\x00\\x7f']" },
				{ "[\"\\u00e9\\u200b\\u00a0\"]", "['é\\u200b\\xa0']" },
				{ "[\"\\ud83d\\ude00\\udb40\\udc01\"]", "['\uD83D\uDE00\\U000e0001']" },
				{ "[\"\\ud800\"]", "['\\ud800']" },
				{ "1.1e-7", "1.1e-07" }, { "2.5e-5", "2.5e-05" }, { "1e-4", "0.0001" },
				{ "123456789012345678", "123456789012345678" },
				{ "123456789012345678.0", "1.2345678901234568e+17" }, { "1e22", "1e+22" }, { "5e-324", "5e-324" },
				{ "1E2", "100.0" }, { "-0", "0" }, { "9999999999999998.0", "9999999999999998.0" },
				{ "0.1", "0.1" }, { "100.0", "100.0" }, { "{}", "{}" }, { "[]", "[]" }, { "[[],{}]", "[[], {}]" },
				{ "1e400", "inf" }, { "123456789012345678901234567890", "123456789012345678901234567890" } };
		for (String[] c : cases) {
			assertEquals(new DecryptedBody(c[1], ""), decode("{\"display_name\":" + c[0] + "}"), c[0]);
			assertEquals(new DecryptedBody("", c[1]), decode("{\"text\":" + c[0] + "}"), c[0]);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "hello", "[\"display_name\",\"text\"]", "\"text\"", "42", "{\"text\":\"a\"}{}",
			"{\"text\":\"a\"} x", "{\"text\":'a'}", "{\"text\":\"a\",}", "{\"text\":\"a\u0001\"}", "{\"text\":\"a\"",
			"{\"display_name\":\"alice\",\"text\":\"hi\"]", "{\"display_name\":\"al", "{\"display_name\":\"a\",\"text\":\"b" })
	void rejectsAnythingButOneJsonObject(String plaintext) {
		CryptoException e = assertThrows(CryptoException.class, () -> decode(plaintext));
		assertTrue(e.getMessage().startsWith("The decrypted envelope"), e.getMessage());
	}

	@Test
	void rejectsInvalidUtf8() {
		byte[] bad = { '{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xc3, (byte) 0x28, '"', '}' };
		assertThrows(CryptoException.class, () -> EnvelopePlaintext.decode(bad));
	}

	@Test
	void writtenPlaintextReadsBack() throws CryptoException {
		String name = "Zoë \"z\" \\";
		String text = "line1\nline2\t\u0000 \uD83D\uDE00 \u2028 日本";
		assertEquals(new DecryptedBody(name, text), EnvelopePlaintext.decode(EnvelopePlaintext.encode(name, text)));
		assertArrayEquals(EnvelopePlaintext.encode(name, text), EnvelopePlaintext.encode(name, text));
	}

	@Test
	void randomTextRoundTripsAsPureAscii() throws CryptoException {
		java.util.Random random = new java.util.Random(20260101);
		char[] alphabet = "ab?\"\\ \n\u0000\u001f\u007f\u00e9\u2028\uffff".toCharArray();
		for (int n = 0; n < 2000; n++) {
			StringBuilder text = new StringBuilder();
			int length = random.nextInt(40);
			for (int i = 0; i < length; i++) {
				if (random.nextInt(10) == 0) {
					text.append("\uD83D\uDE00");
				} else {
					text.append(alphabet[random.nextInt(alphabet.length)]);
				}
			}
			byte[] json = EnvelopePlaintext.encode("n" + n, text.toString());
			for (byte b : json) {
				assertTrue(b >= 0x20 && b < 0x7f, "ensure_ascii output has only printable ASCII");
			}
			assertEquals(new DecryptedBody("n" + n, text.toString()), EnvelopePlaintext.decode(json));
		}
	}

	private static DecryptedBody decode(String json) throws CryptoException {
		return EnvelopePlaintext.decode(json.getBytes(UTF_8));
	}
}
