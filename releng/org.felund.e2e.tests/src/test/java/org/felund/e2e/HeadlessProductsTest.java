package org.felund.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./felund-node and ./felund-relay as a user runs them. */
class HeadlessProductsTest {
	@Test
	void nodeHelpPrintsUsageOfEveryCommand(@TempDir Path home) throws Exception {
		Products.Result r = Products.run(home, "felund-node", "--help");
		assertEquals(0, r.exitCode(), r.err());
		for (String command : new String[] { "init", "invite", "join", "circles", "send", "inbox", "peers",
				"channel" }) {
			assertTrue(r.out().contains(command), "usage names " + command + ":\n" + r.out());
		}
	}

	@Test
	void relayHelpPrintsUsage(@TempDir Path home) throws Exception {
		Products.Result r = Products.run(home, "felund-relay", "--help");
		assertEquals(0, r.exitCode(), r.err());
		assertTrue(r.out().contains("--port") && r.out().contains("--signatures"), r.out());
	}

	@Test
	void twoHomesShareACircleByInviteCodeWithTheReferenceCircleIdAndHint(@TempDir Path tmp) throws Exception {
		Path alice = tmp.resolve("alice");
		Path bob = tmp.resolve("bob");
		assertEquals(0, Products.run(alice, "felund-node", "init", "--name", "alice", "--port", "19999").exitCode());
		Products.Result invite = Products.run(alice, "felund-node", "invite", "--peer", "127.0.0.1:19999", "--json");
		assertEquals(0, invite.exitCode(), invite.err());
		String circleId = field(invite.out(), "circle_id");
		String hint = field(invite.out(), "circle_hint");
		String code = field(invite.out(), "code");

		// The id and hint must be what the reference derives from the secret inside the code (§1).
		String payload = new String(Base64.getUrlDecoder().decode(code.substring("felund1.".length())),
				StandardCharsets.UTF_8);
		byte[] secret = HexFormat.of().parseHex(field(payload, "secret"));
		String expectedId = sha256Hex(secret).substring(0, 24);
		assertEquals(expectedId, circleId);
		assertEquals(sha256Hex(expectedId.getBytes(StandardCharsets.UTF_8)).substring(0, 16), hint);

		assertEquals(0, Products.run(bob, "felund-node", "init", "--name", "bob").exitCode());
		Products.Result join = Products.run(bob, "felund-node", "join", "--code", code);
		assertEquals(0, join.exitCode(), join.err());
		Products.Result circles = Products.run(bob, "felund-node", "circles", "--json");
		assertTrue(circles.out().contains("\"circle_id\":\"" + circleId + "\""), circles.out());
		assertTrue(circles.out().contains("\"circle_hint\":\"" + hint + "\""), circles.out());

		Products.Result garbage = Products.run(bob, "felund-node", "join", "--code", "felund1.not-base64!!");
		assertTrue(garbage.exitCode() != 0, "a garbage code must fail");
		assertTrue(garbage.err().startsWith("felund-node: "), garbage.err());
	}

	@Test
	void twoRunningNodesExchangeMessagesOverGossipAndStopOnSigterm(@TempDir Path tmp) throws Exception {
		Path alice = tmp.resolve("alice");
		Path bob = tmp.resolve("bob");
		int portA = freePort();
		int portB = freePort();
		assertEquals(0, Products.run(alice, "felund-node", "init", "--name", "alice", "--bind", "127.0.0.1", "--port",
				String.valueOf(portA)).exitCode());
		String code = field(Products.run(alice, "felund-node", "invite", "--json").out(), "code");
		assertEquals(0, Products.run(bob, "felund-node", "init", "--name", "bob", "--bind", "127.0.0.1", "--port",
				String.valueOf(portB)).exitCode());
		assertEquals(0, Products.run(bob, "felund-node", "join", "--code", code).exitCode());

		Process runA = Products.start(alice, tmp.resolve("a.log"), "felund-node", "run", "--interval", "1");
		Process runB = Products.start(bob, tmp.resolve("b.log"), "felund-node", "run", "--interval", "1");
		try {
			// A one-shot send next to the running node: stored by the CLI, announced by `run`.
			assertEquals(0, Products.run(bob, "felund-node", "send", "hello from bob").exitCode());
			assertEquals(0, Products.run(alice, "felund-node", "send", "hello from alice").exitCode());
			assertTrue(eventually(() -> Products.run(alice, "felund-node", "inbox", "--json").out()
					.contains("hello from bob")), "alice received bob's message");
			assertTrue(eventually(() -> Products.run(bob, "felund-node", "inbox", "--json").out()
					.contains("hello from alice")), "bob received alice's message");
			// Alice's running node was told who accepted her message: inbox --json (another process, reading the
			// home) carries its path, the gossip hop to bob's node.
			String bobsId = field(Products.run(alice, "felund-node", "peers", "--json").out(), "node_id");
			Pattern path = Pattern.compile("\"text\":\"hello from alice\",\"delivery\":\\{\"status\":\"delivered\","
					+ "\"path\":\\[\\{\"transport\":\"gossip\",\"peer\":\"" + bobsId + "\",\"route\":\"(direct|anchor)\"");
			java.util.concurrent.atomic.AtomicReference<String> inbox = new java.util.concurrent.atomic.AtomicReference<>();
			assertTrue(eventually(() -> {
				inbox.set(Products.run(alice, "felund-node", "inbox", "--json").out());
				return path.matcher(inbox.get()).find();
			}), () -> "alice's inbox --json tells the path: " + inbox.get());
			assertTrue(Products.run(alice, "felund-node", "inbox").out().contains(
					"alice: hello from alice  \u2713 gossip \u2192 " + bobsId.substring(0, 8)), "and so does inbox");
		} finally {
			runA.destroy(); // SIGTERM to the launcher, forwarded to the node
			runB.destroy();
			assertTrue(runA.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "alice's node stops on SIGTERM");
			assertTrue(runB.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "bob's node stops on SIGTERM");
		}
		String log = java.nio.file.Files.readString(tmp.resolve("a.log"));
		assertTrue(log.contains("message") && log.contains("hello from bob") && log.contains("stopping"), log);
	}

	private interface Check {
		boolean ok() throws Exception;
	}

	private static boolean eventually(Check check) throws Exception {
		long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
		while (System.nanoTime() < deadline) {
			if (check.ok()) {
				return true;
			}
			Thread.sleep(1000);
		}
		return check.ok();
	}

	private static int freePort() throws java.io.IOException {
		try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static String field(String json, String name) {
		Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
		assertTrue(m.find(), name + " missing in " + json);
		return m.group(1);
	}

	private static String sha256Hex(byte[] data) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
	}
}
