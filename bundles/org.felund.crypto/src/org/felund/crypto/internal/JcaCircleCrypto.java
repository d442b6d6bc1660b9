package org.felund.crypto.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

import javax.crypto.AEADBadTagException;
import javax.crypto.spec.SecretKeySpec;

import org.felund.api.crypto.CircleCrypto;
import org.felund.api.crypto.CircleSecret;
import org.felund.api.crypto.CryptoException;
import org.felund.api.crypto.DecryptedBody;
import org.felund.api.model.ChatMessage;
import org.felund.api.model.Envelope;
import org.felund.api.model.MessageHeader;

/**
 * All operations keyed by one circle secret {@code S} (protocol §3). {@code K_msg}, {@code K_api}, the circle id
 * and hint are derived once in the constructor. Thread-safe.
 */
public final class JcaCircleCrypto implements CircleCrypto {
	static final String MESSAGE_KEY_INFO = "felund-msg-v1";
	static final String SESSION_KEY_INFO = "felund-session-v1";
	private static final byte[] API_KEY_LABEL = "api-v1".getBytes(StandardCharsets.US_ASCII);
	private static final String[] AAD_FIELDS = { "msg_id", "circle_id", "channel_id", "author_node_id" };
	private static final String[] MAC_FIELDS = { "msg_id", "circle_id", "channel_id", "author_node_id",
			"display_name", "text" };
	private static final String[] TOKEN_FIELDS = { "node_id", "circle_id", "server_nonce" };
	private static final String[] KEY_HASH_FIELDS = { "circle_id", "channel_id", "channel key" };

	private final byte[] secret;
	private final SecureRandom random;
	private final String circleId;
	private final String circleHint;
	private final KeyedHmac secretHmac;
	private final SecretKeySpec messageKey;
	private final String apiSigningKeyHex;
	private final KeyedHmac apiHmac;

	public JcaCircleCrypto(CircleSecret secret, SecureRandom random) {
		this.secret = secret.bytes();
		this.random = Objects.requireNonNull(random, "random");
		this.circleId = circleIdOf(this.secret);
		this.circleHint = circleHintOf(circleId);
		this.secretHmac = new KeyedHmac(this.secret);
		this.messageKey = new SecretKeySpec(messageKey(this.secret), Primitives.AES);
		byte[] apiKey = secretHmac.mac(API_KEY_LABEL);
		this.apiSigningKeyHex = Hex.encode(apiKey);
		this.apiHmac = new KeyedHmac(apiKey);
	}

	/** First 24 hex of SHA-256 over the raw secret bytes (not over its hex text). */
	public static String circleIdOf(byte[] secret) {
		return Primitives.sha256Hex(secret).substring(0, 24);
	}

	/** First 16 hex of SHA-256 over the circle id text. */
	public static String circleHintOf(String circleId) {
		return Primitives.sha256Hex(StrictUtf8.encode(circleId, "circle_id")).substring(0, 16);
	}

	/** {@code K_msg} = HKDF-SHA256(IKM = S, no salt, info = "felund-msg-v1", L = 32). */
	public static byte[] messageKey(byte[] secret) {
		return Primitives.hkdfSha256(secret, null, MESSAGE_KEY_INFO, 32);
	}

	/** {@code K_sess} = HKDF-SHA256(IKM = S, salt = client nonce ‖ server nonce, info = "felund-session-v1"). */
	public static byte[] sessionKey(byte[] secret, byte[] clientNonce, byte[] serverNonce) {
		byte[] salt = new byte[clientNonce.length + serverNonce.length];
		System.arraycopy(clientNonce, 0, salt, 0, clientNonce.length);
		System.arraycopy(serverNonce, 0, salt, clientNonce.length, serverNonce.length);
		return Primitives.hkdfSha256(secret, salt, SESSION_KEY_INFO, 32);
	}

	/** The envelope AAD {@code msg_id|circle_id|channel_id|author_node_id|created_ts}. */
	public static byte[] aad(MessageHeader header) {
		String msgId = requireField(header.msgId(), "msg_id");
		String circleId = requireField(header.circleId(), "circle_id");
		String channelId = requireField(header.channelId(), "channel_id");
		String author = requireField(header.authorNodeId(), "author_node_id");
		return StrictUtf8.encodeJoined(msgId + '|' + circleId + '|' + channelId + '|' + author + '|'
				+ header.createdTs(), AAD_FIELDS, msgId, circleId, channelId, author);
	}

