package org.felund.calls.ui.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.felund.api.call.Call;
import org.felund.api.call.CallService;
import org.felund.api.model.ChatMessage;
import org.felund.api.model.Circle;
import org.felund.api.node.NodeService;
import org.felund.calls.Calls;
import org.felund.calls.CallsOptions;
import org.felund.core.node.Node;
import org.felund.core.node.NodeOptions;
import org.felund.crypto.JcaCryptoService;
import org.felund.relay.server.RelayServer;
import org.felund.relay.server.SignaturePolicy;
import org.felund.store.sqlite.SqliteNodeStore;
import org.felund.testsupport.ComponentDiagnostics;
import org.felund.testsupport.ui.UiDriver;
import org.felund.transport.relay.RelayOptions;
import org.felund.transport.relay.RelayTransport;
import org.felund.webrtc.AudioMode;
import org.felund.webrtc.IceSettings;
import org.felund.webrtc.RtcRuntime;
import org.felund.webrtc.SignalMailbox;
import org.felund.webrtc.Signaling;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * A call as a user makes one, in the real workbench (our Application.e4xmi with this plugin's model fragment, in a real
 * SWT window under $DISPLAY) on the node, relay transport and calls service that DS runs from the installed bundles:
 * F4 puts the call view beside the chat, {@code /call start} in the composer starts the call, and a second real node
 * (its own home, relay transport and WebRTC stack, sending a test pattern and tone) joins through the real relay
 * server on loopback. The view must then paint that node's frames in its tile and list the host ★ and the peer's
 * health, while the chat goes on both ways; a screenshot of that moment goes to {@code felund.screenshots}
 * ({@code docs/images/call.png} for the user guide).
 */
class CallInTheWorkbenchTest {
	private static final String SECRET = "5d9e3c1a7b2f4e6d8c0a1b3d5f7e9c2a4b6d8f0e1c3a5b7d9f2e4c6a8b0d1f3e";

	@TempDir
	Path tmp;

