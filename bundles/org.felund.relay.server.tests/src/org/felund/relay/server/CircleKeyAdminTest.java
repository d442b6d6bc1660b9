package org.felund.relay.server;

import static org.felund.relay.server.RelayHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.felund.relay.server.RelayHarness.Member;
import org.felund.relay.server.internal.RelayAdmin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code felund-relay admin}: the operator rebinds or releases a circle's key on the configured database while
 * the relay runs, e.g. after somebody bound a circle's hint first with a key of their own (the one window key
 * binding leaves open) and its members got 401 since.
 */
class CircleKeyAdminTest {
	/** The storage the relays of this test use (the PostgreSQL variant overrides it). */
	RelayHarness.Backend backend() {
		return RelayHarness.Backend.SQLITE;
	}

	@TempDir
	Path dir;
	RelayHarness relay;

	@AfterEach
	void stop() {
		if (relay != null) {
			relay.close();
		}
	}

	record Run(int code, String out, String err) {
	}

	Run admin(String stdin, String... args) {
		List<String> all = new ArrayList<>(List.of(args));
		if (relay.postgresUrl != null) {
			all.addAll(List.of("--db", relay.postgresUrl, "--key-file",
					PostgresServer.shared().keyFileFor(relay.postgresUrl).toString()));
		} else {
			all.addAll(List.of("--db", relay.database.toString()));
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int code = RelayAdmin.run(all.toArray(String[]::new),
				new ByteArrayInputStream(stdin.getBytes(StandardCharsets.US_ASCII)),
				new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
		return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	@Test
	void aSquattedCircleIsGivenBackToItsMembersWhileTheRelayRuns() throws Exception {
		relay = new RelayHarness(backend(), dir);
		Member member = relay.member(RelayHarness.secret(1), "member-node-0001");
		// Somebody registered the circle's hint first with a key of their own.
		Member squatter = relay.member(RelayHarness.secret(13), "squatter-node-01");
		String squat = member.registerBody(false).replace("member-node-0001", "squatter-node-01")
				.replace("\"ttl_s\":120", "\"ttl_s\":120,\"signing_key\":\"" + squatter.key() + "\"");
		expect(200, relay.send("POST", "/v1/register", squat, squatter.sign("POST", "/register", squat)));
		expect(401, member.register());

		Run list = admin("", "list-keys");
		assertEquals(0, list.code(), list.err());
		assertTrue(list.out().contains(member.hint() + "  key " + RelayAdminFingerprint.of(squatter.key())), list.out());
		assertFalse(list.out().contains(squatter.key()), "keys are never printed");

		Run rebind = admin(member.key() + "\n", "rebind-key", "--hint", member.hint(), "--key", "-");
		assertEquals(0, rebind.code(), rebind.err());
		assertTrue(rebind.out().contains(RelayAdminFingerprint.of(member.key())), rebind.out());
		// At once, without a restart: the members are back, the squatter is out.
		expect(200, member.register());
		expect(401, relay.send("POST", "/v1/register", squat, squatter.sign("POST", "/register", squat)));
		Run show = admin("", "show-key", "--hint", member.hint());
		assertEquals(0, show.code(), show.err());
		assertTrue(show.out().contains("stored: 0 messages"), show.out());

		// Unbind: the next signed register of a member binds the key again.
		Run unbind = admin("", "unbind-key", "--hint", member.hint());
		assertEquals(0, unbind.code(), unbind.err());
		assertTrue(unbind.out().contains("unbound"), unbind.out());
		expect(200, member.register());
		assertTrue(admin("", "show-key", "--hint", member.hint()).out().contains(RelayAdminFingerprint.of(member.key())));
	}

	@Test
	void mistakesAreUsageErrorsAndAMissingDatabaseIsNotCreated() throws Exception {
		relay = new RelayHarness(backend(), dir);
		assertEquals(RelayAdmin.EXIT_USAGE, admin("", "rebind-key", "--hint", "e03c84dccc271635", "--key", "xyz").code());
		assertEquals(RelayAdmin.EXIT_USAGE, admin("", "rebind-key", "--hint", "short", "--key", "0".repeat(64)).code());
		assertEquals(RelayAdmin.EXIT_USAGE, admin("", "rotate-everything").code());
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int code = RelayAdmin.run(new String[] { "list-keys", "--db", dir.resolve("nothing-here.db").toString() },
				new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream()),
				new PrintStream(err, true, StandardCharsets.UTF_8));
		assertEquals(RelayAdmin.EXIT_FAILURE, code);
		assertTrue(err.toString(StandardCharsets.UTF_8).contains("no relay database"));
		assertFalse(java.nio.file.Files.exists(dir.resolve("nothing-here.db")));
	}

	/** The fingerprint the admin prints: the first 16 hex of SHA-256 over the 64-hex key. */
	static final class RelayAdminFingerprint {
		static String of(String keyHex) throws Exception {
			byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(keyHex.getBytes(StandardCharsets.US_ASCII));
			return java.util.HexFormat.of().formatHex(d).substring(0, 16);
		}
	}
}