	/**
	 * The bytes a relay request signature covers (protocol §3.8):
	 * {@code UPPER(method) + path + hex(SHA-256(body)) + ts + nonce}.
	 */
	public static byte[] apiCanonical(String method, String path, byte[] body, long ts, String nonce) {
		Objects.requireNonNull(method, "method");
		Objects.requireNonNull(path, "path");
		Objects.requireNonNull(nonce, "nonce");
		String bodyHash = Primitives.sha256Hex(body == null ? new byte[0] : body);
		return StrictUtf8.encode(asciiUpperCase(method) + path + bodyHash + ts + nonce, "signed request");
	}

	@Override
	public String circleId() {
		return circleId;
	}

	@Override
	public String circleHint() {
		return circleHint;
	}

	@Override
	public Envelope seal(MessageHeader header, String displayName, String text) {
		byte[] nonce = new byte[Primitives.GCM_NONCE_BYTES];
		random.nextBytes(nonce);
		return seal(header, displayName, text, nonce);
	}

	@Override
	public Envelope seal(MessageHeader header, String displayName, String text, byte[] nonce) {
		Objects.requireNonNull(header, "header");
		Objects.requireNonNull(displayName, "displayName");
		Objects.requireNonNull(text, "text");
		if (nonce.length != Primitives.GCM_NONCE_BYTES) {
			throw new IllegalArgumentException("An envelope nonce is 12 bytes, got " + nonce.length);
		}
		byte[] aad = aad(header);
		EnvelopeWorkspace ws = EnvelopeWorkspace.current();
		int plaintextLength = 0;
		try {
			plaintextLength = EnvelopePlaintext.encodeInto(ws, displayName, text);
			byte[] sealed = Primitives.gcmEncrypt(ws.gcm, messageKey, nonce, aad, ws.plaintext(plaintextLength),
					plaintextLength);
			// encodeToString would copy through an intermediate array; the reused buffer leaves one copy, into the
			// String
			byte[] text64 = ws.base64(4 * ((sealed.length + 2) / 3));
			int length64 = Base64.getEncoder().encode(sealed, text64);
			return Envelope.of(NonceBase64.encode(nonce), new String(text64, 0, length64, StandardCharsets.ISO_8859_1));
		} finally {
			// after a refused string the buffer may hold part of the other one: wipe all of it
			ws.release(plaintextLength == 0 ? Integer.MAX_VALUE : plaintextLength);
		}
	}

	@Override
	public DecryptedBody open(MessageHeader header, Envelope envelope) throws CryptoException {
		Objects.requireNonNull(header, "header");
		Objects.requireNonNull(envelope, "envelope");
		byte[] nonce;
		try {
			nonce = NonceBase64.decode(envelope.nonce());
		} catch (IllegalArgumentException e) {
			throw new CryptoException("enc.nonce is not valid base64: " + e.getMessage(), e);
		}
		if (nonce.length != Primitives.GCM_NONCE_BYTES) {
			throw new CryptoException("enc.nonce must be 12 bytes, got " + nonce.length);
		}
		EnvelopeWorkspace ws = EnvelopeWorkspace.current();
		byte[] sealed = decodeBase64(envelope.ciphertext(), "enc.ciphertext");
		if (sealed.length < Primitives.GCM_TAG_BYTES) {
			throw new CryptoException("enc.ciphertext is " + sealed.length
					+ " bytes, shorter than the 16-byte GCM tag (truncated)");
		}
		byte[] aad;
		try {
			aad = aad(header);
		} catch (IllegalArgumentException e) {
			throw new CryptoException("Message header cannot be authenticated: " + e.getMessage(), e);
		}
		int plaintextLength = sealed.length - Primitives.GCM_TAG_BYTES;
		byte[] plaintext = ws.plaintext(plaintextLength);
		try {
			Primitives.gcmDecryptInto(ws.gcm, messageKey, nonce, aad, sealed, plaintext);
			return EnvelopePlaintext.decode(plaintext, plaintextLength, ws);
		} catch (AEADBadTagException e) {
			throw new CryptoException("enc failed authentication: another circle's key, or the ciphertext, nonce"
					+ " or message header was altered", e);
		} catch (GeneralSecurityException e) {
			throw new CryptoException("enc could not be decrypted: " + e.getMessage(), e);
		} finally {
			ws.release(plaintextLength);
		}
	}

