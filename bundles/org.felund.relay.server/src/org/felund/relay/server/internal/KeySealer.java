package org.felund.relay.server.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals circle signing keys before they go into the database, so that a copy of the database alone (a backup, a
 * {@code pg_dump}, a database host that is not the relay host) does not hand out keys that let its reader act as
 * a member of every circle at this and other relays. The sealing key is 32 random bytes in a file of its own
 * (mode 600), created on first start.
 *
 * <p>Format: {@code s1:} + base64url(12-byte nonce ‖ AES-256-GCM ciphertext and tag) of the 64-hex key, with the
 * circle hint as additional data (a sealed key cannot be moved to another circle). A 64-hex value is a key stored
 * before sealing existed; it is read as it is and sealed at the next start.
 *
 * <p>The database remembers a check value of the sealing key ({@link #checkValue()}), so a relay started with
 * another key file refuses to run instead of failing every signed request.
 */
final class KeySealer {
	static final String PREFIX = "s1:";
	private static final int NONCE_BYTES = 12;
	private static final SecureRandom RANDOM = new SecureRandom();

	private final SecretKeySpec key;
	private final String checkValue;

	private KeySealer(byte[] raw) {
		this.key = new SecretKeySpec(raw, "AES");
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(raw, "HmacSHA256"));
			this.checkValue = HexFormat.of()
					.formatHex(mac.doFinal("felund-relay key check v1".getBytes(StandardCharsets.US_ASCII)));
		} catch (GeneralSecurityException e) {
			throw new IllegalStateException("HmacSHA256 is not available", e);
		}
	}

	/** A sealer with the given raw key (tests). */
	static KeySealer of(byte[] raw) {
		if (raw.length != 32) {
			throw new IllegalArgumentException("a sealing key has 32 bytes");
		}
		return new KeySealer(raw.clone());
	}

	/**
	 * Reads the key file, or creates it (mode 600, with its directory mode 700) when it does not exist.
	 *
	 * @param mayCreate {@code false} when a database already holds keys sealed with another file: then a missing
	 *                  file is an error, not a reason to make a new key
	 * @throws IOException when the file cannot be read or written, or does not hold 64 hex characters
	 */
	static KeySealer load(Path file, boolean mayCreate) throws IOException {
		if (!Files.exists(file)) {
			if (!mayCreate) {
				throw new IOException("key file " + file + " does not exist, but the database holds keys sealed with a"
						+ " key file: copy the relay.key of an instance that uses this database to " + file);
			}
			byte[] raw = new byte[32];
			RANDOM.nextBytes(raw);
			Path parent = file.toAbsolutePath().getParent();
			if (parent != null) {
				FilePermissions.createPrivateDirectories(parent);
			}
			try {
				FilePermissions.writePrivate(file, (HexFormat.of().formatHex(raw) + "\n").getBytes(StandardCharsets.US_ASCII),
						StandardOpenOption.CREATE_NEW);
			} catch (FileAlreadyExistsException raced) {
				return load(file, false);
			}
			return new KeySealer(raw);
		}
		FilePermissions.restrictToOwner(file);
		String text = Files.readString(file, StandardCharsets.US_ASCII).trim().toLowerCase(Locale.ROOT);
		if (!text.matches("[0-9a-f]{64}")) {
			throw new IOException("key file " + file + " must hold 64 hex characters (32 random bytes)");
		}
		return new KeySealer(HexFormat.of().parseHex(text));
	}

	/** Identifies the sealing key without revealing it (stored in the database). */
	String checkValue() {
		return checkValue;
	}

	/** Whether a stored value is sealed (rather than a key stored before sealing existed). */
	static boolean isSealed(String stored) {
		return stored.startsWith(PREFIX);
	}

	String seal(String circleHint, String signingKeyHex) {
		try {
			byte[] nonce = new byte[NONCE_BYTES];
			RANDOM.nextBytes(nonce);
			Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
			c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
			c.updateAAD(aad(circleHint));
			byte[] ct = c.doFinal(signingKeyHex.getBytes(StandardCharsets.US_ASCII));
			byte[] out = new byte[NONCE_BYTES + ct.length];
			System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
			System.arraycopy(ct, 0, out, NONCE_BYTES, ct.length);
			return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
		} catch (GeneralSecurityException e) {
			throw new IllegalStateException("AES-GCM is not available", e);
		}
	}

	/**
	 * The 64-hex key of a stored value.
	 *
	 * @throws IllegalStateException when the value was sealed with another key or for another circle, or is damaged
	 */
	String unseal(String circleHint, String stored) {
		if (!isSealed(stored)) {
			return stored;
		}
		try {
			byte[] in = Base64.getUrlDecoder().decode(stored.substring(PREFIX.length()));
			if (in.length <= NONCE_BYTES + 16) {
				throw new IllegalStateException("sealed signing key of circle is too short");
			}
			Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
			c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, in, 0, NONCE_BYTES));
			c.updateAAD(aad(circleHint));
			return new String(c.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.US_ASCII);
		} catch (GeneralSecurityException | IllegalArgumentException e) {
			throw new IllegalStateException("a stored signing key cannot be unsealed with this relay's key file", e);
		}
	}

	private static byte[] aad(String circleHint) {
		return ("felund-relay circle key|" + circleHint).getBytes(StandardCharsets.UTF_8);
	}
}
