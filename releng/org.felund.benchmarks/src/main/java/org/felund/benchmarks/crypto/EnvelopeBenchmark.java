package org.felund.benchmarks.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.felund.api.crypto.CircleCrypto;
import org.felund.api.crypto.CryptoException;
import org.felund.api.crypto.DecryptedBody;
import org.felund.api.model.Envelope;
import org.felund.api.model.MessageHeader;
import org.felund.crypto.JcaCryptoService;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The schema-2 {@code enc} envelope against the least a correct JCA caller must do for the same plaintext size:
 * draw a 12-byte nonce from the same SecureRandom, init AES-GCM, add the AAD, encrypt (or init, AAD, decrypt).
 * The envelope adds JSON writing/parsing, the AAD string, base64 and the Envelope record on top.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class EnvelopeBenchmark {
	/** Characters of chat text; the plaintext JSON is 33 bytes longer. */
	@Param({ "16", "256", "4096" })
	public int textLength;

	private CircleCrypto circle;
	private MessageHeader header;
	private String text;
	private Envelope sealed;

	private SecureRandom random;
	private SecretKeySpec rawKey;
	private Cipher rawCipher;
	private byte[] rawAad;
	private byte[] rawPlaintext;
	private byte[] rawNonce;
	private byte[] rawSealed;
	private String sealedNonce64;
	private String sealed64;

	@Setup
	public void setUp() throws GeneralSecurityException {
		random = new SecureRandom();
		JcaCryptoService crypto = new JcaCryptoService(random);
		circle = crypto.forCircle(crypto.newSecret());
		header = new MessageHeader(crypto.randomHex(16), circle.circleId(), "general", crypto.newNodeId(),
				1767225600L);
		text = CryptoSamples.chatText(textLength);
		sealed = circle.seal(header, "alice", text);

		byte[] key = new byte[32];
		random.nextBytes(key);
		rawKey = new SecretKeySpec(key, "AES");
		rawCipher = Cipher.getInstance("AES/GCM/NoPadding");
		rawAad = (header.msgId() + "|" + header.circleId() + "|" + header.channelId() + "|" + header.authorNodeId()
				+ "|" + header.createdTs()).getBytes(StandardCharsets.UTF_8);
		rawPlaintext = ("{\"display_name\":\"alice\",\"text\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8);
		rawNonce = new byte[12];
		random.nextBytes(rawNonce);
		rawCipher.init(Cipher.ENCRYPT_MODE, rawKey, new GCMParameterSpec(128, rawNonce));
		rawCipher.updateAAD(rawAad);
		rawSealed = rawCipher.doFinal(rawPlaintext);
		sealedNonce64 = Base64.getEncoder().encodeToString(rawNonce);
		sealed64 = Base64.getEncoder().encodeToString(rawSealed);
	}

	@Benchmark
	public Envelope envelopeSeal() {
		return circle.seal(header, "alice", text);
	}

	@Benchmark
	public DecryptedBody envelopeOpen() throws CryptoException {
		return circle.open(header, sealed);
	}

	@Benchmark
	public byte[] rawGcmSeal() throws GeneralSecurityException {
		byte[] nonce = new byte[12];
		random.nextBytes(nonce);
		rawCipher.init(Cipher.ENCRYPT_MODE, rawKey, new GCMParameterSpec(128, nonce));
		rawCipher.updateAAD(rawAad);
		return rawCipher.doFinal(rawPlaintext);
	}

	@Benchmark
	public byte[] rawGcmOpen() throws GeneralSecurityException {
		rawCipher.init(Cipher.DECRYPT_MODE, rawKey, new GCMParameterSpec(128, rawNonce));
		rawCipher.updateAAD(rawAad);
		return rawCipher.doFinal(rawSealed);
	}

	/**
	 * The floor the wire format sets: raw AES-GCM of the same plaintext bytes plus what any {@code enc} needs on
	 * top, base64 of nonce and ciphertext as Strings. Not the target's baseline; it shows how much of the gap
	 * between the envelope and raw AES-GCM is the format itself.
	 */
	@Benchmark
	public String[] rawGcmSealPlusBase64() throws GeneralSecurityException {
		byte[] nonce = new byte[12];
		random.nextBytes(nonce);
		rawCipher.init(Cipher.ENCRYPT_MODE, rawKey, new GCMParameterSpec(128, nonce));
		rawCipher.updateAAD(rawAad);
		Base64.Encoder base64 = Base64.getEncoder();
		return new String[] { base64.encodeToString(nonce), base64.encodeToString(rawCipher.doFinal(rawPlaintext)) };
	}

	/** Opening's floor: decode the two base64 Strings, then raw AES-GCM. */
	@Benchmark
	public byte[] rawGcmOpenPlusBase64() throws GeneralSecurityException {
		Base64.Decoder base64 = Base64.getDecoder();
		rawCipher.init(Cipher.DECRYPT_MODE, rawKey, new GCMParameterSpec(128, base64.decode(sealedNonce64)));
		rawCipher.updateAAD(rawAad);
		return rawCipher.doFinal(base64.decode(sealed64));
	}

	/** What skipping the per-thread Cipher would cost: a provider lookup per message. */
	@Benchmark
	public byte[] rawGcmSealNewCipherPerCall() throws GeneralSecurityException {
		byte[] nonce = new byte[12];
		random.nextBytes(nonce);
		Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
		cipher.init(Cipher.ENCRYPT_MODE, rawKey, new GCMParameterSpec(128, nonce));
		cipher.updateAAD(rawAad);
		return cipher.doFinal(rawPlaintext);
	}
}