	@Override
	public String legacyMac(ChatMessage m) {
		String joined = m.msgId() + '|' + m.circleId() + '|' + m.channelId() + '|' + m.authorNodeId() + '|'
				+ m.displayName() + '|' + m.createdTs() + '|' + m.text();
		return secretHmac.macHex(StrictUtf8.encodeJoined(joined, MAC_FIELDS, m.msgId(), m.circleId(),
				m.channelId(), m.authorNodeId(), m.displayName(), m.text()));
	}

	@Override
	public boolean verifyLegacyMac(ChatMessage message) {
		if (message.mac().isEmpty()) {
			return false;
		}
		String expected;
		try {
			expected = legacyMac(message);
		} catch (IllegalArgumentException unencodable) {
			return false; // no sender could have MACed these fields
		}
		return Primitives.hexEquals(expected, message.mac());
	}

	@Override
	public String gossipToken(String nodeId, String circleId, String serverNonce) {
		String joined = requireField(nodeId, "node_id") + '|' + requireField(circleId, "circle_id") + '|'
				+ requireField(serverNonce, "server_nonce");
		return secretHmac.macHex(StrictUtf8.encodeJoined(joined, TOKEN_FIELDS, nodeId, circleId, serverNonce));
	}

	@Override
	public boolean verifyGossipToken(String nodeId, String circleId, String serverNonce, String token) {
		try {
			return Primitives.hexEquals(gossipToken(nodeId, circleId, serverNonce), token);
		} catch (IllegalArgumentException unencodable) {
			return false;
		}
	}

	@Override
	public GcmSessionCipher session(String clientNonceHex, String serverNonceHex) throws CryptoException {
		byte[] clientNonce;
		byte[] serverNonce;
		try {
			clientNonce = Hex.decode(clientNonceHex, "Client nonce (HELLO.nonce)");
			serverNonce = Hex.decode(serverNonceHex, "Server nonce (CHALLENGE.nonce)");
		} catch (IllegalArgumentException e) {
			throw new CryptoException(e.getMessage(), e);
		}
		return new GcmSessionCipher(sessionKey(secret, clientNonce, serverNonce), random);
	}

	@Override
	public String apiSigningKeyHex() {
		return apiSigningKeyHex;
	}

	@Override
	public String signApiRequest(String method, String path, byte[] body, long ts, String nonce) {
		return apiHmac.macHex(apiCanonical(method, path, body, ts, nonce));
	}

	@Override
	public String dataChannelAuth(String myNonce, String peerNonce) {
		String joined = "dc-auth:" + requireField(myNonce, "my nonce") + ':' + requireField(peerNonce, "peer nonce");
		return secretHmac.macHex(StrictUtf8.encode(joined, "DataChannel nonces"));
	}

	@Override
	public boolean verifyDataChannelAuth(String myNonce, String peerNonce, String peerAuth) {
		try {
			// the peer computed it from its own point of view: its nonce first
			return Primitives.hexEquals(dataChannelAuth(peerNonce, myNonce), peerAuth);
		} catch (IllegalArgumentException unencodable) {
			return false;
		}
	}

	@Override
	public String channelKeyHash(String channelId, String channelKey) {
		String joined = circleId + '|' + requireField(channelId, "channel_id") + '|'
				+ requireField(channelKey, "channel key");
		return Primitives.sha256Hex(StrictUtf8.encodeJoined(joined, KEY_HASH_FIELDS, circleId, channelId,
				channelKey));
	}

	@Override
	public String toString() {
		return "CircleCrypto[circle " + circleId + "]";
	}

	private static String requireField(String value, String field) {
		return Objects.requireNonNull(value, field);
	}

	private static byte[] decodeBase64(String text, String field) throws CryptoException {
		try {
			return Base64.getDecoder().decode(text);
		} catch (IllegalArgumentException e) {
			throw new CryptoException(field + " is not valid base64: " + e.getMessage(), e);
		}
	}

	private static String asciiUpperCase(String s) {
		StringBuilder out = null;
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			if (c >= 'a' && c <= 'z') {
				if (out == null) {
					out = new StringBuilder(s);
				}
				out.setCharAt(i, (char) (c - 32));
			}
		}
		return out == null ? s : out.toString();
	}
}