	@Test
	void startedFromTheComposerTheCallShowsTheJoinedNodesVideoAndHealthBesideAChatThatKeepsWorking() throws Exception {
		BundleContext bundles = FrameworkUtil.getBundle(CallInTheWorkbenchTest.class).getBundleContext();
		NodeService node = service(bundles, NodeService.class);
		CallService calls = service(bundles, CallService.class);
		ConfigurationAdmin configs = service(bundles, ConfigurationAdmin.class);
		RelayServer relay = new RelayServer(org.felund.relay.server.RelayConfig.builder().bindHost("127.0.0.1").port(0)
				.database(tmp.resolve("relay.db")).signatures(SignaturePolicy.COMPAT).signalRateLimit(1000)
				.signalRateWindow(Duration.ofSeconds(10)).workerThreads(4).build(), new JcaCryptoService());
		relay.start();
		String relayUrl = "http://127.0.0.1:" + relay.port();
		UiDriver ui = null;
		Peer bob = null;
		try {
			// A node that has been set up before: named, in a circle, using a relay.
			node.setDisplayName("alice");
			node.completeSetup();
			Circle circle = node.joinCircle(SECRET, "127.0.0.1:1");
			node.renameCircle(circle.circleId(), "Book Club");
			configure(configs, "org.felund.transport.relay", "urls", relayUrl, "pollInterval", "1");
			configure(configs, "org.felund.calls", "relay.url", relayUrl, "audio.devices", "virtual", "audio.input",
					"tone:440", "video.input", "none", "ice.loopback", "true");
			bob = new Peer(tmp.resolve("bob"), relayUrl);
			assertEquals(circle.circleId(), bob.circle);

			ui = UiDriver.start();
			UiDriver driver = ui;
			driver.waitUntil("the main window", () -> mainShell(driver) != null && mainShell(driver).isVisible(), 60);
			driver.run(() -> org.felund.ui.internal.Selection.select(driver.model(),
					new org.felund.ui.internal.ChannelRef(circle.circleId(), "general")));
			driver.waitUntil("#general shown", () -> driver.text("chat.header").contains("#general"), 15);

			Shell main = mainShell(driver);
			driver.activate(main);
			// F4: the call view beside the chat, through the workbench's key binding and this plugin's handler.
			driver.postKey(0, SWT.F4, '\0');
			driver.waitUntil("the call view", () -> callPart(driver) != null, 15);
			CallPart part = driver.call(() -> callPart(driver));
			Control chat = driver.waitFor("chat.messages", Control.class, 5);
			driver.waitUntil("chat and call side by side", () -> {
				Control callControl = part.tilesArea();
				if (!chat.isVisible() || !callControl.isVisible()) {
					return false;
				}
				Rectangle c = chat.getDisplay().map(chat.getParent(), null, chat.getBounds());
				Rectangle v = chat.getDisplay().map(callControl.getParent(), null, callControl.getBounds());
				return !c.intersects(v) && c.width > 100 && v.width > 100;
			}, 10);

			// The call starts from the composer, as the user starts it.
			command(driver, "/call start");
			driver.waitUntil("the composer's answer", () -> chatText(driver).contains("You started a call in #general"),
					15);
			Call call = calls.current().orElseThrow(() -> new AssertionError("no call after /call start"));
			assertEquals(node.identity().nodeId(), call.hostNodeId());

			Peer joining = bob;
			await("bob to hear of the call", 30, () -> joining.calls.call(call.sessionId()).isPresent());
			bob.calls.join(call.sessionId());
			String bobId = bob.node.identity().nodeId();
			driver.waitUntil("bob's frames painted in his tile", () -> {
				VideoTile tile = part.tiles().get(bobId);
				return tile != null && tile.painted() > 15;
			}, 45);
			// A picture one can see, not a sliver: F4 made room for the video.
			org.eclipse.swt.graphics.Point tileSize = driver.call(() -> part.tiles().get(bobId).control().getSize());
			assertTrue(tileSize.x >= 160 && tileSize.y >= 120, "the tile's size: " + tileSize);
			driver.waitUntil("the participants: the host starred, bob connected and sending video", () -> {
				Table people = part.peopleTable();
				String[][] rows = rows(people);
				return rows.length == 2 && rows[0][0].equals("★ alice (you)") && rows[0][1].equals("host")
						&& rows[1][0].equals("bob") && rows[1][2].startsWith("connected")
						&& rows[1][2].contains("video 640x480");
			}, 30);

			// The chat keeps working during the call, both ways.
			long frames = driver.call(() -> part.tiles().get(bobId).painted());
			send(driver, "Can everyone see the slides?");
			await("alice's message at bob", 30, () -> joining.sees("Can everyone see the slides?"));
			bob.node.send(bob.circle, "general", "Yes, the bars are moving");
			driver.waitUntil("bob's message in the chat", () -> chatText(driver)
					.contains("bob: Yes, the bars are moving"), 30);
			driver.waitUntil("the video still moving", () -> part.tiles().get(bobId).painted() > frames + 15, 15);

			Path shot = driver.screenshot("main.window", "call.png");
			assertTrue(Files.size(shot) > 10_000, "screenshot written: " + shot);

			command(driver, "/call end");
			await("the end at bob", 15, () -> joining.calls.call(call.sessionId()).map(Call::ended).orElse(false));
			driver.waitUntil("the tiles gone", () -> part.tiles().isEmpty(), 15);
			assertNull(driver.uiFailure(), "something the test started on the UI thread failed");
		} finally {
			try {
				if (ui != null) {
					ui.close();
				}
			} finally {
				if (bob != null) {
					bob.close();
				}
				relay.stop();
			}
		}
	}

	/** Another person's computer: a node with its own home, the relay transport and its own WebRTC stack. */
	private static final class Peer implements AutoCloseable {
		final SqliteNodeStore store;
		final Node node;
		final RtcRuntime runtime = new RtcRuntime();
		final Calls calls;
		final String circle;

