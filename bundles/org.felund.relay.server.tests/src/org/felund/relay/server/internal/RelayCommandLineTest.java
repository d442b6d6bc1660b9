package org.felund.relay.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.felund.relay.server.RelayConfig;
import org.felund.relay.server.SignaturePolicy;
import org.felund.relay.server.TrustProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RelayCommandLineTest {
	@TempDir
	Path dir;

	@Test
	void defaultsMatchTheReferenceRelays() {
		RelayConfig c = RelayCommandLine.parse(new String[0]).config();
		assertEquals("127.0.0.1", c.bindHost());
		assertEquals(8787, c.port());
		assertEquals(SignaturePolicy.COMPAT, c.signatures());
		assertEquals(Duration.ofDays(30), c.messageRetention());
		assertEquals(Duration.ofSeconds(300), c.clockSkew());
		assertEquals(20, c.signalRateLimit());
		assertEquals(Duration.ofSeconds(10), c.signalRateWindow());
		assertEquals(Duration.ofSeconds(15), c.wsPingInterval());
		assertEquals(Duration.ofMillis(7500), c.wsPongTimeout());
		assertEquals(Duration.ofSeconds(120), c.wsCatchUpWindow());
		assertEquals("", c.basePath());
		assertFalse(c.durableCommits());
	}

	@Test
	void everyOptionIsApplied() {
		RelayConfig c = RelayCommandLine.parse(new String[] { "--bind", "0.0.0.0", "--port=9000", "--db", "/var/x.db",
				"--base-path", "api/", "--signatures", "STRICT", "--message-retention-days", "7", "--key-retention-days",
				"90", "--clock-skew-s", "60", "--max-body-bytes", "2000000", "--signal-rate-limit", "5",
				"--signal-rate-window-s", "2.5", "--ws-ping-interval-s", "30", "--ws-pong-timeout-s", "10",
				"--ws-catchup-window-s", "300", "--ws-max-connections", "50", "--prune-interval-s", "5",
				"--trust-proxy", "always", "--workers", "3", "--sync", "full" }).config();
		assertEquals("0.0.0.0", c.bindHost());
		assertEquals(9000, c.port());
		assertEquals(Path.of("/var/x.db"), c.database());
		assertEquals("/api", c.basePath());
		assertEquals(SignaturePolicy.STRICT, c.signatures());
		assertEquals(Duration.ofDays(7), c.messageRetention());
		assertEquals(Duration.ofDays(90), c.keyRetention());
		assertEquals(Duration.ofSeconds(60), c.clockSkew());
		assertEquals(2_000_000, c.maxBodyBytes());
		assertEquals(5, c.signalRateLimit());
		assertEquals(Duration.ofMillis(2500), c.signalRateWindow());
		assertEquals(Duration.ofSeconds(30), c.wsPingInterval());
		assertEquals(Duration.ofSeconds(10), c.wsPongTimeout());
		assertEquals(Duration.ofSeconds(300), c.wsCatchUpWindow());
		assertEquals(50, c.wsMaxConnections());
		assertEquals(Duration.ofSeconds(5), c.pruneInterval());
		assertEquals(TrustProxy.ALWAYS, c.trustProxy());
		assertEquals(3, c.workerThreads());
		assertTrue(c.durableCommits());
	}

	@Test
	void configFileIsReadAndTheCommandLineWins() throws Exception {
		Path file = dir.resolve("relay.properties");
		Files.writeString(file, "# felund relay\nport = 7000\nsignatures = strict\ndb = /srv/relay.db\nverbose = true\n");
		RelayCommandLine.Parsed p = RelayCommandLine.parse(new String[] { "--config", file.toString(), "--port", "7001" });
		assertEquals(7001, p.config().port());
		assertEquals(SignaturePolicy.STRICT, p.config().signatures());
		assertEquals(Path.of("/srv/relay.db"), p.config().database());
		assertTrue(p.verbose());
	}

	@Test
	void mistakesAreNamed() throws Exception {
		assertEquals("--port must be an integer, got 'http'",
				assertThrows(IllegalArgumentException.class, () -> RelayCommandLine.parse(new String[] { "--port", "http" }))
						.getMessage());
		assertEquals("port must be between 0 and 65535, got 70000",
				assertThrows(IllegalArgumentException.class, () -> RelayCommandLine.parse(new String[] { "--port", "70000" }))
						.getMessage());
		assertEquals("--db needs a value (try --help)",
				assertThrows(IllegalArgumentException.class, () -> RelayCommandLine.parse(new String[] { "--db" })).getMessage());
		assertEquals("signatures must be 'strict' or 'compat', got 'lax'",
				assertThrows(IllegalArgumentException.class, () -> RelayCommandLine.parse(new String[] { "--signatures", "lax" }))
						.getMessage());
		assertEquals("unexpected argument 'serve' (try --help)",
				assertThrows(IllegalArgumentException.class, () -> RelayCommandLine.parse(new String[] { "serve" })).getMessage());
		Path file = dir.resolve("bad.properties");
		Files.writeString(file, "prot=1\n");
		assertTrue(assertThrows(IllegalArgumentException.class,
				() -> RelayCommandLine.parse(new String[] { "--config", file.toString() })).getMessage()
				.startsWith("unknown key 'prot' in config file"));
		assertTrue(assertThrows(IllegalArgumentException.class,
				() -> RelayCommandLine.parse(new String[] { "--config", dir.resolve("missing").toString() })).getMessage()
				.startsWith("cannot read config file"));
	}

	@Test
	void helpNeedsNoValidConfiguration() {
		assertTrue(RelayCommandLine.parse(new String[] { "--port", "x", "--help" }).help());
	}

	@Test
	void dbTakesAFileOrAPostgresUrlAlsoFromTheConfigFileAndSiteTakesADirectory() throws Exception {
		RelayConfig file = RelayCommandLine.parse(new String[] { "--db", dir.resolve("r.db").toString() }).config();
		assertFalse(file.usesPostgres());
		assertEquals(dir.resolve("r.db"), file.database());
		RelayConfig pg = RelayCommandLine
				.parse(new String[] { "--db", "postgresql://relay:s3cret@db.internal:5432/felund?sslmode=require" })
				.config();
		assertTrue(pg.usesPostgres());
		assertEquals("postgresql://relay:s3cret@db.internal:5432/felund?sslmode=require", pg.postgresUrl());
		assertEquals("postgresql://relay:***@db.internal:5432/felund?sslmode=require", RelayEngine.describeDatabase(pg));
		Path props = dir.resolve("relay.properties");
		Files.writeString(props, "db=postgres://relay@127.0.0.1/felund\nsite=" + dir + "\nsite-path=/updates/\n");
		RelayConfig fromFile = RelayCommandLine.parse(new String[] { "--config", props.toString() }).config();
		assertEquals("postgres://relay@127.0.0.1/felund", fromFile.postgresUrl());
		assertEquals(dir, fromFile.siteDirectory());
		assertEquals("/updates", fromFile.sitePath());
		assertEquals("/site", RelayCommandLine.parse(new String[0]).config().sitePath());
		for (String hidesTheApi : new String[] { "/", "/v1", "/v1/site" }) {
			assertThrows(IllegalArgumentException.class,
					() -> RelayCommandLine.parse(new String[] { "--site", dir.toString(), "--site-path", hidesTheApi }));
		}
		assertThrows(IllegalArgumentException.class, () -> RelayCommandLine
				.parse(new String[] { "--base-path", "/api", "--site", dir.toString(), "--site-path", "/api/v1" }));
	}
}
