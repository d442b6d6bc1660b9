package org.felund.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Base64;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The nonce shortcut must agree with the JDK's base64 codec on every input, valid or not. */
class NonceBase64Test {
	private final Random random = new Random(12);

	@Test
	void encodesAndDecodesLikeTheJdk() {
		for (int i = 0; i < 10_000; i++) {
			byte[] nonce = new byte[12];
			random.nextBytes(nonce);
			String text = NonceBase64.encode(nonce);
			assertEquals(Base64.getEncoder().encodeToString(nonce), text);
			assertArrayEquals(nonce, NonceBase64.decode(text));
		}
	}

	@Test
	void anythingElseGetsTheJdksAnswer() {
		String[] inputs = { "AAAAAAAAAAAAAAA!", "AAAAAAAAAAAAAA==", "AAAAAAAAAAAAAAA=", "-_AAAAAAAAAAAAAA",
				"AAAAAAAAAAAAAAA\u00e9", "AAAAAAAAAAAAAAA\u0141", "AAAAAAAA AAAAAAA", "", "AAAA", "AAAAAAAAAAAAAAAAAAAA",
				"////////////////", "++++++++++++++++" };
		for (String input : inputs) {
			byte[] expected;
			try {
				expected = Base64.getDecoder().decode(input);
			} catch (IllegalArgumentException jdkRefuses) {
				assertThrows(IllegalArgumentException.class, () -> NonceBase64.decode(input), input);
				continue;
			}
			assertArrayEquals(expected, NonceBase64.decode(input), input);
		}
		byte[] odd = { 1, 2, 3 };
		assertEquals(Base64.getEncoder().encodeToString(odd), NonceBase64.encode(odd));
	}
}
