package org.felund.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.felund.api.crypto.CircleCrypto;
import org.felund.api.crypto.CircleSecret;
import org.felund.api.crypto.CryptoException;
import org.felund.api.crypto.DecryptedBody;
import org.felund.api.crypto.SessionCipher;
import org.felund.api.model.Envelope;
import org.felund.api.model.MessageHeader;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Property-based fuzzing of what the crypto bundle opens for others (issue 14, fault campaign): message envelopes and
 * session lines, altered at random, are either refused with a {@link CryptoException} or open to exactly what was
 * sealed; no altered envelope, header or line is ever accepted as something else. 1,000 seed-stable inputs per
 * property in every build; {@code -Dfelund.fuzz.tries=1000000} is the benchmark run.
 */
class EnvelopeFuzzTest {
	static final JcaCryptoService CRYPTO = new JcaCryptoService();
	static final CircleCrypto CC = CRYPTO.forCircle(CircleSecret.fromHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));
	static final MessageHeader HEADER = new MessageHeader("5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f", CC.circleId(), "general",
			"0123456789abcdef01234567", 1_700_000_000L);

	static String mutate(String s, int edits, Random rnd) {
		String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ \u00e9\u0000";
		StringBuilder b = new StringBuilder(s);
		for (int i = 0; i < edits; i++) {
			int at = b.isEmpty() ? 0 : rnd.nextInt(b.length() + 1);
			switch (rnd.nextInt(4)) {
			case 0 -> {
				if (at < b.length()) {
					b.setCharAt(at, alphabet.charAt(rnd.nextInt(alphabet.length())));
				}
			}
			case 1 -> b.delete(at, Math.min(b.length(), at + 1 + rnd.nextInt(4)));
			case 2 -> b.insert(at, alphabet.charAt(rnd.nextInt(alphabet.length())));
			default -> b.setLength(at);
			}
		}
		return b.toString();
	}

	@Provide
	Arbitrary<String> texts() {
		// Text with a lone surrogate is refused before sealing (it has no UTF-8 form); the rest is fair game.
		return Arbitraries.strings().all().ofMaxLength(64).filter(s -> !org.felund.protocol.wire.Json.hasLoneSurrogate(s));
	}

	@Property(seed = "20261230")
	void alteredEnvelopesAreRefusedOrOpenToWhatWasSealed(@ForAll("texts") String text,
			@ForAll @IntRange(min = 0, max = 3) int part, @ForAll @IntRange(min = 0, max = 5) int edits,
			@ForAll long salt) {
		Envelope sealed = CC.seal(HEADER, "alice", text);
		Random rnd = new Random(salt);
		Envelope altered = switch (part) {
		case 0 -> new Envelope(sealed.alg(), sealed.keyId(), mutate(sealed.nonce(), edits, rnd), sealed.ciphertext());
		case 1 -> new Envelope(sealed.alg(), sealed.keyId(), sealed.nonce(), mutate(sealed.ciphertext(), edits, rnd));
		case 2 -> new Envelope(mutate(sealed.alg(), edits, rnd), sealed.keyId(), sealed.nonce(), sealed.ciphertext());
		default -> sealed;
		};
		MessageHeader header = part == 3 && edits > 0
				? new MessageHeader(HEADER.msgId(), HEADER.circleId(), mutate(HEADER.channelId(), edits, rnd),
						HEADER.authorNodeId(), HEADER.createdTs() + rnd.nextInt(3))
				: HEADER;
		DecryptedBody body;
		try {
			body = CC.open(header, altered);
		} catch (CryptoException e) {
			return;
		}
		assertEquals(text, body.text(), "an accepted envelope carries exactly what was sealed");
		assertEquals("alice", body.displayName());
	}

	@Property(seed = "20261231")
	void alteredSessionLinesAreRefusedOrOpenToWhatWasSealed(@ForAll("texts") String text,
			@ForAll @IntRange(min = 0, max = 6) int edits, @ForAll long salt) throws Exception {
		SessionCipher cipher = CC.session("00112233445566778899aabbccddeeff", "ffeeddccbbaa99887766554433221100");
		StringBuilder frame = new StringBuilder("{\"t\":\"X_PING\",\"x\":");
		org.felund.protocol.wire.Json.appendAsciiString(text, frame);
		byte[] json = frame.append('}').toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
		String line = mutate(cipher.seal(json), edits, new Random(salt));
		byte[] opened;
		try {
			opened = cipher.open(line);
		} catch (CryptoException e) {
			return;
		}
		org.junit.jupiter.api.Assertions.assertArrayEquals(json, opened);
	}
}
