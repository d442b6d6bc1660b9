package org.felund.relay.server;

import static org.felund.relay.server.RelayHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.felund.relay.server.RelayHarness.Member;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Circle signing keys are sealed in the database with the relay's key file: a copy of the database alone
 * (backup, dump, database host) holds no usable key; keys stored before sealing existed are sealed on start; a
 * relay given another key file refuses to start instead of failing every signed request.
 */
class SealedKeysTest {
	/** The storage the relays of this test use (the PostgreSQL variant overrides it). */
	RelayHarness.Backend backend() {
		return RelayHarness.Backend.SQLITE;
	}

	@TempDir
	Path dir;

	private Connection open(RelayHarness relay) throws SQLException {
		if (relay.postgresUrl != null) {
			PostgresServer pg = PostgresServer.shared();
			String schema = relay.postgresUrl.substring(relay.postgresUrl.indexOf("currentSchema=") + 14);
			return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pg.port() + "/" + PostgresServer.DATABASE
					+ "?currentSchema=" + schema, PostgresServer.USER, "");
		}
		return DriverManager.getConnection("jdbc:sqlite:" + relay.database);
	}

	private List<String> storedKeys(RelayHarness relay) throws SQLException {
		List<String> out = new ArrayList<>();
		try (Connection c = open(relay); PreparedStatement ps = c.prepareStatement("SELECT signing_key FROM circle_keys");
				ResultSet rs = ps.executeQuery()) {
			while (rs.next()) {
				out.add(rs.getString(1));
			}
		}
		return out;
	}

	private Path keyFile(RelayHarness relay) {
		return relay.server().config().effectiveKeyFile();
	}

	@Test
	void theDatabaseHoldsNoPlainKeyAndOldPlainKeysAreSealedOnStart() throws Exception {
		try (RelayHarness relay = new RelayHarness(backend(), dir)) {
			Member m = relay.member(RelayHarness.secret(1), "member-node-0001");
			expect(200, m.register());
			List<String> stored = storedKeys(relay);
			assertEquals(1, stored.size());
			assertTrue(stored.get(0).startsWith("s1:"), stored.get(0));
			assertFalse(stored.get(0).contains(m.key()));
			if (relay.postgresUrl == null) {
				byte[] key = m.key().getBytes(StandardCharsets.US_ASCII);
				for (String file : new String[] { "", "-wal" }) {
					byte[] bytes = Files.readAllBytes(Path.of(relay.database + file));
					assertFalse(contains(bytes, key), "the key's hex text is in relay.db" + file);
				}
			}
			// A database from before sealing: the key in clear.
			try (Connection c = open(relay);
					PreparedStatement ps = c.prepareStatement("UPDATE circle_keys SET signing_key = ?")) {
				ps.setString(1, m.key());
				ps.executeUpdate();
			}
			relay.restart();
			List<String> after = storedKeys(relay);
			assertTrue(after.get(0).startsWith("s1:"), "sealed on start: " + after.get(0));
			expect(200, m.signed("GET", "/v1/peers?circle_hint=" + m.hint(), null));
			// A sealed key cannot be moved to another circle's row.
			try (Connection c = open(relay);
					PreparedStatement ps = c.prepareStatement(
							"INSERT INTO circle_keys (circle_hint, signing_key, bound_at, expires_at) VALUES (?, ?, 0, ?)")) {
				ps.setString(1, "0011223344556677");
				ps.setString(2, after.get(0));
				ps.setLong(3, Long.MAX_VALUE / 2);
				ps.executeUpdate();
			}
			String moved = "{\"node_id\":\"member-node-0001\",\"circle_hint\":\"0011223344556677\",\"signing_key\":\""
					+ m.key() + "\"}";
			expect(500, relay.send("POST", "/v1/register", moved, m.sign("POST", "/register", moved)));
		}
	}

	@Test
	void anotherKeyFileIsRefusedAtStart() throws Exception {
		RelayHarness relay = new RelayHarness(backend(), dir);
		Path file;
		try {
			expect(200, relay.member(RelayHarness.secret(1), "member-node-0001").register());
			file = keyFile(relay);
			assertEquals("rw-------", DatabaseFilePermissionsTest.mode(file));
		} finally {
			relay.close();
		}
		String original = Files.readString(file);
		Files.writeString(file, "ab".repeat(32) + "\n");
		IOException refused = assertThrows(IOException.class, relay::start);
		assertTrue(refused.getMessage().contains("sealed with another key file"), refused.getMessage());
		Files.delete(file);
		refused = assertThrows(IOException.class, relay::start);
		assertTrue(refused.getMessage().contains("does not exist"), refused.getMessage());
		Files.writeString(file, original);
		relay.start();
		relay.close();
	}

	private static boolean contains(byte[] haystack, byte[] needle) {
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
