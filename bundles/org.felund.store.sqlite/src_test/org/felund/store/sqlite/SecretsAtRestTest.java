package org.felund.store.sqlite;

import static org.felund.store.sqlite.Fixtures.circleIdOf;
import static org.felund.store.sqlite.Fixtures.randomSecret;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.felund.api.crypto.CircleSecret;
import org.felund.api.model.AccessMode;
import org.felund.api.model.Channel;
import org.felund.api.model.Circle;
import org.felund.api.store.StoreException;
import org.felund.store.sqlite.internal.HomeKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsAtRestTest {
	private static final String NAME = "Zoë Quartermain";
	private static final String CIRCLE_NAME = "Secret Garden Club";
	private static final String KEY_HASH = "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8";

	@TempDir
	Path home;

	@Test
	void secretsRoundTripAcrossReopen() {
		CircleSecret secret = randomSecret();
		String circleId = circleIdOf(secret);
		try (SqliteNodeStore store = Fixtures.open(home)) {
			store.secrets().put(circleId, secret);
			assertEquals(secret, store.secrets().get(circleId).orElseThrow());
		}
		try (SqliteNodeStore store = Fixtures.open(home)) {
			assertEquals(secret, store.secrets().get(circleId).orElseThrow());
			store.secrets().remove(circleId);
			assertEquals(Optional.empty(), store.secrets().get(circleId));
		}
	}

	@Test
	void aSecretIsOnlyStoredUnderItsOwnCircleId() {
		CircleSecret secret = randomSecret();
		try (SqliteNodeStore store = Fixtures.open(home)) {
			var e = assertThrows(IllegalArgumentException.class,
					() -> store.secrets().put(Fixtures.OTHER_CIRCLE, secret));
			assertTrue(e.getMessage().contains(circleIdOf(secret)), e.getMessage());
			assertEquals(Optional.empty(), store.secrets().get(Fixtures.OTHER_CIRCLE));
		}
	}

	@Test
	void noSecretOrNameCanBeFoundInAnyFileOfTheHome() throws IOException {
		CircleSecret secret = randomSecret();
		String circleId = circleIdOf(secret);
		try (SqliteNodeStore store = Fixtures.open(home)) {
			store.secrets().put(circleId, secret);
			store.state().putCircle(new Circle(circleId, "abcd", CIRCLE_NAME, 1, "127.0.0.1:9999"));
			store.state().setDisplayName(circleId, Fixtures.AUTHOR, NAME);
			store.state().putSetting("display_name", NAME);
			store.state().putChannel(new Channel(circleId, "vault", AccessMode.KEY, Fixtures.AUTHOR, 1, KEY_HASH,
					Set.of(Fixtures.AUTHOR), Set.of()));
			store.messages().put(Fixtures.message(circleId, "general", Fixtures.id(1), 1, NAME, "the plan"));
			assertForbiddenBytesAbsent(secret); // while open: database, WAL and shared memory
			assertEquals(NAME, store.state().displayName(circleId, Fixtures.AUTHOR).orElseThrow());
			assertEquals(CIRCLE_NAME, store.state().circle(circleId).orElseThrow().name());
			assertEquals(KEY_HASH, store.state().channel(circleId, "vault").orElseThrow().keyHash());
		}
		assertForbiddenBytesAbsent(secret); // after the checkpoint on close
	}

	private void assertForbiddenBytesAbsent(CircleSecret secret) throws IOException {
		Map<String, byte[]> forbidden = new TreeMap<>();
		forbidden.put("secret hex", secret.hex().getBytes(StandardCharsets.US_ASCII));
		forbidden.put("secret hex upper case", secret.hex().toUpperCase().getBytes(StandardCharsets.US_ASCII));
		forbidden.put("raw secret", secret.bytes());
		forbidden.put("display name UTF-8", NAME.getBytes(StandardCharsets.UTF_8));
		forbidden.put("display name first word", "Quartermain".getBytes(StandardCharsets.UTF_8));
		forbidden.put("display name UTF-16", NAME.getBytes(StandardCharsets.UTF_16LE));
		forbidden.put("circle name", CIRCLE_NAME.getBytes(StandardCharsets.UTF_8));
		forbidden.put("channel key hash", KEY_HASH.getBytes(StandardCharsets.US_ASCII));
		forbidden.put("message text", "the plan".getBytes(StandardCharsets.UTF_8));
		int files = 0;
		try (Stream<Path> all = Files.walk(home)) {
			for (Path f : all.filter(Files::isRegularFile).toList()) {
				files++;
				byte[] content = Files.readAllBytes(f);
				forbidden.forEach((what, needle) -> assertFalse(contains(content, needle), what + " found in " + f));
			}
		}
		assertTrue(files >= 2, "the database and the key file were searched");
	}

	@Test
	void theKeyFileIsOwnerOnlyAndKeepsItsKey() throws IOException {
		try (SqliteNodeStore store = Fixtures.open(home)) {
			store.state().putSetting("k", "v");
		}
		Path dir = home.resolve(HomeKeys.KEYS_DIR);
		Path keyFile = dir.resolve(HomeKeys.KEY_FILE);
		assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
		assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
		byte[] key = Files.readAllBytes(keyFile);
		try (SqliteNodeStore store = Fixtures.open(home)) {
			assertEquals("v", store.state().setting("k").orElseThrow());
		}
		assertArrayEquals(key, Files.readAllBytes(keyFile), "reopening never rewrites the key");
	}

	@Test
	void aKeyFileReadableByOthersIsRefused() throws IOException {
		Fixtures.open(home).close();
		Path keyFile = home.resolve(HomeKeys.KEYS_DIR).resolve(HomeKeys.KEY_FILE);
		Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));
		var e = assertThrows(StoreException.class, () -> Fixtures.open(home));
		assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
	}

	@Test
	void aLostKeyFileIsReportedAndNotReplaced() throws IOException {
		try (SqliteNodeStore store = Fixtures.open(home)) {
			store.state().putSetting("k", "v");
		}
		Path keyFile = home.resolve(HomeKeys.KEYS_DIR).resolve(HomeKeys.KEY_FILE);
		Files.delete(keyFile);
		var e = assertThrows(StoreException.class, () -> Fixtures.open(home));
		assertTrue(e.getMessage().contains("missing"), e.getMessage());
		assertFalse(Files.exists(keyFile), "no new key was made for a database sealed with the old one");
	}

	@Test
	void aReplacedKeyFileIsReportedAtOpen() throws IOException {
		Fixtures.open(home).close();
		Path keyFile = home.resolve(HomeKeys.KEYS_DIR).resolve(HomeKeys.KEY_FILE);
		Path other = Files.createTempDirectory(home.getParent(), "other-home");
		Fixtures.open(other).close();
		Files.copy(other.resolve(HomeKeys.KEYS_DIR).resolve(HomeKeys.KEY_FILE), keyFile,
				java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		var e = assertThrows(StoreException.class, () -> Fixtures.open(home));
		assertTrue(e.getMessage().contains("not the key"), e.getMessage());
	}

	@Test
	void aPassphraseProtectsTheHomeAndAWrongOneChangesNothing() throws IOException {
		CircleSecret secret = randomSecret();
		String circleId = circleIdOf(secret);
		try (SqliteNodeStore store = SqliteNodeStore.open(home, "correct horse".toCharArray())) {
			store.secrets().put(circleId, secret);
		}
		Path kdf = home.resolve(HomeKeys.KEYS_DIR).resolve(HomeKeys.PASSPHRASE_FILE);
		assertFalse(Files.exists(home.resolve(HomeKeys.KEYS_DIR).resolve(HomeKeys.KEY_FILE)), "no key file with a passphrase");
		String kdfText = Files.readString(kdf);
		assertTrue(kdfText.contains("kdf=PBKDF2WithHmacSHA256") && kdfText.contains("iterations=600000"), kdfText);
		Map<Path, byte[]> before = snapshot();

		var wrong = assertThrows(StoreException.class,
				() -> SqliteNodeStore.open(home, "wrong horse".toCharArray()));
		assertTrue(wrong.getMessage().startsWith("Wrong passphrase"), wrong.getMessage());
		var none = assertThrows(StoreException.class, () -> SqliteNodeStore.open(home, null));
		assertTrue(none.getMessage().contains("FELUND_PASSPHRASE"), none.getMessage());
		assertEquals(before.keySet(), snapshot().keySet());
		before.forEach((f, bytes) -> assertArrayEquals(bytes, snapshot().get(f), f + " changed"));

		try (SqliteNodeStore store = SqliteNodeStore.open(home, "correct horse".toCharArray())) {
			assertEquals(secret, store.secrets().get(circleId).orElseThrow());
		}
	}

	@Test
	void aKeyFileHomeRefusesAPassphraseInsteadOfIgnoringIt() {
		Fixtures.open(home).close();
		var e = assertThrows(StoreException.class, () -> SqliteNodeStore.open(home, "pw".toCharArray()));
		assertTrue(e.getMessage().contains("unset FELUND_PASSPHRASE"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> SqliteNodeStore.open(home, new char[0]));
	}

	@Test
	void aDamagedSecretRowIsNamedAndLeftInPlace() throws Exception {
		CircleSecret secret = randomSecret();
		String circleId = circleIdOf(secret);
		CircleSecret other = randomSecret();
		try (SqliteNodeStore store = Fixtures.open(home)) {
			store.secrets().put(circleId, secret);
			store.secrets().put(circleIdOf(other), other);
		}
		try (Connection c = Fixtures.rawConnection(home);
				PreparedStatement ps = c.prepareStatement(
						"UPDATE secrets SET secret_sealed = (SELECT secret_sealed FROM secrets WHERE circle_id=?)"
								+ " WHERE circle_id=?")) {
			ps.setString(1, circleIdOf(other)); // a sealed secret moved to another row must not open
			ps.setString(2, circleId);
			assertEquals(1, ps.executeUpdate());
		}
		try (SqliteNodeStore store = Fixtures.open(home)) {
			var e = assertThrows(StoreException.class, () -> store.secrets().get(circleId));
			assertTrue(e.getMessage().contains(circleId) && e.getMessage().contains("authentication"), e.getMessage());
			assertEquals(other, store.secrets().get(circleIdOf(other)).orElseThrow(), "the other secret is fine");
		}
	}

	private Map<Path, byte[]> snapshot() {
		Map<Path, byte[]> out = new TreeMap<>();
		try (Stream<Path> all = Files.walk(home)) {
			for (Path f : all.filter(Files::isRegularFile).toList()) {
				out.put(f, Files.readAllBytes(f));
			}
		} catch (IOException e) {
			throw new IllegalStateException(e);
		}
		return out;
	}

	static boolean contains(byte[] haystack, byte[] needle) {
		outer: for (int i = 0; i + needle.length <= haystack.length; i++) {
			for (int j = 0; j < needle.length; j++) {
				if (haystack[i + j] != needle[j]) {
					continue outer;
				}
			}
			return true;
		}
		return false;
	}
}
