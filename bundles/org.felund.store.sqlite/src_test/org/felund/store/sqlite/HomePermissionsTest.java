package org.felund.store.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.felund.api.crypto.CircleSecret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node home keeps circle ids, hints, member ids, peer addresses and MACs: whatever made the home first (a
 * {@code mkdir -p} under umask 022, an older version), opening it leaves it readable by its owner only (issue 14,
 * item 5).
 */
class HomePermissionsTest {
	@TempDir
	Path tmp;

	static String mode(Path p) throws Exception {
		return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
	}

	@Test
	void aNewHomeIsOwnerOnlyWithItsDatabaseWalAndShm() throws Exception {
		Path home = tmp.resolve("fresh");
		try (SqliteNodeStore store = SqliteNodeStore.open(home, null)) {
			CircleSecret secret = Fixtures.randomSecret();
			store.secrets().put(Fixtures.circleIdOf(secret), secret);
			assertEquals("rwx------", mode(home));
			for (String f : new String[] { "felund.db", "felund.db-wal", "felund.db-shm" }) {
				assertTrue(Files.exists(home.resolve(f)), f + " exists while open");
				assertEquals("rw-------", mode(home.resolve(f)), f);
			}
			assertEquals("rwx------", mode(home.resolve("keys")));
			try (var keys = Files.list(home.resolve("keys"))) {
				for (Path k : keys.toList()) {
					assertEquals("rw-------", mode(k), k.toString());
				}
			}
		}
	}

	@Test
	void anExistingWorldReadableHomeIsTightenedOnOpen() throws Exception {
		Path home = tmp.resolve("old");
		try (SqliteNodeStore store = SqliteNodeStore.open(home, null)) {
			store.state().putSetting("probe", "x");
		}
		// What `mkdir -p` and SQLite under umask 022 left before this fix; Configuration Admin's files likewise.
		Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
		Files.setPosixFilePermissions(home.resolve("felund.db"), PosixFilePermissions.fromString("rw-r--r--"));
		Files.writeString(home.resolve("felund.db-wal"), "");
		Files.setPosixFilePermissions(home.resolve("felund.db-wal"), PosixFilePermissions.fromString("rw-r--r--"));
		Path config = Files.createDirectories(home.resolve("config/org/felund"));
		Files.setPosixFilePermissions(home.resolve("config"), PosixFilePermissions.fromString("rwxr-xr-x"));
		Path cfg = Files.writeString(config.resolve("transport.config"), "relay=\"https://example.invalid\"");
		Files.setPosixFilePermissions(cfg, PosixFilePermissions.fromString("rw-r--r--"));
		try (SqliteNodeStore store = SqliteNodeStore.open(home, null)) {
			assertEquals("x", store.state().setting("probe").orElseThrow());
			assertEquals("rwx------", mode(home));
			assertEquals("rw-------", mode(home.resolve("felund.db")));
			assertEquals("rw-------", mode(home.resolve("felund.db-wal")));
			assertEquals("rwx------", mode(home.resolve("config")));
			assertEquals("rwx------", mode(config));
			assertEquals("rw-------", mode(cfg));
		}
	}
}
