package org.felund.store.sqlite.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

import org.felund.api.crypto.CircleSecret;
import org.felund.api.store.SecretStore;
import org.felund.api.store.StoreException;
import org.felund.store.sqlite.internal.Sealer.SealedValueException;

/**
 * Circle secrets sealed with AES-256-GCM under a key of their own (derived from the home's master key), AAD =
 * the circle id, in the {@code secrets} table. The clear secret exists only in memory.
 * <p>
 * Why this and not Equinox secure storage, which the issue allows as well: secure storage protects its
 * master password with a platform module (GNOME keyring, macOS keychain, Windows DPAPI) that a headless node
 * started by systemd, in a container or over SSH usually does not have; without it, it falls back to a
 * generated password in the user's home, which is what this store does, but in a second file with a second
 * format and lifecycle. This store keeps one home self-contained (database plus {@code keys/}), works the same
 * inside and outside OSGi (tests, CLI, several nodes in one JVM, each with its own home), lets the user choose
 * a passphrase ({@code FELUND_PASSPHRASE}) with a documented KDF, and rejects a wrong passphrase before
 * touching anything. Secrets live in the same database file (its WAL, locking and durability), so two
 * processes on one home see the same secrets and backing up a home means copying one directory.
 */
public final class EncryptedSecretStore implements SecretStore {
	private final Database db;
	private final Sealer sealer;

	public EncryptedSecretStore(Database db, Sealer sealer) {
		this.db = db;
		this.sealer = sealer;
	}

	/**
	 * @throws IllegalArgumentException when {@code circleId} is not the id derived from the secret (first 24 hex
	 *             characters of SHA-256 of the secret bytes): storing it under another id would lose it
	 */
	@Override
	public void put(String circleId, CircleSecret secret) {
		Objects.requireNonNull(secret, "secret");
		SqliteCircleStore.requireId(circleId, "circle id");
		String derived = circleIdOf(secret);
		if (!derived.equals(circleId)) {
			throw new IllegalArgumentException("The secret given for circle " + circleId + " belongs to circle "
					+ derived + "; nothing was stored");
		}
		byte[] raw = secret.bytes();
		byte[] sealed;
		try {
			sealed = sealer.seal(raw, aad(circleId));
		} finally {
			Sealer.wipe(raw);
		}
		db.durableTransaction("storing the secret of circle " + circleId, s -> {
			PreparedStatement ps = s.prepare("INSERT INTO secrets(circle_id, secret_sealed) VALUES(?,?)"
					+ " ON CONFLICT(circle_id) DO UPDATE SET secret_sealed=excluded.secret_sealed");
			ps.setString(1, circleId);
			ps.setBytes(2, sealed);
			return ps.executeUpdate();
		});
	}

	@Override
	public Optional<CircleSecret> get(String circleId) {
		byte[] sealed = db.read("reading the secret of circle " + circleId, s -> {
			PreparedStatement ps = s.prepare("SELECT secret_sealed FROM secrets WHERE circle_id=?");
			ps.setString(1, circleId);
			try (ResultSet rs = ps.executeQuery()) {
				return rs.next() ? rs.getBytes(1) : null;
			}
		});
		if (sealed == null) {
			return Optional.empty();
		}
		byte[] raw = null;
		try {
			raw = sealer.open(sealed, aad(circleId));
			return Optional.of(CircleSecret.fromBytes(raw));
		} catch (SealedValueException | IllegalArgumentException e) {
			throw new StoreException("Cannot decrypt the stored secret of circle " + circleId + ": " + e.getMessage()
					+ ". The row was left as it is.", e);
		} finally {
			Sealer.wipe(raw);
		}
	}

	@Override
	public void remove(String circleId) {
		db.durableTransaction("removing the secret of circle " + circleId, s -> {
			PreparedStatement ps = s.prepare("DELETE FROM secrets WHERE circle_id=?");
			ps.setString(1, circleId);
			return ps.executeUpdate();
		});
	}

	private static byte[] aad(String circleId) {
		return circleId.getBytes(StandardCharsets.UTF_8);
	}

	/** The protocol's circle id: the first 24 hex characters of SHA-256 over the raw secret (§1). */
	static String circleIdOf(CircleSecret secret) {
		try {
			byte[] raw = secret.bytes();
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(raw);
			Sealer.wipe(raw);
			return HexFormat.of().formatHex(digest).substring(0, 24);
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
		}
	}
}
