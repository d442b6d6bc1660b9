package org.felund.store.sqlite.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import org.felund.api.store.StoreException;
import org.felund.store.sqlite.internal.Sealer.SealedValueException;

/**
 * Finds or creates the 256-bit master key of a node home.
 * <ul>
 * <li>With a passphrase: the key is PBKDF2-HMAC-SHA256(passphrase, salt, ≥ 600,000 iterations).
 * {@code keys/master.kdf} keeps the salt, the iteration count and a check value sealed with the derived key,
 * so a wrong passphrase is recognised before anything is read or written.</li>
 * <li>Without: 32 random bytes in {@code keys/master.key}, readable by the owner only (0600, directory
 * 0700).</li>
 * </ul>
 * Key files are created by writing a temporary file and hard-linking it into place, so two processes creating a
 * home at once agree on one key and a crash never leaves a half-written key. Existing files are never
 * overwritten.
 */
public final class HomeKeys {
	public static final String KEYS_DIR = "keys";
	public static final String KEY_FILE = "master.key";
	public static final String PASSPHRASE_FILE = "master.kdf";
	public static final int MIN_ITERATIONS = 600_000;

	private static final String KEY_FILE_HEADER = "felund-master-key-v1";
	private static final String PASSPHRASE_FORMAT = "felund-passphrase-v1";
	private static final String KDF = "PBKDF2WithHmacSHA256";
	private static final String CHECK_INFO = "felund-store-passphrase-check-v1";
	private static final String CHECK_TEXT = "felund passphrase check";
	private static final SecureRandom RANDOM = new SecureRandom();
	private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
	private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");

	private HomeKeys() {
	}

	/**
	 * @param passphrase the passphrase, or null to use (or create) the key file
	 * @param databaseHasSealedData whether the database already holds values sealed with a master key; then a
	 *            missing key is an error instead of a reason to create one
	 * @return the 32-byte master key (the caller wipes it when done)
	 */
	public static byte[] resolve(Path home, char[] passphrase, boolean databaseHasSealedData) {
		if (passphrase != null && passphrase.length == 0) {
			throw new IllegalArgumentException("The passphrase is empty; pass null to use a key file instead");
		}
		Path dir = home.resolve(KEYS_DIR);
		Path keyFile = dir.resolve(KEY_FILE);
		Path kdfFile = dir.resolve(PASSPHRASE_FILE);
		boolean hasKeyFile = Files.exists(keyFile);
		boolean hasKdfFile = Files.exists(kdfFile);
		if (hasKeyFile && hasKdfFile) {
			throw new StoreException("Both " + keyFile + " and " + kdfFile + " exist; a home has one master key."
					+ " Remove the one that was not used to create this home.");
		}
		if (passphrase == null && hasKdfFile) {
			throw new StoreException("The node home " + home + " is protected by a passphrase: set the environment"
					+ " variable FELUND_PASSPHRASE (or the property felund.passphrase) to open it.");
		}
		if (passphrase != null && hasKeyFile) {
			throw new StoreException("The node home " + home + " keeps its master key in " + keyFile
					+ ", not under a passphrase; unset FELUND_PASSPHRASE (and felund.passphrase) to open it.");
		}
		if (!hasKeyFile && !hasKdfFile && databaseHasSealedData) {
			throw new StoreException("The master key of " + home + " is missing (" + dir + " has neither " + KEY_FILE
					+ " nor " + PASSPHRASE_FILE + ") but the database holds data sealed with it. Restore the "
					+ KEYS_DIR + " directory from a backup; nothing was changed.");
		}
		try {
			ensureOwnerOnlyDirectory(dir);
			return passphrase == null ? keyFromFile(keyFile) : keyFromPassphrase(kdfFile, passphrase);
		} catch (IOException e) {
			throw new StoreException("Cannot read or create the master key in " + dir + ": " + e.getMessage(), e);
		}
	}

	private static byte[] keyFromFile(Path keyFile) throws IOException {
		if (!Files.exists(keyFile)) {
			byte[] key = new byte[32];
			RANDOM.nextBytes(key);
			String text = KEY_FILE_HEADER + "\n" + HexFormat.of().formatHex(key) + "\n";
			if (createOnce(keyFile, text.getBytes(StandardCharsets.US_ASCII))) {
				return key;
			}
			Sealer.wipe(key); // another process created it first: use theirs
		}
		requireOwnerOnly(keyFile);
		List<String> lines = Files.readAllLines(keyFile, StandardCharsets.US_ASCII);
		if (lines.size() < 2 || !KEY_FILE_HEADER.equals(lines.get(0).trim())) {
			throw new StoreException("The key file " + keyFile + " is not a Felund master key (expected a first line '"
					+ KEY_FILE_HEADER + "')");
		}
		String hex = lines.get(1).trim();
		if (hex.length() != 64 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
			throw new StoreException("The key file " + keyFile + " is damaged: its second line must be 64 hex digits");
		}
		return HexFormat.of().parseHex(hex);
	}

