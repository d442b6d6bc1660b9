package org.felund.store.sqlite;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

import org.felund.api.store.CircleStore;
import org.felund.api.store.MessageStore;
import org.felund.api.store.SecretStore;
import org.felund.api.store.StoreException;
import org.felund.store.sqlite.internal.Database;
import org.felund.store.sqlite.internal.EncryptedSecretStore;
import org.felund.store.sqlite.internal.HomeKeys;
import org.felund.store.sqlite.internal.HomePermissions;
import org.felund.store.sqlite.internal.Migrations;
import org.felund.store.sqlite.internal.Schema;
import org.felund.store.sqlite.internal.Sealer;
import org.felund.store.sqlite.internal.SqliteCircleStore;
import org.felund.store.sqlite.internal.SqliteMessageStore;

/**
 * The persistent state of one node home: {@code <home>/felund.db} (SQLite, WAL) plus {@code <home>/keys/}
 * (the master key file, or the passphrase's salt and check value). Usable without OSGi; several instances, in
 * one JVM or in several processes, may open the same home at once.
 * <p>
 * At rest: messages only as their encrypted envelope; display names, circle names and settings sealed with a
 * storage key; circle secrets sealed with a secrets key; both keys derived from the 256-bit master key (see
 * {@link #open(Path, char[], StoreOptions)}).
 * <p>
 * Durability: every acknowledged write survives a crash or {@code kill -9} of the process (WAL: a commit is in
 * the operating system's cache when it returns; {@code KillNineTest} kills a writer mid-stream to prove it).
 * By default ({@link StoreOptions.Durability#PROCESS_CRASH}, {@code synchronous=NORMAL}) message traffic is
 * not flushed to the device on every commit: after a power loss or kernel crash the last messages may be
 * missing (never corrupted), and peers send them again at the next sync. What no peer can give back (circle
 * secrets, circles, settings) is always written with {@code synchronous=FULL}. A node that wants the per-commit
 * flush for messages too chooses {@link StoreOptions.Durability#POWER_LOSS} (one fsync per transaction; measured
 * in docs/benchmarks.md).
 */
public final class SqliteNodeStore implements AutoCloseable {
	public static final String DATABASE_FILE = "felund.db";
	private static final String KEY_ID = "master_key_id";

	private final Path home;
	private final Database db;
	private final SqliteMessageStore messages;
	private final SqliteCircleStore state;
	private final EncryptedSecretStore secrets;

	private SqliteNodeStore(Path home, Database db, Sealer fields, Sealer secretsSealer) {
		this.home = home;
		this.db = db;
		this.messages = new SqliteMessageStore(db);
		this.state = new SqliteCircleStore(db, fields);
		this.secrets = new EncryptedSecretStore(db, secretsSealer);
	}

	/** Opens (creating if needed) the home with {@link StoreOptions#DEFAULT}. */
	public static SqliteNodeStore open(Path home, char[] passphraseOrNull) {
		return open(home, passphraseOrNull, StoreOptions.DEFAULT);
	}

