package org.felund.store.sqlite;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.felund.api.crypto.CircleSecret;
import org.felund.api.model.ChatMessage;
import org.felund.api.model.Envelope;
import org.sqlite.SQLiteConfig;

/** Test data: messages encrypted the way the protocol does it (§3.4–3.5), so stored rows look real. */
public final class Fixtures {
	public static final String CIRCLE = "630dcd2966c4336691125448";
	public static final String OTHER_CIRCLE = "0123456789abcdef01234567";
	public static final String AUTHOR = "bbf62e8177bf53f94c4c67fd";
	private static final SecureRandom RANDOM = new SecureRandom();
	private static final byte[] MESSAGE_KEY = messageKey(new byte[32]);

	private Fixtures() {
	}

	/** A schema-2 message as the store keeps it: header and envelope, no plaintext. */
	public static ChatMessage message(String circleId, String channelId, String msgId, long createdTs) {
		return message(circleId, channelId, msgId, createdTs, "alice", "hello " + msgId);
	}

	public static ChatMessage message(String circleId, String channelId, String msgId, long createdTs,
			String displayName, String text) {
		String aad = msgId + "|" + circleId + "|" + channelId + "|" + AUTHOR + "|" + createdTs;
		String body = "{\"display_name\":\"" + displayName + "\",\"text\":\"" + text + "\"}";
		byte[] nonce = new byte[12];
		RANDOM.nextBytes(nonce);
		try {
			Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
			c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(MESSAGE_KEY, "AES"), new GCMParameterSpec(128, nonce));
			c.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
			byte[] ct = c.doFinal(body.getBytes(StandardCharsets.UTF_8));
			Envelope enc = Envelope.of(Base64.getEncoder().encodeToString(nonce), Base64.getEncoder().encodeToString(ct));
			return new ChatMessage(msgId, circleId, channelId, AUTHOR, createdTs, "", "", "", 2, enc);
		} catch (GeneralSecurityException e) {
			throw new IllegalStateException(e);
		}
	}

	/** A 32-hex msg_id that sorts by {@code n}. */
	public static String id(long n) {
		return String.format("%032x", n);
	}

	/** K_msg = HKDF-SHA256(IKM = secret, no salt, info "felund-msg-v1"). */
	private static byte[] messageKey(byte[] secret) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
			byte[] prk = mac.doFinal(secret);
			mac.init(new SecretKeySpec(prk, "HmacSHA256"));
			mac.update("felund-msg-v1".getBytes(StandardCharsets.US_ASCII));
			mac.update((byte) 1);
			return mac.doFinal();
		} catch (GeneralSecurityException e) {
			throw new IllegalStateException(e);
		}
	}

	public static CircleSecret randomSecret() {
		byte[] b = new byte[32];
		RANDOM.nextBytes(b);
		return CircleSecret.fromBytes(b);
	}

	/** The protocol's circle id of a secret: first 24 hex characters of SHA-256 over the raw bytes. */
	public static String circleIdOf(CircleSecret secret) {
		try {
			return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(secret.bytes()))
					.substring(0, 24);
		} catch (GeneralSecurityException e) {
			throw new IllegalStateException(e);
		}
	}

	/** A plain JDBC connection to a home's database, the way another tool (or a damaged writer) would use it. */
	public static Connection rawConnection(Path home) throws SQLException {
		SQLiteConfig config = new SQLiteConfig();
		config.setBusyTimeout(10_000);
		return config.createConnection("jdbc:sqlite:" + home.resolve(SqliteNodeStore.DATABASE_FILE));
	}

	/** Key-file homes open fast; tests that need a passphrase pass one explicitly. */
	public static SqliteNodeStore open(Path home) {
		return SqliteNodeStore.open(home, null);
	}
}
