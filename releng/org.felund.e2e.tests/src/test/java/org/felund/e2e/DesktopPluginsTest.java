package org.felund.e2e;

import static org.felund.e2e.PluginWorld.eventually;
import static org.felund.e2e.PluginWorld.field;
import static org.felund.e2e.PluginWorld.hasRelayBundle;
import static org.felund.e2e.PluginWorld.hasRelayJar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The base desktop product (a copy of the materialized one, without the relay transport) as a person uses it, on
 * the X server of $DISPLAY: Felund ▸ Plugins… (Ctrl+Shift+P) installs the relay transport from the update site, by
 * the default file URL or by the HTTP URL of a {@code ./felund-relay --site} the user adds, with keys only (the
 * dialog's mnemonics). The running desktop
 * takes the transport without a restart and chats through a real {@code ./felund-relay} with a node that runs the
 * relay; uninstalling takes it away again, files included.
 */
class DesktopPluginsTest {
	@Test
	void thePluginsDialogInstallsTheRelayFromTheDefaultSiteTheDesktopChatsThroughItThenUninstallsIt(@TempDir Path tmp)
			throws Exception {
		Path product = PluginWorld.copyProduct("org.felund.desktop", tmp.resolve("desktop"));
		assertFalse(hasRelayBundle(product) || hasRelayJar(product), "the base desktop has no relay transport");
		try (PluginWorld.Relay relay = new PluginWorld.Relay(tmp); Circle circle = new Circle(tmp, relay)) {
			try (Desktop desktop = new Desktop(product, circle.alice, tmp, Map.of())) {
				String dialog = desktop.openPlugins();
				desktop.install(dialog, product);
				circle.chat("over the relay the dialog installed");

				Xdo.keys(dialog, "alt+i", "End", "alt+t");
				String review = Xdo.window("^Uninstall plugin ?$", 30, desktop::shot);
				Xdo.keys(review, "alt+u");
				assertTrue(eventually(60, () -> !hasRelayBundle(product) && !hasRelayJar(product)),
						"uninstalled from the running desktop, files included");
				Xdo.keys(dialog, "Escape");
			}
		}
	}

	@Test
	void aRelaysSiteAddedByItsHttpUrlInstallsTheRelayTransportIntoTheRunningDesktop(@TempDir Path tmp) throws Exception {
		Path product = PluginWorld.copyProduct("org.felund.desktop", tmp.resolve("desktop"));
		// The default site is missing here, so the relay can only come from the site the user adds.
		Map<String, String> noDefaultSite = Map.of("FELUND_VMARGS",
				"-Dfelund.plugins.defaultSite=" + tmp.resolve("no-site").toUri());
		Path home = tmp.resolve("home");
		assertEquals(0, Products.run(home, "felund-node", "init", "--name", "carol", "--bind", "127.0.0.1", "--port",
				String.valueOf(PluginWorld.freePort())).exitCode());
		assertEquals(0, Products.run(home, "felund-node", "invite").exitCode()); // a circle: no first-run setup
		try (PluginWorld.Relay relay = new PluginWorld.Relay(tmp, Products.site());
				Desktop desktop = new Desktop(product, home, tmp, noDefaultSite)) {
			String dialog = desktop.openPlugins();
			Xdo.keys(dialog, "alt+u");
			Xdo.type(dialog, relay.site().toString());
			Xdo.keys(dialog, "alt+d");
			desktop.install(dialog, product); // from the added site: the default one does not exist
			Xdo.keys(dialog, "Escape");
		}
	}

	/** Alice (the desktop's home) and Bob (a node of the reactor's node product, relay built in) share a circle. */
	private static final class Circle implements AutoCloseable {
		final Path alice;
		final Path bob;
		final PluginWorld.Relay relay;
		final String hint;
		final Process runBob;

		Circle(Path tmp, PluginWorld.Relay relay) throws Exception {
			this.relay = relay;
			alice = tmp.resolve("alice");
			bob = tmp.resolve("bob");
			assertEquals(0, Products.run(bob, "felund-node", "init", "--name", "bob", "--bind", "127.0.0.1", "--port",
					String.valueOf(PluginWorld.freePort()), "--relay", relay.url).exitCode());
			String invite = Products.run(bob, "felund-node", "invite", "--peer", relay.url, "--json").out();
			hint = field(invite, "circle_hint");
			assertEquals(0, Products.run(alice, "felund-node", "init", "--name", "alice", "--bind", "127.0.0.1",
					"--port", String.valueOf(PluginWorld.freePort()), "--relay", relay.url).exitCode());
			assertEquals(0, Products.run(alice, "felund-node", "join", "--code", field(invite, "code")).exitCode());
			runBob = Products.start(bob, tmp.resolve("bob.log"), "felund-node", "run", "--interval", "1");
		}

		/** Messages both ways, each stored by the relay: the desktop reached Bob through it. */
		void chat(String words) throws Exception {
			String fromBob = Products.run(bob, "felund-node", "send", "bob " + words).out().strip();
			assertTrue(eventually(60, () -> Products.run(alice, "felund-node", "inbox", "--json").out()
					.contains("bob " + words)), "the desktop received bob's message");
			// Written next to the running desktop, which announces it (as a message typed in its window).
			String fromAlice = Products.run(alice, "felund-node", "send", "alice " + words).out().strip();
			assertTrue(eventually(60, () -> Products.run(bob, "felund-node", "inbox", "--json").out()
					.contains("alice " + words)), "bob received the desktop's message");
			List<String> stored = relay.storedMessageIds(hint);
			assertTrue(stored.contains(fromBob) && stored.contains(fromAlice), "both went through the relay: " + stored);
		}

		@Override
		public void close() throws Exception {
			runBob.destroy();
			if (!runBob.waitFor(30, TimeUnit.SECONDS)) {
				runBob.destroyForcibly();
			}
		}
	}

	/** The desktop product copy running on a home, and the keys that drive its Plugins dialog. */
	private static final class Desktop implements AutoCloseable {
		final Process process;
		final Path log;
		final Path shots;
		final String main;
		private static final java.util.concurrent.atomic.AtomicInteger SHOTS = new java.util.concurrent.atomic.AtomicInteger();

		Desktop(Path product, Path home, Path tmp, Map<String, String> extraEnv) throws Exception {
			assertNotNull(System.getenv("DISPLAY"), "DISPLAY is not set: run the tests through .ci/run, which starts Xvfb");
			Map<String, String> env = new HashMap<>(PluginWorld.on(product));
			env.putAll(extraEnv);
			log = tmp.resolve("desktop.log");
			shots = Path.of(System.getProperty("felund.screenshots", "target/screenshots"));
			process = Products.start(env, home, log, "felund");
			main = Xdo.window("^Felund ?$", 180, () -> shot() + "\nlog:\n" + logText());
		}

		String openPlugins() throws Exception {
			Thread.sleep(1000); // the window's first layout and key bindings
			Xdo.keys(main, "ctrl+shift+p");
			return Xdo.window("^Felund plugins ?$", 30, this::shot);
		}

		/**
		 * Filters the available plugins to the relay, selects it and presses Install… (again until the sites are
		 * read and the button takes it), accepts the license, trusts the unsigned content, and waits until the
		 * product runs the relay transport, with no restart asked for.
		 */
		void install(String dialog, Path product) throws Exception {
			Xdo.keys(dialog, "alt+f");
			Xdo.type(dialog, "relay");
			String review = null;
			for (int attempt = 0; attempt < 8 && review == null; attempt++) {
				Xdo.keys(dialog, "alt+f", "Tab", "Home", "alt+n");
				review = Xdo.windowOrNull("^Install plugin ?$", 10);
			}
			if (review == null) {
				throw new AssertionError("the review of the install did not open; log:\n" + Files.readString(log) + shot());
			}
			Xdo.keys(review, "alt+a", "alt+i");
			String trust = Xdo.window("^Trust this content\\? ?$", 90, this::shot);
			Xdo.keys(trust, "alt+t");
			if (!eventually(90, () -> hasRelayBundle(product) && hasRelayJar(product))) {
				throw new AssertionError("the relay transport was not installed" + shot());
			}
			Thread.sleep(1000);
			assertEquals(null, Xdo.windowOrNull("^Restart Felund\\? ?$", 1), "a transport needs no restart");
			String output = Files.readString(log, StandardCharsets.UTF_8);
			assertFalse(output.contains("An error has occurred"), output);
		}

		private String logText() {
			try {
				return Files.readString(log, StandardCharsets.UTF_8);
			} catch (java.io.IOException e) {
				return e.toString();
			}
		}

		/** A screenshot of the screen, named in the returned text (for failure messages). */
		String shot() {
			try {
				Files.createDirectories(shots);
				Path file = shots.resolve("desktop-plugins-" + SHOTS.incrementAndGet() + ".png");
				new ProcessBuilder("import", "-window", "root", file.toString()).inheritIO().start().waitFor(20,
						TimeUnit.SECONDS);
				return "\n(screen: " + file + ")";
			} catch (Exception e) {
				return "\n(no screenshot: " + e + ")";
			}
		}

		@Override
		public void close() throws Exception {
			process.destroy();
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
	}
}