	/**
	 * Opens (creating if needed) a node home and brings its schema up to date.
	 * <p>
	 * The master key comes from the passphrase when one is given (PBKDF2-HMAC-SHA256, ≥ 600,000 iterations,
	 * random salt in {@code keys/master.kdf}), otherwise from {@code keys/master.key} (32 random bytes, created
	 * with mode 0600 in a 0700 directory). The passphrase array is not kept; the caller may wipe it after this
	 * returns.
	 *
	 * @throws StoreException with a message fit for the user when the passphrase is wrong, the key is missing or
	 *             does not match the database, or the database was written by a newer Felund; nothing is changed
	 *             then
	 */
	public static SqliteNodeStore open(Path home, char[] passphraseOrNull, StoreOptions options) {
		Objects.requireNonNull(home, "home");
		Objects.requireNonNull(options, "options");
		Path dir = home.toAbsolutePath().normalize();
		HomePermissions.privateHome(dir);
		HomePermissions.privateDatabase(dir.resolve(DATABASE_FILE));
		HomePermissions.privateConfig(dir);
		Database db = Database.open(dir.resolve(DATABASE_FILE), options);
		try {
			HomePermissions.restrictDatabaseFiles(dir.resolve(DATABASE_FILE)); // a WAL left 0644 by an older version
		} catch (IOException e) {
			db.close();
			throw new StoreException("Cannot restrict the database files in " + dir + " to their owner: " + e, e);
		}
		byte[] master = null;
		try {
			// Key checks come before the migration, so a wrong passphrase or key leaves the file as it was.
			Migrations migrations = Schema.migrations();
			int version = migrations.requireSupported(db);
			String recordedKeyId = version >= 1 ? meta(db, KEY_ID) : null;
			master = HomeKeys.resolve(dir, passphraseOrNull, recordedKeyId != null);
			if (recordedKeyId != null) {
				checkKeyId(db, dir, master, recordedKeyId);
			}
			migrations.migrate(db);
			if (recordedKeyId == null) {
				checkKeyId(db, dir, master, null);
			}
			byte[] fieldsKey = Sealer.subkey(master, "felund-store-fields-v1");
			byte[] secretsKey = Sealer.subkey(master, "felund-store-secrets-v1");
			try {
				return new SqliteNodeStore(dir, db, new Sealer(fieldsKey), new Sealer(secretsKey));
			} finally {
				Sealer.wipe(fieldsKey);
				Sealer.wipe(secretsKey);
			}
		} catch (RuntimeException e) {
			db.close();
			throw e;
		} finally {
			Sealer.wipe(master);
		}
	}

	/**
	 * The database remembers a fingerprint of the master key it was sealed with, so a replaced key file is
	 * reported at open instead of as undecryptable rows later.
	 */
	private static void checkKeyId(Database db, Path dir, byte[] master, String recordedKeyId) {
		byte[] idBytes = Sealer.subkey(master, "felund-store-key-id-v1");
		String keyId = HexFormat.of().formatHex(idBytes, 0, 16);
		String recorded = recordedKeyId;
		if (recorded == null) {
			recorded = db.durableTransaction("recording the master key fingerprint", s -> {
				PreparedStatement ps = s.prepare("INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO NOTHING");
				ps.setString(1, KEY_ID);
				ps.setString(2, keyId);
				ps.executeUpdate();
				return metaIn(s, KEY_ID); // another process may have recorded its key first
			});
		}
		if (!MessageDigest.isEqual(keyId.getBytes(), recorded.getBytes())) {
			throw new StoreException("The master key in " + dir.resolve(HomeKeys.KEYS_DIR) + " is not the key the"
					+ " database " + dir.resolve(DATABASE_FILE) + " was sealed with (was the key file replaced?)."
					+ " Restore the original keys directory; nothing was changed.");
		}
	}

	private static String meta(Database db, String key) {
		return db.read("reading " + key, s -> metaIn(s, key));
	}

	private static String metaIn(Database.Session s, String key) throws java.sql.SQLException {
		PreparedStatement ps = s.prepare("SELECT value FROM meta WHERE key=?");
		ps.setString(1, key);
		try (ResultSet rs = ps.executeQuery()) {
			return rs.next() ? rs.getString(1) : null;
		}
	}

	public MessageStore messages() {
		return messages;
	}

	public CircleStore state() {
		return state;
	}

	public SecretStore secrets() {
		return secrets;
	}

	public Path home() {
		return home;
	}

	public Path databaseFile() {
		return db.file();
	}

	/** The schema version of the open database (SQLite {@code user_version}). */
	public int schemaVersion() {
		return db.read("reading the schema version", s -> (int) s.queryLong("PRAGMA user_version"));
	}

	/** SQLite's {@code PRAGMA integrity_check}: {@code ["ok"]} for a sound file, otherwise the problems found. */
	public List<String> integrityCheck() {
		return db.read("checking the database", s -> s.queryStrings("PRAGMA integrity_check"));
	}

	@Override
	public void close() {
		db.close();
	}

	@Override
	public String toString() {
		return "SqliteNodeStore[" + home + "]";
	}
}