	private static byte[] keyFromPassphrase(Path kdfFile, char[] passphrase) throws IOException {
		if (!Files.exists(kdfFile)) {
			byte[] salt = new byte[16];
			RANDOM.nextBytes(salt);
			byte[] key = derive(passphrase, salt, MIN_ITERATIONS);
			byte[] check = new Sealer(Sealer.subkey(key, CHECK_INFO)).sealString(CHECK_TEXT, Sealer.aad(CHECK_INFO));
			String text = "format=" + PASSPHRASE_FORMAT + "\nkdf=" + KDF + "\niterations=" + MIN_ITERATIONS + "\nsalt="
					+ HexFormat.of().formatHex(salt) + "\ncheck=" + HexFormat.of().formatHex(check) + "\n";
			if (createOnce(kdfFile, text.getBytes(StandardCharsets.US_ASCII))) {
				return key;
			}
			Sealer.wipe(key); // another process created it first: derive with their salt
		}
		Map<String, String> fields = readFields(kdfFile);
		if (!PASSPHRASE_FORMAT.equals(fields.get("format")) || !KDF.equals(fields.get("kdf"))) {
			throw new StoreException("The passphrase file " + kdfFile + " is not in format " + PASSPHRASE_FORMAT
					+ " with kdf " + KDF);
		}
		int iterations;
		byte[] salt;
		byte[] check;
		try {
			iterations = Integer.parseInt(required(fields, "iterations"));
			salt = HexFormat.of().parseHex(required(fields, "salt"));
			check = HexFormat.of().parseHex(required(fields, "check"));
		} catch (IllegalArgumentException e) {
			throw new StoreException("The passphrase file " + kdfFile + " is damaged: " + e.getMessage(), e);
		}
		if (iterations < MIN_ITERATIONS || salt.length < 16) {
			throw new StoreException("The passphrase file " + kdfFile + " asks for " + iterations + " iterations and a "
					+ salt.length + "-byte salt; at least " + MIN_ITERATIONS + " and 16 are required");
		}
		byte[] key = derive(passphrase, salt, iterations);
		try {
			new Sealer(Sealer.subkey(key, CHECK_INFO)).open(check, Sealer.aad(CHECK_INFO));
		} catch (SealedValueException e) {
			Sealer.wipe(key);
			throw new StoreException("Wrong passphrase for the node home " + kdfFile.getParent().getParent()
					+ " (it does not open the check value in " + kdfFile + "); nothing was read or changed.");
		}
		return key;
	}

	private static byte[] derive(char[] passphrase, byte[] salt, int iterations) {
		PBEKeySpec spec = new PBEKeySpec(passphrase, salt, iterations, 256);
		try {
			return SecretKeyFactory.getInstance(KDF).generateSecret(spec).getEncoded();
		} catch (GeneralSecurityException e) {
			throw new IllegalStateException(KDF + " is not available in this Java runtime", e);
		} finally {
			spec.clearPassword();
		}
	}

	private static Map<String, String> readFields(Path file) throws IOException {
		Map<String, String> fields = new LinkedHashMap<>();
		for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
			int eq = line.indexOf('=');
			if (eq > 0) {
				fields.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
			}
		}
		return fields;
	}

	private static String required(Map<String, String> fields, String key) {
		String v = fields.get(key);
		if (v == null || v.isEmpty()) {
			throw new IllegalArgumentException("'" + key + "' is missing");
		}
		return v;
	}

	/** Creates {@code target} with {@code content}, owner-only; false (and nothing changed) if it exists. */
	static boolean createOnce(Path target, byte[] content) throws IOException {
		Path dir = target.getParent();
		Path tmp = isPosix(dir) ? Files.createTempFile(dir, ".tmp-", ".part", ownerOnly(OWNER_FILE))
				: Files.createTempFile(dir, ".tmp-", ".part");
		try {
			try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
				ch.write(ByteBuffer.wrap(content));
				ch.force(true);
			}
			try {
				Files.createLink(target, tmp);
			} catch (FileAlreadyExistsException e) {
				return false;
			} catch (UnsupportedOperationException e) {
				// No hard links on this file system: a plain move, which refuses to replace an existing file.
				try {
					Files.move(tmp, target);
				} catch (FileAlreadyExistsException e2) {
					return false;
				}
			}
			syncDirectory(dir);
			return true;
		} finally {
			Files.deleteIfExists(tmp);
		}
	}

	private static void ensureOwnerOnlyDirectory(Path dir) throws IOException {
		if (Files.isDirectory(dir)) {
			return;
		}
		Path parent = dir.toAbsolutePath().getParent();
		if (isPosix(parent)) {
			Files.createDirectories(dir, ownerOnly(OWNER_DIR));
			Files.setPosixFilePermissions(dir, OWNER_DIR); // the umask may have removed bits we never asked for
		} else {
			Files.createDirectories(dir);
		}
	}

	private static void requireOwnerOnly(Path file) throws IOException {
		if (!isPosix(file)) {
			return;
		}
		Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
		for (PosixFilePermission p : perms) {
			if (p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_")) {
				throw new StoreException("The key file " + file + " is accessible to other users ("
						+ PosixFilePermissions.toString(perms) + "); restrict it with chmod 600 and reopen.");
			}
		}
	}

	private static boolean isPosix(Path p) {
		return Files.getFileAttributeView(p, PosixFileAttributeView.class) != null;
	}

	private static FileAttribute<Set<PosixFilePermission>> ownerOnly(Set<PosixFilePermission> perms) {
		return PosixFilePermissions.asFileAttribute(perms);
	}

	/** Makes a new directory entry durable (Linux allows fsync on a directory; elsewhere this is best effort). */
	private static void syncDirectory(Path dir) {
		try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
			ch.force(true);
		} catch (IOException | UnsupportedOperationException e) {
			// Windows cannot open directories this way; its file system journals the entry itself.
		}
	}
}
