package org.felund.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, item 5, on the real node product: a home that `mkdir -p` made world-readable (as the launcher did), and
 * the database, WAL, shared-memory and Configuration Admin files the node writes into it, end up readable by their
 * owner only while the node runs.
 */
class NodeHomePermissionsProductTest {
	static String mode(Path p) throws Exception {
		return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
	}

	static int freePort() throws IOException {
		try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return s.getLocalPort();
		}
	}

	@Test
	void theNodeKeepsItsHomeDatabaseAndConfigurationPrivate(@TempDir Path tmp) throws Exception {
		Path home = Files.createDirectories(tmp.resolve("home"));
		Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
		assertEquals(0, Products.run(home, "felund-node", "init", "--name", "private", "--bind", "127.0.0.1", "--port",
				Integer.toString(freePort())).exitCode());
		assertEquals(0, Products.run(home, "felund-node", "invite", "--peer", "127.0.0.1:9").exitCode());
		Process run = Products.start(home, tmp.resolve("run.log"), "felund-node", "run");
		try {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
			while (!Files.exists(home.resolve("felund.db-wal")) && System.nanoTime() < deadline) {
				Thread.sleep(200);
			}
			Thread.sleep(1000);
			assertEquals("rwx------", mode(home));
			for (String f : new String[] { "felund.db", "felund.db-wal", "felund.db-shm" }) {
				assertTrue(Files.exists(home.resolve(f)), f + " exists while the node runs");
				assertEquals("rw-------", mode(home.resolve(f)), f);
			}
			assertEquals("rwx------", mode(home.resolve("keys")));
			Path config = home.resolve("config");
			assertTrue(Files.isDirectory(config), "init wrote the gossip configuration through Configuration Admin");
			assertEquals("rwx------", mode(config));
		} finally {
			run.destroy();
			assertTrue(run.waitFor(30, TimeUnit.SECONDS));
		}
	}
}
