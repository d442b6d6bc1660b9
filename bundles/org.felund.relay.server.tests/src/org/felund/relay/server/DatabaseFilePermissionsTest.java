package org.felund.relay.server;

import static org.felund.relay.server.RelayHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.felund.relay.server.RelayHarness.Member;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 #5, performed: {@code relay.db} was created {@code -rw-r--r--}, so every local user could read the
 * circles' signing keys. Now the database, its WAL and shared-memory files and the key file are {@code 600}, the
 * directories the relay creates {@code 700}, and an existing database that others could read is tightened.
 */
class DatabaseFilePermissionsTest {
	@TempDir
	Path dir;

	static String mode(Path p) throws Exception {
		return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
	}

	@Test
	void theDatabaseItsWalAndShmAndTheKeyFileAreTheOwnersOnly() throws Exception {
		Path home = dir.resolve("home");
		Path db = home.resolve("relay").resolve("relay.db");
		try (RelayHarness relay = new RelayHarness(RelayHarness.Backend.SQLITE, dir, null, b -> b.database(db))) {
			Member m = relay.member(RelayHarness.secret(1), "member-node-0001");
			expect(200, m.register());
			expect(200, relay.post("/v1/messages", MessagesTest.batch(m.hint(),
					java.util.List.of(MessagesTest.envelope(MessagesTest.id(1), 1)))));
			assertTrue(Files.exists(Path.of(db + "-wal")) && Files.exists(Path.of(db + "-shm")), "WAL mode files exist");
			for (Path p : new Path[] { db, Path.of(db + "-wal"), Path.of(db + "-shm"), db.resolveSibling("relay.key") }) {
				assertEquals("rw-------", mode(p), p.toString());
			}
			assertEquals("rwx------", mode(home), "directories the relay creates");
			assertEquals("rwx------", mode(db.getParent()));
		}
	}

	@Test
	void aDatabaseThatOthersCouldReadIsTightenedOnStart() throws Exception {
		Path db = dir.resolve("relay.db");
		try (RelayHarness relay = new RelayHarness(dir)) {
			expect(200, relay.member(RelayHarness.secret(1), "member-node-0001").register());
		}
		Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));
		try (RelayHarness relay = new RelayHarness(dir)) {
			assertEquals("rw-------", mode(db));
			assertEquals("rw-------", mode(Path.of(db + "-wal")));
		}
	}
}
