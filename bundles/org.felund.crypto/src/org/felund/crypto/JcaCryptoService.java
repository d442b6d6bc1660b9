package org.felund.crypto;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Objects;

import org.felund.api.crypto.CircleCrypto;
import org.felund.api.crypto.CircleSecret;
import org.felund.api.crypto.CryptoService;
import org.felund.crypto.internal.Hex;
import org.felund.crypto.internal.JcaCircleCrypto;
import org.felund.crypto.internal.Primitives;
import org.felund.crypto.internal.StrictUtf8;

/**
 * The felund crypto service on the JDK's providers (AES-GCM, HMAC, SHA-256) plus Bouncy Castle's HKDF. Build it
 * with {@code new JcaCryptoService()} outside OSGi; inside, the DS component registers one. Thread-safe.
 */
public class JcaCryptoService implements CryptoService {
	private static final int SIGNING_KEY_BYTES = 32;
	private static final String[] ID_FIELDS = { "node_id", "salt" };
	private final SecureRandom random;

	/** Uses a strong, thread-safe random source for secrets, ids and nonces. */
	public JcaCryptoService() {
		this(new SecureRandom());
	}

	/** For tests and benchmarks that need a particular random source. */
	public JcaCryptoService(SecureRandom random) {
		this.random = Objects.requireNonNull(random, "random");
	}

	@Override
	public CircleCrypto forCircle(CircleSecret secret) {
		return new JcaCircleCrypto(Objects.requireNonNull(secret, "secret"), random);
	}

	@Override
	public String circleHint(String circleId) {
		return JcaCircleCrypto.circleHintOf(circleId);
	}

	@Override
	public CircleSecret newSecret() {
		byte[] bytes = new byte[CircleSecret.LENGTH];
		random.nextBytes(bytes);
		return CircleSecret.fromBytes(bytes);
	}

	@Override
	public String randomHex(int n) {
		if (n < 0) {
			throw new IllegalArgumentException("Cannot make " + n + " random bytes");
		}
		byte[] bytes = new byte[n];
		random.nextBytes(bytes);
		return Hex.encode(bytes);
	}

	@Override
	public String messageId(String nodeId, long createdTs, String saltHex) {
		Objects.requireNonNull(nodeId, "node_id");
		Objects.requireNonNull(saltHex, "salt");
		byte[] preimage = StrictUtf8.encodeJoined(nodeId + '|' + createdTs + '|' + saltHex, ID_FIELDS, nodeId,
				saltHex);
		return Primitives.sha256Hex(preimage).substring(0, 32);
	}

	@Override
	public String newNodeId() {
		byte[] bytes = new byte[32];
		random.nextBytes(bytes);
		return Primitives.sha256Hex(bytes).substring(0, 24);
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * The signature is compared without regard to case, as the PHP relay lower-cases it first.
	 *
	 * @throws IllegalArgumentException when {@code signingKeyHex} is not 64 hex characters (relays should refuse
	 *                                  such a key when it is registered)
	 */
	@Override
	public boolean verifyApiRequest(String signingKeyHex, String method, String path, byte[] body, long ts,
			String nonce, String signature) {
		byte[] key = Hex.decode(signingKeyHex, "Signing key");
		if (key.length != SIGNING_KEY_BYTES) {
			throw new IllegalArgumentException(
					"Signing key must be 64 hex characters, got " + signingKeyHex.length());
		}
		if (signature == null) {
			return false;
		}
		byte[] canonical;
		try {
			canonical = JcaCircleCrypto.apiCanonical(method, path, body, ts, nonce);
		} catch (IllegalArgumentException unencodable) {
			return false;
		}
		String expected = Hex.encode(Primitives.hmacSha256(key, canonical));
		return Primitives.hexEquals(expected, asciiLowerCase(signature));
	}

	@Override
	public String sha256Hex(byte[] data) {
		return Primitives.sha256Hex(Objects.requireNonNull(data, "data"));
	}

	@Override
	public String toString() {
		return "JcaCryptoService";
	}

	private static String asciiLowerCase(String s) {
		byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
		for (int i = 0; i < bytes.length; i++) {
			if (bytes[i] >= 'A' && bytes[i] <= 'Z') {
				bytes[i] += 32;
			}
		}
		return new String(bytes, StandardCharsets.UTF_8);
	}
}