		Peer(Path home, String relayUrl) {
			store = SqliteNodeStore.open(home, null);
			node = new Node(new JcaCryptoService(), store.messages(), store.state(), store.secrets(),
					NodeOptions.oneShot());
			node.setDisplayName("bob");
			circle = node.joinCircle(SECRET, "127.0.0.1:1").circleId();
			node.attach(new RelayTransport(RelayOptions.fixed(relayUrl).withPollIntervals(Duration.ofMillis(250),
					Duration.ofSeconds(30)).withPresence(Duration.ofSeconds(30), Duration.ofMillis(300))
					.withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(5))));
			calls = new Calls(node, node.controlEvents(), runtime, CallsOptions.defaults()
					.withAudioMode(AudioMode.HEADLESS).withRelayUrl(relayUrl).withIce(IceSettings.loopbackOnly())
					.withSources("tone:660", "default", "pattern:640x480@15").withSignaling(Signaling.Options.media()
							.withIceTimeout(Duration.ofSeconds(10)), SignalMailbox.Options.defaults()
							.withPolls(Duration.ofMillis(200), Duration.ofMillis(50))
							.withBackoff(Duration.ofMillis(100), Duration.ofMillis(800), Duration.ofSeconds(1))),
					true);
			calls.start();
		}

		boolean sees(String text) {
			for (ChatMessage m : node.history(circle, "general", null, 50)) {
				if (text.equals(m.text())) {
					return true;
				}
			}
			return false;
		}

		@Override
		public void close() {
			try {
				calls.close();
				node.close();
			} finally {
				store.close();
				runtime.close();
			}
		}
	}

	private static CallPart callPart(UiDriver ui) {
		EModelService models = ui.model().getContext().get(EModelService.class);
		MPart part = (MPart) models.find(CallPart.ID, ui.model());
		return part != null && part.getObject() instanceof CallPart p && p.tilesArea() != null
				&& p.tilesArea().isVisible() ? p : null;
	}

	private static Shell mainShell(UiDriver ui) {
		return ui.call(() -> ui.find("main.window", Shell.class));
	}

	private static void command(UiDriver ui, String line) {
		ui.setText("chat.composer", line);
		ui.pressEnter("chat.composer");
	}

	private static void send(UiDriver ui, String text) {
		command(ui, text);
		ui.waitUntil("the composer emptied", () -> ui.text("chat.composer").isEmpty(), 10);
	}

	private static String chatText(UiDriver ui) {
		return ui.text("chat.messages");
	}

	private static String[][] rows(Table table) {
		TableItem[] items = table.getItems();
		String[][] out = new String[items.length][];
		for (int i = 0; i < items.length; i++) {
			out[i] = new String[] { items[i].getText(0), items[i].getText(1), items[i].getText(2) };
		}
		return out;
	}

	private static void configure(ConfigurationAdmin configs, String pid, String... keyValues) throws Exception {
		Configuration c = configs.getConfiguration(pid, "?");
		Dictionary<String, Object> properties = new Hashtable<>();
		for (int i = 0; i < keyValues.length; i += 2) {
			properties.put(keyValues[i], keyValues[i + 1]);
		}
		c.update(properties);
	}

	private static <T> T service(BundleContext context, Class<T> type) throws InterruptedException {
		ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
		tracker.open();
		T found = tracker.waitForService(TimeUnit.SECONDS.toMillis(30));
		assertNotNull(found, () -> "no " + type.getSimpleName() + " within 30 s\n" + ComponentDiagnostics.describe(
				context));
		return found;
	}

	private static void await(String what, int seconds, BooleanSupplier condition) throws InterruptedException {
		long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - end > 0) {
				throw new AssertionError("Not within " + seconds + " s: " + what);
			}
			Thread.sleep(50);
		}
	}
}
