package org.felund.e2e;

import static org.felund.e2e.PluginWorld.RELAY_FEATURE;
import static org.felund.e2e.PluginWorld.eventually;
import static org.felund.e2e.PluginWorld.field;
import static org.felund.e2e.PluginWorld.hasRelayBundle;
import static org.felund.e2e.PluginWorld.hasRelayJar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./felund-node plugins} on a copy of the node product: the relay transport (built into the node) is
 * uninstalled, refused without the license and trust flags, installed again from the update site that a real
 * {@code ./felund-relay --site} serves over HTTP, and then a node of that product chats with another through that
 * relay; uninstalling takes it away again, files included.
 */
class NodePluginsTest {
	@Test
	void theRelayTransportComesAndGoesWithFelundNodePluginsAndANodeChatsThroughARealRelay(@TempDir Path tmp)
			throws Exception {
		Path node = PluginWorld.copyProduct("org.felund.node", tmp.resolve("node"));
		Map<String, String> env = PluginWorld.on(node);
		Path alice = tmp.resolve("alice");

		Products.Result list = Products.run(env, alice, "felund-node", "plugins", "list", "--json");
		assertEquals(0, list.exitCode(), list.err());
		assertTrue(list.out().contains("{\"id\":\"" + RELAY_FEATURE + "\",\"name\":\"Felund relay transport\",")
				&& list.out().contains("\"built_in\":true"), list.out());

		Products.Result uninstall = Products.run(env, alice, "felund-node", "plugins", "uninstall", RELAY_FEATURE);
		assertEquals(0, uninstall.exitCode(), uninstall.err());
		assertTrue(uninstall.out().startsWith("Done: Uninstall Felund relay transport"), uninstall.out());
		assertFalse(hasRelayBundle(node), "bundles.info no longer starts the relay transport");
		assertFalse(hasRelayJar(node), "its jar is gone");

		try (PluginWorld.Relay relay = new PluginWorld.Relay(tmp, Products.site())) {
			String repo = relay.site().toString();
			Products.Result noLicense = Products.run(env, alice, "felund-node", "plugins", "install", "--repo", repo,
					RELAY_FEATURE);
			assertEquals(1, noLicense.exitCode());
			assertTrue(noLicense.err().contains("Felund is free software.") && noLicense.err().contains(
					"run again with --accept-license; nothing was installed"), noLicense.err());
			Products.Result noTrust = Products.run(env, alice, "felund-node", "plugins", "install", "--repo", repo,
					"--accept-license", RELAY_FEATURE);
			assertEquals(1, noTrust.exitCode());
			assertTrue(noTrust.err().contains("unsigned artifact") && noTrust.err().contains("--trust-unsigned"),
					noTrust.err());
			assertFalse(hasRelayBundle(node) || hasRelayJar(node), "refused installs change nothing");

			Products.Result install = Products.run(env, alice, "felund-node", "plugins", "install", "--repo", repo,
					"--accept-license", "--trust-unsigned", "--json", RELAY_FEATURE);
			assertEquals(0, install.exitCode(), install.err());
			assertTrue(install.out().contains("\"changed\":true") && install.out().contains("\"restart_required\":false"),
					install.out());
			assertTrue(hasRelayBundle(node) && hasRelayJar(node), "installed (from " + repo + " only: --repo)");

			chatThroughTheRelay(tmp, relay, env, alice);
		}

		Products.Result again = Products.run(env, alice, "felund-node", "plugins", "uninstall", RELAY_FEATURE);
		assertEquals(0, again.exitCode(), again.err());
		assertFalse(hasRelayBundle(node) || hasRelayJar(node), "uninstalled again, files included");
		Products.Result after = Products.run(env, alice, "felund-node", "plugins", "list", "--json");
		assertFalse(after.out().contains("\"installed\":[{\"id\":\"" + RELAY_FEATURE), after.out());
	}

	/** Alice runs the product copy, Bob the reactor's node; they share a circle through the relay. */
	private static void chatThroughTheRelay(Path tmp, PluginWorld.Relay relay, Map<String, String> env, Path alice)
			throws Exception {
		Path bob = tmp.resolve("bob");
		assertEquals(0, Products.run(bob, "felund-node", "init", "--name", "bob", "--bind", "127.0.0.1", "--port",
				String.valueOf(PluginWorld.freePort()), "--relay", relay.url).exitCode());
		String invite = Products.run(bob, "felund-node", "invite", "--peer", relay.url, "--json").out();
		assertEquals(0, Products.run(env, alice, "felund-node", "init", "--name", "alice", "--bind", "127.0.0.1",
				"--port", String.valueOf(PluginWorld.freePort()), "--relay", relay.url).exitCode());
		Products.Result join = Products.run(env, alice, "felund-node", "join", "--code", field(invite, "code"));
		assertEquals(0, join.exitCode(), join.err());
		String hint = field(invite, "circle_hint");

		Process runBob = Products.start(bob, tmp.resolve("bob.log"), "felund-node", "run", "--interval", "1");
		Process runAlice = Products.start(env, alice, tmp.resolve("alice.log"), "felund-node", "run", "--interval",
				"1");
		try {
			String fromBob = Products.run(bob, "felund-node", "send", "hello alice, through the relay").out().strip();
			String fromAlice = Products.run(env, alice, "felund-node", "send", "hello bob, through the relay").out()
					.strip();
			assertTrue(eventually(60, () -> Products.run(env, alice, "felund-node", "inbox", "--json").out()
					.contains("hello alice, through the relay")), "alice received bob's message");
			assertTrue(eventually(60, () -> Products.run(bob, "felund-node", "inbox", "--json").out()
					.contains("hello bob, through the relay")), "bob received alice's message");
			List<String> stored = relay.storedMessageIds(hint);
			assertTrue(stored.contains(fromBob) && stored.contains(fromAlice),
					"both messages went through the relay: " + stored + " vs " + fromBob + ", " + fromAlice);
		} finally {
			runAlice.destroy();
			runBob.destroy();
			assertTrue(runAlice.waitFor(30, TimeUnit.SECONDS) && runBob.waitFor(30, TimeUnit.SECONDS));
		}
		String aliceLog = java.nio.file.Files.readString(tmp.resolve("alice.log"));
		assertTrue(aliceLog.contains("transport relay: live"), "alice's node ran the installed relay:\n" + aliceLog);
	}
}
