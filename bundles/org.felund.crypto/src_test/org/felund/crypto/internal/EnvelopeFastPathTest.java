package org.felund.crypto.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Random;

import org.felund.api.crypto.CircleSecret;
import org.felund.api.crypto.CryptoException;
import org.felund.api.crypto.DecryptedBody;
import org.felund.api.model.Envelope;
import org.felund.api.model.MessageHeader;
import org.junit.jupiter.api.Test;

/**
 * The shortcuts the envelope takes for JSON-safe text (copy instead of escape, no parser on read, reused buffers)
 * must give exactly what the general path gives. The oracle below is the plain definition of Python's
 * {@code json.dumps(ensure_ascii=True)} for a string, one character at a time; the vectors pin the bytes.
 */
class EnvelopeFastPathTest {
	private static final int[] LENGTHS = { 0, 1, 31, 32, 33, 255, 2047, 2048, 2049, 4096, 5000 };
	private final Random random = new Random(20261126);
	private final JcaCircleCrypto circle = new JcaCircleCrypto(CircleSecret.fromHex("11".repeat(32)),
			new SecureRandom());
	private final MessageHeader header = new MessageHeader("0123456789abcdef0123456789abcdef", circle.circleId(),
			"general", "00112233445566778899aabb", 1767225600L);

	@Test
	void anUnsafeCharacterAnywhereIsEscapedAndReadBack() throws CryptoException {
		for (int length : LENGTHS) {
			if (length == 0) {
				continue;
			}
			for (char unsafe : new char[] { '"', '\\', '\n', '\u0000', '\u001f', '\u007f', '\u0080', '\u00e9',
					'\u0141', '\u2028' }) {
				for (int at : new int[] { 0, length / 2, length - 1 }) {
					StringBuilder text = new StringBuilder(plainText(length));
					text.setCharAt(at, unsafe);
					assertRoundTrip("carol", text.toString());
				}
			}
		}
	}

	@Test
	void safeTextOfEveryLengthIsCopiedExactly() throws CryptoException {
		for (int length : LENGTHS) {
			assertRoundTrip(plainText(Math.min(length, 40)), plainText(length));
		}
	}

	@Test
	void charactersWhoseLowByteLooksLikeSafeAsciiAreStillEscaped() {
		// U+0141 is 0x41 'A' in its low byte, U+2022 is 0x22 '"': only the exact check tells them from ASCII
		String text = "\u0141ukasz and \u0160ime\u2022 " + "x".repeat(40);
		String json = new String(EnvelopePlaintext.encode("\u0141", text), UTF_8);
		assertEquals(pythonJson("\u0141", text), json);
		assertTrue(json.contains("\\u0141ukasz"), json);
	}

	@Test
	void aLoneSurrogateInLongTextIsRefusedNotTurnedIntoAQuestionMark() {
		String text = "is this long enough to take the vector path?" + "\uD800" + "y".repeat(100);
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> circle.seal(header, "alice", text));
		assertTrue(e.getMessage().contains("text contains a lone UTF-16 surrogate"), e.getMessage());
		assertAllZero(EnvelopeWorkspace.current().plaintext(1));
	}

	@Test
	void randomTextMatchesTheOracleByteForByte() throws CryptoException {
		String alphabet = " ~azAZ09?!\"\\\n\t\u007f\u00e9\u0141\u2028";
		for (int round = 0; round < 300; round++) {
			int length = random.nextInt(3000);
			StringBuilder text = new StringBuilder(length);
			boolean safeOnly = random.nextBoolean();
			for (int i = 0; i < length; i++) {
				text.append(safeOnly ? (char) (0x20 + random.nextInt(0x5f)) : alphabet.charAt(random.nextInt(alphabet.length())));
			}
			String t = text.toString().replace(safeOnly ? "\"" : "\u0000", safeOnly ? "'" : "").replace(
					safeOnly ? "\\" : "\u0000", safeOnly ? "/" : "");
			assertRoundTrip("n" + round, t);
		}
	}

	@Test
	void theReusedBufferHoldsNoPlaintextAfterwardsAndDoesNotStayHuge() throws CryptoException {
		EnvelopeWorkspace ws = EnvelopeWorkspace.current();
		String big = plainText(3 * EnvelopeWorkspace.RETAINED_BYTES);
		Envelope sealed = circle.seal(header, "alice", big);
		assertTrue(ws.plaintext(1).length <= EnvelopeWorkspace.RETAINED_BYTES, "oversized buffer was kept");
		assertEquals(big, circle.open(header, sealed).text());
		assertTrue(ws.plaintext(1).length <= EnvelopeWorkspace.RETAINED_BYTES, "oversized buffer was kept");

		Envelope small = circle.seal(header, "alice", "secret words");
		assertAllZero(ws.plaintext(1));
		assertEquals("secret words", circle.open(header, small).text());
		assertAllZero(ws.plaintext(1));
	}

	@Test
	void aPlaintextThatIsAlmostCanonicalGoesToTheParser() throws CryptoException {
		String safe = plainText(3000);
		// an escaped quote in the middle, a space before the value, a second key: all valid JSON, none canonical
		assertEquals(new DecryptedBody("a", safe + "\"" + safe),
				decode("{\"display_name\":\"a\",\"text\":\"" + safe + "\\\"" + safe + "\"}"));
		assertEquals(new DecryptedBody("a", safe), decode("{\"display_name\":\"a\",\"text\": \"" + safe + "\"}"));
		assertEquals(new DecryptedBody("a", "x"),
				decode("{\"display_name\":\"a\",\"text\":\"" + safe + "\",\"text\":\"x\"}"));
		assertThrows(CryptoException.class, () -> decode("{\"display_name\":\"a\",\"text\":\"" + safe + "\n\"}"));
	}

	private void assertRoundTrip(String name, String text) throws CryptoException {
		byte[] json = EnvelopePlaintext.encode(name, text);
		assertArrayEquals(pythonJson(name, text).getBytes(UTF_8), json, () -> "text of length " + text.length());
		assertEquals(new DecryptedBody(name, text), EnvelopePlaintext.decode(json));
		Envelope sealed = circle.seal(header, name, text);
		assertEquals(new DecryptedBody(name, text), circle.open(header, sealed));
	}

	private static DecryptedBody decode(String json) throws CryptoException {
		return EnvelopePlaintext.decode(json.getBytes(UTF_8));
	}

	private String plainText(int length) {
		StringBuilder out = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			char c = (char) (0x20 + random.nextInt(0x5f));
			out.append(c == '"' || c == '\\' ? '.' : c);
		}
		return out.toString();
	}

	private static void assertAllZero(byte[] buffer) {
		for (int i = 0; i < buffer.length; i++) {
			if (buffer[i] != 0) {
				throw new AssertionError("plaintext left in the reused buffer at " + i);
			}
		}
	}

	/** Python's ensure_ascii JSON for the two-key object, written out rule by rule. */
	private static String pythonJson(String name, String text) {
		return "{\"display_name\":\"" + pythonEscape(name) + "\",\"text\":\"" + pythonEscape(text) + "\"}";
	}

	private static String pythonEscape(String s) {
		StringBuilder out = new StringBuilder();
		for (char c : s.toCharArray()) {
			switch (c) {
			case '"' -> out.append("\\\"");
			case '\\' -> out.append("\\\\");
			case '\n' -> out.append("\\n");
			case '\r' -> out.append("\\r");
			case '\t' -> out.append("\\t");
			case '\b' -> out.append("\\b");
			case '\f' -> out.append("\\f");
			default -> out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
			}
		}
		return out.toString();
	}
}
