package org.felund.ui.tests;

import org.felund.testsupport.ComponentDiagnostics;
import org.felund.testsupport.ui.UiDriver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.commands.MBindingTable;
import org.eclipse.e4.ui.model.application.commands.MKeyBinding;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.model.application.ui.basic.MWindow;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.dnd.Clipboard;
import org.eclipse.swt.dnd.TextTransfer;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Link;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.TabFolder;
import org.eclipse.swt.widgets.TabItem;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeItem;
import org.felund.api.model.Circle;
import org.felund.api.model.Invite;
import org.felund.api.node.NodeService;
import org.felund.api.transport.Endpoint;
import org.felund.api.transport.Transport;
import org.felund.api.transport.TransportState;
import org.felund.protocol.invite.InviteCodes;
import org.felund.ui.addons.PluginsAddon;
import org.felund.ui.contrib.ChatCommand;
import org.felund.ui.contrib.ChatContext;
import org.felund.ui.dialogs.SettingsDialog;
import org.felund.ui.internal.SlashCommands;
import org.felund.ui.internal.StatusText;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Boots the real workbench (our Application.e4xmi through E4Application) in a real SWT window under the X server
 * of $DISPLAY, on a fresh node home, and uses it as a person would: the first-run setup, a first circle and its
 * invite, messages, slash commands, keys, settings, search, and a conversation both ways with another node over
 * gossip on loopback; then plugins coming and going while it runs (a transport's settings page and status segment,
 * a calls plugin's model fragment, a real transport bundle stopped and started). The tests build on each other
 * (one home, one window), in order. Screenshots of each view go to {@code felund.screenshots}
 * (releng/bin/screenshots points it at docs/images).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkbenchWindowTest {
	private static final String[] PART_IDS = { "org.felund.ui.part.circles", "org.felund.ui.part.chat",
			"org.felund.ui.part.members" };
	private static final Pattern LISTENING = Pattern.compile("Listening on ([^:\\s]+):(\\d+)");

	private NodeService node;
	private BundleContext bundles;
	private ServiceTracker<ConfigurationAdmin, ConfigurationAdmin> configAdmin;
	private Bundle transportPlugin;
	private Bundle callsPlugin;
	private UiDriver ui;
	private Shell main;
	private HeadlessPeer bob;
	private Circle bookClub;

	@BeforeAll
	void bootTheWorkbench() throws Exception {
		node = nodeService();
		assertTrue(node.circles().isEmpty(), "the test needs a fresh node home");
		bundles = FrameworkUtil.getBundle(WorkbenchWindowTest.class).getBundleContext();
		configAdmin = new ServiceTracker<>(bundles, ConfigurationAdmin.class, null);
		configAdmin.open();
		assertNotNull(configAdmin.waitForService(TimeUnit.SECONDS.toMillis(30)), "Configuration Admin runs");
		// Installed before the workbench starts, as a transport plugin of the product would be.
		transportPlugin = TestPlugins.installTransport(bundles);
		transportPlugin.start();
		assertMetatypeDescribes(transportPlugin, TestPlugins.TRANSPORT_PID);
		ui = UiDriver.start();
		ui.waitUntil("the main window", () -> mainWindow().getWidget() instanceof Shell s && s.isVisible(), 60);
		main = ui.call(() -> (Shell) mainWindow().getWidget());
	}

	@AfterAll
	void closeTheWorkbench() throws Exception {
		try {
			if (ui != null) {
				assertNull(ui.uiFailure(), "something the test started on the UI thread failed");
				ui.close();
			}
		} finally {
			if (bob != null) {
				bob.close();
			}
			for (Bundle b : new Bundle[] { transportPlugin, callsPlugin }) {
				if (b != null && b.getState() != Bundle.UNINSTALLED) {
					b.uninstall();
				}
			}
			configAdmin.close();
		}
	}

	@Test
	@Order(1)
	void firstRunSetupAsksForANameOffersTheTransportsSettingsThenCreatesTheFirstCircle() throws Exception {
		ui.waitFor("setup.dialog", Shell.class, 30);
		assertFalse(node.setupComplete(), "nothing answered yet");
		assertFalse(node.transports().containsKey("gossip"), "no port is opened before the setup is answered: "
				+ node.transports());

		// Cancelled: nothing is taken as answered, the node stays unnamed and unconnected; asked again next time.
		String unnamed = node.identity().displayName();
		ui.press("setup.cancel");
		ui.waitUntil("the setup closed", () -> ui.find("setup.dialog", Shell.class) == null, 10);
		assertFalse(org.felund.ui.internal.FelundPreferenceStore.workbench()
				.getBoolean(org.felund.ui.internal.UiPreferences.SETUP_DONE), "cancel is no answer");
		assertFalse(node.setupComplete());
		assertEquals(unnamed, node.identity().displayName(), "cancel names nobody");
		UiDriver.pause(1000);
		assertFalse(node.transports().containsKey("gossip"), "still no port after cancelling: " + node.transports());
		// What the next start does: ask again.
		ui.startAsync(() -> org.felund.ui.internal.Actions.runSetup(main, node,
				ui.model().getContext().get(org.felund.ui.settings.PluginConfigurations.class), ui.model(),
				ui.model().getContext().get(org.eclipse.e4.ui.di.UISynchronize.class)));
		ui.waitFor("setup.dialog", Shell.class, 30);
		assertNull(ui.call(() -> ui.find("setup.port", Text.class)), "no transport's setting is the workbench's own");
		org.eclipse.swt.widgets.Button next = ui.waitFor("setup.next", org.eclipse.swt.widgets.Button.class, 5);
		ui.setText("setup.name", "a".repeat(41));
		ui.waitUntil("a name too long refused", () -> !next.isEnabled(), 5);
		ui.setText("setup.name", "alice");
		ui.waitUntil("a good name accepted", next::isEnabled, 5);
		ui.screenshot("setup.dialog", "setup.png");
		ui.press("setup.next");

		// The installed transports' settings, made from their metatype; optional.
		ui.waitFor("setup.connections", TabFolder.class, 10);
		List<String> tabs = ui.call(() -> java.util.Arrays.stream(ui.find("setup.connections", TabFolder.class)
				.getItems()).map(TabItem::getText).toList());
		assertTrue(tabs.contains("Sample transport"), tabs.toString());
		String port = "config." + TestPlugins.TRANSPORT_PID + ".port";
		assertEquals("7000", ui.text(port), "the metatype's default");
		ui.setText(port, "0");
		ui.waitUntil("a port below the minimum refused", () -> !next.isEnabled(), 5);
		ui.setText(port, "7001");
		ui.waitUntil("a good port accepted", next::isEnabled, 5);
		ui.press("setup.next");
		ui.setText("setup.circleName", "Book Club");
		ui.press("setup.finish");

		ui.waitFor("invite.dialog", Shell.class, 15);
		assertTrue(node.setupComplete(), "answered");
		waitUntil("gossip listening once the setup is answered", () -> node.transports().containsKey("gossip")
				&& LISTENING.matcher(node.transports().get("gossip").detail()).find(), 15);
		String code = ui.text("invite.code");
		assertTrue(code.startsWith("felund1."), code);
		ui.screenshot("invite.dialog", "invite.png");
		ui.press("invite.copy");
		assertEquals(code, ui.call(() -> {
			Clipboard clipboard = new Clipboard(ui.display());
			try {
				return (String) clipboard.getContents(TextTransfer.getInstance());
			} finally {
				clipboard.dispose();
			}
		}), "Copy puts the code on the clipboard");
		ui.press("invite.close");

		assertEquals("alice", node.identity().displayName(), "the setup named the node");
		assertEquals(Map.of("port", 7001), configuration(TestPlugins.TRANSPORT_PID),
				"the setup wrote what was changed, and only that");
		// Until a later test needs it, the product has no test plugin: the screenshots show what users see.
		transportPlugin.stop();
		bookClub = node.circles().get(0);
		assertEquals("Book Club", bookClub.name());
		assertEquals(InviteCodes.decode(code).secretHex(), InviteCodes.decode(node.inviteCode(bookClub.circleId(), null))
				.secretHex());
		ui.waitUntil("Book Club shown", () -> ui.text("chat.header").startsWith("Book Club   #general"), 10);

		send("hello from the setup test");
		ui.waitUntil("the message in the chat", () -> chatText().contains("alice (you): hello from the setup test"), 15);
		ui.waitUntil("the naming in the chat", () -> chatText().contains("\u2022 alice named the circle \u201cBook Club\u201d"),
				10);
	}

	@Test
	@Order(2)
	void mainWindowOpensWithItsPartsAndTheNodeServiceDrivesThem() throws Exception {
		activateMain();
		assertEquals("Felund", ui.call(main::getText), "main window title");
		assertTrue(ui.call(main::isVisible), "the main window must be visible");
		List<String> rendered = ui.call(() -> {
			EModelService models = ui.model().getContext().get(EModelService.class);
			List<String> ids = new ArrayList<>();
			for (String id : PART_IDS) {
				MPart part = (MPart) models.find(id, ui.model());
				if (part != null && part.getObject() != null && part.getWidget() instanceof Composite) {
					ids.add(id);
				}
			}
			return ids;
		});
		assertEquals(List.of(PART_IDS), rendered, "parts rendered in the main window");
		ui.waitUntil("the status line", () -> ui.text("status.node").equals("node " + node.identity().nodeId()), 30);
		Label nodeLabel = ui.waitFor("status.node", Label.class, 5);
		assertTrue(ui.call(() -> nodeLabel.isVisible() && nodeLabel.getSize().y > 5
				&& main.getDisplay().map(nodeLabel, main, 0, 0).y < main.getClientArea().height),
				() -> "the status line is on screen: " + ui.call(() -> nodeLabel.getBounds() + " in "
						+ main.getDisplay().map(nodeLabel, main, nodeLabel.getBounds()) + " of " + main.getClientArea()));
		// One segment per attached transport, from its own state; its detail is the tooltip.
		Label gossip = ui.waitFor("status.transport.gossip", Label.class, 30);
		ui.waitUntil("the gossip segment", () -> gossip.getText().equals(segment("gossip"))
				&& gossip.getToolTipText().equals(StatusText.tooltip("gossip", node.transports().get("gossip"))), 10);
		assertNull(ui.call(() -> ui.find("status.transport.sample", Label.class)), "no segment without a transport");

		Circle hiking = node.createCircle("Hiking").circle();
		Tree tree = ui.waitFor("circles.tree", Tree.class, 5);
		ui.waitUntil("the new circle in the tree", () -> item(tree, "Hiking") != null, 15);
		ui.run(() -> {
			TreeItem item = item(tree, "Hiking");
			tree.setSelection(item);
			org.eclipse.swt.widgets.Event select = new org.eclipse.swt.widgets.Event();
			select.item = item;
			tree.notifyListeners(SWT.Selection, select);
		});
		ui.waitUntil("the Hiking chat", () -> ui.text("chat.header").startsWith("Hiking"), 10);
		Text composer = ui.waitFor("chat.composer", Text.class, 5);
		ui.waitUntil("composer enabled", composer::isEnabled, 10);
		send("hello from the workbench test");
		ui.waitUntil("the message in the chat", () -> chatText().contains("hello from the workbench test"), 15);
		assertEquals(1, node.history(hiking.circleId(), "general", null, 10).size());
	}

	@Test
	@Order(3)
	void slashCommandsCompleteRunAndAnswerInTheChat() throws Exception {
		select(bookClub.circleId(), "general");
		ui.setText("chat.composer", "/chan");
		ui.key("chat.composer", SWT.TAB, '\t', 0);
		assertEquals("/channel", ui.text("chat.composer"), "Tab completes as far as the commands agree");
		ui.setText("chat.composer", "/channel c");
		ui.key("chat.composer", SWT.TAB, '\t', 0);
		assertEquals("/channel create ", ui.text("chat.composer"));

		ui.setText("chat.composer", "/channel create planning invite");
		ui.pressEnter("chat.composer");
		ui.waitUntil("#planning shown", () -> ui.text("chat.header").contains("#planning  \u00b7  invite only"), 10);
		Tree tree = ui.waitFor("circles.tree", Tree.class, 5);
		ui.waitUntil("#planning in the tree", () -> childLabels(tree, "Book Club").contains("#planning \u00b7 invite only"),
				10);

		ui.press("circles.newChannel");
		ui.waitFor("channel.dialog", Shell.class, 10);
		ui.setText("channel.name", "Garden");
		ui.press("channel.mode.key");
		org.eclipse.swt.widgets.Button create = ui.waitFor("channel.ok", org.eclipse.swt.widgets.Button.class, 5);
		ui.waitUntil("a key channel needs its key", () -> !create.isEnabled(), 5);
		ui.setText("channel.key", "roses");
		ui.press("channel.ok");
		ui.waitUntil("#garden shown", () -> ui.text("chat.header").contains("#garden  \u00b7  key"), 10);
		ui.waitUntil("#garden in the tree", () -> childLabels(tree, "Book Club").contains("#garden \u00b7 key"), 10);

		command("/channel switch general");
		ui.waitUntil("#general shown", () -> ui.text("chat.header").equals("Book Club   #general"), 10);
		ui.waitUntil("the system line", () -> chatText().contains("\u2022 alice created #planning (invite only)"), 10);
		command("/call start");
		ui.waitUntil("calls answer", () -> chatText().contains("Calls are not installed"), 5);
		command("/who");
		ui.waitUntil("who answers", () -> chatText().contains("\u25cf alice (you) \u2014 online"), 5);
		command("/help");
		ui.waitUntil("help answers", () -> chatText().contains("/channel create NAME [public|key KEY|invite]"), 5);
		command("/nonsense");
		ui.waitUntil("unknown command explained", () -> chatText().contains("Unknown command /nonsense"), 5);
		assertEquals("", ui.text("chat.composer"), "commands leave the composer empty");
	}

	@Test
	@Order(4)
	void keysOpenHelpSettingsAndSearchAndTheSettingsReachTheNode() throws Exception {
		MApplication app = ui.model();
		List<String> sequences = ui.call(() -> app.getBindingTables().stream().map(MBindingTable::getBindings)
				.flatMap(List::stream).map(MKeyBinding::getKeySequence).toList());
		Set<String> keys = Set.copyOf(sequences);
		assertTrue(keys.containsAll(Set.of("F1", "F2", "F3", "F4", "M1+F", "M1+M3+P")), keys.toString());
		assertEquals(keys.size(), sequences.size(), "one command per key: " + sequences);
		// GTK binds Ctrl+Shift+D and Ctrl+Shift+I to its inspector wherever the inspector's key binding is enabled.
		assertTrue(keys.stream().noneMatch(Set.of("M1+M2+D", "M1+M2+I")::contains), keys.toString());

		activateMain();
		ui.postKey(0, SWT.F1, '\0');
		ui.waitFor("help.dialog", Shell.class, 10);
		Table help = ui.waitFor("help.table", Table.class, 5);
		List<String> helpRows = ui.call(() -> java.util.Arrays.stream(help.getItems()).map(i -> i.getText(0)).toList());
		assertTrue(helpRows.containsAll(List.of("F1", "F2", "F3", "F4", "Ctrl+F", "Enter", "Shift+Enter",
				"/channel create NAME [public|key KEY|invite]")), helpRows.toString());
		assertTrue(helpRows.stream().noneMatch(r -> r.startsWith("/call")), "no calls plugin, no /call to offer");
		ui.screenshot("help.dialog", "help.png");
		ui.pressLabelled("help.dialog", "Close");

		activateMain();
		ui.postKey(0, SWT.F4, '\0');
		ui.waitUntil("F4 explains", () -> ui.find("help.dialog", Shell.class) == null
				&& anyShellSays("Calls are not installed"), 10);
		closeShellSaying("Calls are not installed");

		activateMain();
		ui.postKey(0, SWT.F3, '\0');
		ui.waitFor("settings.dialog", Shell.class, 10);
		assertEquals("alice", ui.text("settings.name"), "the page shows the node's name");
		assertNull(ui.call(() -> ui.find("settings.port", Text.class)), "no transport's setting is the workbench's own");
		assertFalse(settingsPages().contains("Sample transport"), "a stopped plugin has no page");
		ui.setText("settings.name", "Alice");
		ui.screenshot("settings.dialog", "settings.png");
		ui.press("settings.ok");
		ui.waitUntil("the node renamed", () -> "Alice".equals(node.identity().displayName()), 15);

		activateMain();
		ui.postKey(SWT.CTRL, 'f', 'f');
		ui.waitFor("search.dialog", Shell.class, 10);
		ui.setText("search.query", "setup hel");
		Table results = ui.waitFor("search.results", Table.class, 5);
		ui.waitUntil("a search result", () -> results.getItemCount() == 1, 10);
		assertTrue(ui.call(() -> results.getItem(0).getText(3)).contains("[setup]"));
		assertEquals("Book Club  #general", ui.call(() -> results.getItem(0).getText(1)));
		ui.screenshot("search.dialog", "search.png");
		ui.press("search.open");
		ui.waitUntil("the hit shown", () -> ui.text("chat.header").equals("Book Club   #general"), 10);
		ui.waitUntil("the hit selected", () -> ui.call(() -> ui.find("chat.messages", StyledText.class)
				.getSelectionText().contains("hello from the setup test")), 10);
	}

	@Test
	@Order(5)
	void aHeadlessNodeOnLoopbackJoinsAndMessagesFlowBothWays() throws Exception {
		bob = new HeadlessPeer("bob");
		select(bookClub.circleId(), "general");
		activateMain();
		ui.postKey(0, SWT.F2, '\0');
		ui.waitFor("invite.dialog", Shell.class, 10);
		Invite invite = InviteCodes.decode(ui.text("invite.code"));
		ui.press("invite.close");
		// Bob dials the workbench's gossip server where it really listens (the test binds it to a free port).
		bob.node.joinCircle(invite.secretHex(), gossipAddress());

		bob.node.send(bookClub.circleId(), "general", "hi alice, bob here");
		ui.waitUntil("bob's message in the chat", () -> chatText().contains("bob: hi alice, bob here"), 30);
		ui.waitUntil("bob's joining told by name", () -> chatText().contains("\u2022 bob joined the circle"), 30);
		UiDriver.pause(1100); // a second later, so that the screenshot reads in order (timestamps are seconds)
		send("hi bob, welcome");
		waitUntil("alice's reply at bob's", () -> bob.node.history(bookClub.circleId(), "general", null, 50).stream()
				.anyMatch(m -> m.text().equals("hi bob, welcome") && m.displayName().equals("Alice")), 30);

		Table members = ui.waitFor("members.table", Table.class, 5);
		ui.waitUntil("bob online by gossip", () -> {
			for (TableItem item : members.getItems()) {
				if (item.getText(0).equals("bob") && item.getText(1).endsWith("online")
						&& item.getText(2).contains("gossip")) {
					return true;
				}
			}
			return false;
		}, 30);
		ui.waitUntil("gossip's peers in the status line", () -> node.transports().get("gossip").peers() > 0
				&& ui.text("status.transport.gossip").equals(segment("gossip")), 30);
		UiDriver.pause(1100);
		bob.node.send(bookClub.circleId(), "general", "Did everyone get to chapter 3?");
		UiDriver.pause(1100);
		send("Almost, two pages to go. No spoilers!");
		ui.waitUntil("the conversation", () -> chatText().contains("bob: Did everyone get to chapter 3?"), 30);
		// Showing the channel afresh drops the command output of earlier tests from the view.
		select(bookClub.circleId(), "planning");
		select(bookClub.circleId(), "general");
		Path shot = ui.screenshot("main.window", "workbench.png");
		assertTrue(Files.size(shot) > 10_000, "screenshot written: " + shot);
	}

	@Test
	@Order(6)
	void joiningByPastingACodeRunsInTheBackgroundAndBringsTheHistory() throws Exception {
		Circle bobs = bob.node.createCircle("Bob's circle").circle();
		bob.node.send(bobs.circleId(), "general", "welcome to my circle");
		String code = bob.node.inviteCode(bobs.circleId(), bob.address());

		activateMain();
		ui.press("circles.join");
		ui.waitFor("join.dialog", Shell.class, 10);
		ui.setText("join.code", code);
		ui.pressLabelled("join.dialog", "OK");
		ui.waitUntil("Bob's circle shown", () -> ui.text("chat.header").startsWith("Bob's circle"), 30);
		ui.waitUntil("its history arrived", () -> chatText().contains("bob: welcome to my circle"), 30);
	}

	@Test
	@Order(7)
	void messagesWhileInTheBackgroundNotifyAndCountAsUnread() throws Exception {
		select(bookClub.circleId(), "general");
		Shell other = ui.call(() -> {
			Shell s = new Shell(ui.display());
			s.setText("another application");
			s.setBounds(900, 600, 200, 100);
			s.open();
			return s;
		});
		// A session bus nobody answers on: the desktop cannot notify, so Felund shows its own popup.
		Path noBus = Files.createTempDirectory("felund-nobus-");
		System.setProperty(org.felund.ui.internal.DesktopNotifications.BUS_PROPERTY, "unix:path=" + noBus.resolve("bus"));
		try {
			ui.activate(other);
			bob.node.send(bookClub.circleId(), "general", "are you there?");
			ui.waitFor("notification.popup", Shell.class, 30);
			org.eclipse.swt.widgets.TrayItem tray = trayItem();
			assertNotNull(tray, "the tray icon (GTK has a tray object even without a tray on screen)");
			ui.waitUntil("the tray counts it", () -> "Felund \u2014 1 unread message".equals(tray.getToolTipText()), 10);
			assertEquals("bob in Book Club #general", ui.text("notification.title"));
			assertEquals("are you there?", ui.text("notification.text"));
			ui.waitUntil("the unread count in the title", () -> main.getText().equals("Felund (1 unread)"), 10);
			Tree tree = ui.waitFor("circles.tree", Tree.class, 5);
			assertNotNull(ui.call(() -> item(tree, "Book Club (1)")), "the tree counts it");
			// A click on the notification brings the window back (and closes the notification).
			Label title = ui.waitFor("notification.title", Label.class, 5);
			ui.run(() -> title.notifyListeners(SWT.MouseUp, new org.eclipse.swt.widgets.Event()));
			ui.waitUntil("the window back", () -> ui.display().getActiveShell() == main
					&& ui.find("notification.popup", Shell.class) == null, 10);
		} finally {
			ui.run(other::dispose);
			System.clearProperty(org.felund.ui.internal.DesktopNotifications.BUS_PROPERTY);
			Files.deleteIfExists(noBus);
		}
		activateMain();
		ui.waitUntil("read once the window is back", () -> main.getText().equals("Felund"), 10);
		ui.waitUntil("the tray says so", () -> "Felund".equals(trayItem().getToolTipText()), 10);
	}

	@Test
	@Order(8)
	void scrollingBackLoadsOlderHistoryPageByPage() throws Exception {
		node.createChannel(bookClub.circleId(), "archive", org.felund.api.model.AccessMode.PUBLIC, null);
		for (int i = 0; i < 230; i++) {
			node.send(bookClub.circleId(), "archive", String.format("archived message %03d", i));
		}
		select(bookClub.circleId(), "archive");
		ui.waitUntil("the newest page", () -> count(chatText(), "archived message ") == 100, 15);
		Link older = ui.waitFor("chat.older", Link.class, 5);
		assertTrue(ui.call(older::getVisible));
		ui.run(() -> older.notifyListeners(SWT.Selection, new org.eclipse.swt.widgets.Event()));
		ui.waitUntil("the second page", () -> count(chatText(), "archived message ") == 200, 15);
		ui.run(() -> older.notifyListeners(SWT.Selection, new org.eclipse.swt.widgets.Event()));
		ui.waitUntil("all of it", () -> count(chatText(), "archived message ") == 230, 15);
		assertFalse(ui.call(older::getVisible), "nothing older to show");
		assertTrue(chatText().contains("archived message 000") && chatText().contains("archived message 229"));
	}

	@Test
	@Order(9)
	void aPluginsSettingsPageComesWithItsBundleAndWritesItsConfiguration() throws Exception {
		activateMain();
		ui.postKey(0, SWT.F3, '\0');
		Shell settings = ui.waitFor("settings.dialog", Shell.class, 10);
		assertFalse(settingsPages().contains("Sample transport"));
		transportPlugin.start();
		ui.waitUntil("the page of the started plugin", () -> settingsPages().contains("Sample transport"), 10);
		ui.run(() -> ((SettingsDialog) settings.getData()).select("plugin:" + TestPlugins.TRANSPORT_PID));
		String field = "config." + TestPlugins.TRANSPORT_PID + ".";
		assertEquals("7001", ui.text(field + "port"), "the configuration's value");
		assertEquals("", ui.text(field + "relayUrl"));
		assertEquals("Live", ui.call(() -> ui.find(field + "mode", Combo.class).getText()), "the default option");
		assertFalse(ui.call(() -> ui.find(field + "anchor", org.eclipse.swt.widgets.Button.class).getSelection()));
		assertTrue(ui.call(() -> anyShellSays("The TCP port other nodes connect to (1 to 65535).")),
				"the metatype's description");

		org.eclipse.swt.widgets.Button ok = ui.waitFor("settings.ok", org.eclipse.swt.widgets.Button.class, 5);
		ui.setText(field + "port", "70000");
		ui.waitUntil("the error shown and OK refused", () -> !ok.isEnabled()
				&& anyShellSays("Listen port: \u201c70000\u201d is more than the largest value allowed"), 5);
		ui.setText(field + "servers", "a:1\nb:2\nc:3\nd:4\ne:5\nf:6");
		ui.setText(field + "port", "7002");
		ui.waitUntil("the next error", () -> !ok.isEnabled() && anyShellSays("Servers: at most 5 values, one per line"),
				5);
		assertEquals(Map.of("port", 7001), configuration(TestPlugins.TRANSPORT_PID), "nothing written meanwhile");
		ui.setText(field + "servers", "relay-a.example:9999\n\nrelay-b.example:9999");
		ui.run(() -> {
			org.eclipse.swt.widgets.Button anchor = ui.find(field + "anchor", org.eclipse.swt.widgets.Button.class);
			anchor.setSelection(true);
			anchor.notifyListeners(SWT.Selection, new org.eclipse.swt.widgets.Event());
		});
		ui.waitUntil("OK allowed again", ok::isEnabled, 5);
		ui.screenshot("settings.dialog", "settings-plugin.png");
		ui.press("settings.ok");
		ui.waitUntil("the settings closed", () -> ui.find("settings.dialog", Shell.class) == null, 10);
		Map<String, Object> saved = configuration(TestPlugins.TRANSPORT_PID);
		assertEquals(Set.of("port", "anchor", "servers"), saved.keySet(), "untouched defaults stay unwritten");
		assertEquals(7002, saved.get("port"), "typed as the metatype says");
		assertEquals(Boolean.TRUE, saved.get("anchor"));
		assertEquals(List.of("relay-a.example:9999", "relay-b.example:9999"),
				List.of((String[]) saved.get("servers")));

		// The plugin stops while the dialog shows its page: the page goes, and comes back with the plugin.
		activateMain();
		ui.postKey(0, SWT.F3, '\0');
		Shell again = ui.waitFor("settings.dialog", Shell.class, 10);
		ui.run(() -> ((SettingsDialog) again.getData()).select("plugin:" + TestPlugins.TRANSPORT_PID));
		transportPlugin.stop();
		ui.waitUntil("the page gone with its plugin", () -> !settingsPages().contains("Sample transport"), 10);
		ui.waitUntil("its fields gone", () -> ui.find(field + "port", Text.class) == null, 10);
		transportPlugin.start();
		ui.waitUntil("the page back", () -> settingsPages().contains("Sample transport"), 10);
		ui.press("settings.cancel");
		ui.waitUntil("the settings closed", () -> ui.find("settings.dialog", Shell.class) == null, 10);
	}

	@Test
	@Order(10)
	void aTransportsStatusSegmentComesAndGoesWithItsService() throws Exception {
		if (transportPlugin.getState() != Bundle.ACTIVE) {
			transportPlugin.start();
		}
		SampleTransport sample = new SampleTransport(
				new TransportState(TransportState.Mode.LIVE, 2, "two test peers on loopback", "sample(2)"));
		// Registered by the plugin's bundle, so that stopping the bundle takes the service away, as for any plugin.
		transportPlugin.getBundleContext().registerService(Transport.class, sample, null);
		Label segment = ui.waitFor("status.transport.sample", Label.class, 15);
		ui.waitUntil("the transport's own label", () -> segment.getText().equals("sample(2)")
				&& segment.getToolTipText().equals("two test peers on loopback"), 10);
		sample.report(new TransportState(TransportState.Mode.POLL, 3, "polling", "sample(3)"));
		ui.waitUntil("the new state", () -> segment.getText().equals("sample(3)")
				&& segment.getToolTipText().equals("polling"), 10);
		sample.report(new TransportState(TransportState.Mode.OFFLINE, 0, "", ""));
		ui.waitUntil("a default when it gives no label", () -> segment.getText().equals("sample offline"), 10);
		assertTrue(ui.call(() -> ui.find("status.transport.gossip", Label.class) != null), "the others stay");

		transportPlugin.stop();
		ui.waitUntil("the segment gone with the transport", () -> ui.find("status.transport.sample", Label.class) == null,
				15);
		assertFalse(node.transports().containsKey("sample"));
	}

	@Test
	@Order(11)
	void aPluginsModelFragmentAddsAPartCommandsKeysAndASegmentAndTakesThemAway() throws Exception {
		int ringsBefore = SampleRingHandler.RUNS.get();
		callsPlugin = TestPlugins.installCalls(bundles);
		callsPlugin.start();
		EModelService models = ui.call(() -> ui.model().getContext().get(EModelService.class));
		ui.waitUntil("the part beside the chat", () -> models.find(TestPlugins.CALLS_PART, ui.model()) instanceof MPart p
				&& p.getParent() != null && p.getParent().isToBeRendered() && p.getParent().getWidget() != null, 15);
		ui.waitFor("sample.calls.status", Label.class, 10);
		assertTrue(ui.call(() -> inModel("org.felund.ui.tests.calls.menuitem.ring")), "its menu item");
		// The plugin's own command on its own key.
		activateMain();
		ui.postKey(0, SWT.F7, '\0');
		waitUntil("F7 runs the plugin's command", () -> SampleRingHandler.RUNS.get() == ringsBefore + 1, 10);
		// F4: the plugin's handler of the workbench's calls command wins over "not installed".
		int callsBefore = SampleCallsHandler.RUNS.get();
		activateMain();
		ui.postKey(0, SWT.F4, '\0');
		waitUntil("F4 runs the plugin's handler", () -> SampleCallsHandler.RUNS.get() == callsBefore + 1, 10);
		Label part = ui.waitFor("sample.calls.part", Label.class, 10);
		assertTrue(ui.call(part::isVisible), "the plugin's part is shown");
		assertFalse(ui.call(() -> anyShellSays("Calls are not installed")));
		// /call goes to the plugin's slash command while it is registered.
		List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
		callsPlugin.getBundleContext().registerService(ChatCommand.class, callCommand(asked), null);
		select(bookClub.circleId(), "general");
		command("/call start");
		ui.waitUntil("the plugin answers", () -> chatText().contains("Calling #general\u2026"), 10);
		assertEquals(List.of("start"), asked);

		callsPlugin.stop();
		ui.waitUntil("everything it added gone", () -> models.find(TestPlugins.CALLS_PART, ui.model()) == null
				&& !inModel("org.felund.ui.tests.calls.menuitem.ring") && !inModel("org.felund.ui.tests.calls.status")
				&& !inModel("org.felund.ui.tests.calls.command.ring") && !inModel("org.felund.ui.tests.calls.binding.ring")
				&& !inModel("org.felund.ui.tests.calls.handler.calls")
				&& ui.find("sample.calls.status", Label.class) == null
				&& !models.find(PluginsAddon.SIDE_STACK, ui.model()).isToBeRendered(), 15);
		activateMain();
		ui.postKey(0, SWT.F7, '\0');
		ui.postKey(0, SWT.F4, '\0');
		ui.waitUntil("F4 explains again", () -> anyShellSays("Calls are not installed"), 10);
		closeShellSaying("Calls are not installed");
		assertEquals(ringsBefore + 1, SampleRingHandler.RUNS.get(), "F7 went with the plugin");
		assertEquals(callsBefore + 1, SampleCallsHandler.RUNS.get());
		command("/call start");
		ui.waitUntil("/call explains again", () -> chatText().contains(SlashCommands.CALLS_NOT_INSTALLED), 10);
		callsPlugin.uninstall();
	}

	@Test
	@Order(12)
	void stoppingARealTransportBundleTakesItsSegmentAndItsViaEntriesAway() throws Exception {
		Bundle gossipBundle = java.util.Arrays.stream(bundles.getBundles())
				.filter(b -> "org.felund.transport.gossip".equals(b.getSymbolicName())).findFirst().orElseThrow();
		select(bookClub.circleId(), "general");
		Table members = ui.waitFor("members.table", Table.class, 5);
		ui.waitUntil("bob reached by gossip", () -> via(members, "bob").contains("gossip"), 30);
		gossipBundle.stop();
		try {
			ui.waitUntil("the gossip segment gone", () -> ui.find("status.transport.gossip", Label.class) == null, 15);
			ui.waitUntil("bob no longer via gossip", () -> !via(members, "bob").contains("gossip"), 15);
		} finally {
			gossipBundle.start();
		}
		ui.waitFor("status.transport.gossip", Label.class, 30);
	}

	@Test
	@Order(13)
	void quickSendsAndABurstReadInTheOrderTheyWereWrittenAndStaySoAfterAReload() throws Exception {
		Circle burst = node.createCircle("Burst").circle();
		select(burst.circleId(), "general");
		activateMain();
		for (int i = 1; i <= 20; i++) {
			command("quick " + i); // as fast as Enter can be pressed: many within one second
		}
		ui.waitUntil("20 quick lines", () -> count(chatText(), ": quick ") == 20, 20);
		assertEquals(numbered("quick ", 20), linesWith(chatText(), "quick "), "the window reads as typed");
		// 300 lines as `send --stdin` writes them: one after another from outside the UI thread.
		Thread stdin = new Thread(() -> {
			for (int i = 1; i <= 300; i++) {
				node.send(burst.circleId(), "general", "line " + i);
			}
		});
		stdin.start();
		stdin.join(60_000);
		// The window may reload while the burst arrives (it then shows the newest page and appends the rest), so
		// what it shows is any unbroken tail of the 300 lines that ends with the last one.
		ui.waitUntil("the burst's last line", () -> {
			List<String> lines = linesWith(chatText(), "line ");
			return !lines.isEmpty() && lines.get(lines.size() - 1).equals("line 300");
		}, 60);
		List<String> shown = linesWith(chatText(), "line ");
		assertTrue(shown.size() >= 100, "at least a page (100) is shown: " + shown.size());
		assertEquals(numbered("line ", 300).subList(300 - shown.size(), 300), shown, "arrivals read in order");
		// Shown afresh from the store (as after a restart): the newest page, then the older ones, in order.
		select(bookClub.circleId(), "general");
		select(burst.circleId(), "general");
		List<String> page = linesWith(chatText(), "line ");
		assertEquals(numbered("line ", 300).subList(300 - page.size(), 300), page, "history reads in order");
		List<String> stored = new ArrayList<>();
		org.felund.api.store.SyncKey before = null;
		for (int i = 0; i < 10; i++) {
			List<org.felund.api.model.ChatMessage> p = node.history(burst.circleId(), "general", before, 70);
			if (p.isEmpty()) {
				break;
			}
			p.forEach(m -> stored.add(0, m.text()));
			before = new org.felund.api.store.SyncKey(p.get(p.size() - 1).createdTs(), p.get(p.size() - 1).msgId());
		}
		List<String> expected = new ArrayList<>(numbered("quick ", 20));
		expected.addAll(numbered("line ", 300));
		assertEquals(expected, stored, "the node's history pages (what inbox --json prints) in order");
	}

	@Test
	@Order(14)
	void enterInTheCompletionPopupKeepsTheArgumentsAndTheComposerHasTheFocusWhenAChannelIsShown() throws Exception {
		select(bookClub.circleId(), "general");
		activateMain();
		Text composer = ui.waitFor("chat.composer", Text.class, 5);
		ui.waitUntil("the composer has the focus when a channel is shown",
				() -> ui.display().getFocusControl() == composer, 10);
		ui.run(() -> {
			composer.setText("/channel create book-notes");
			composer.setSelection(composer.getCharCount());
		});
		int shellsBefore = ui.call(() -> ui.display().getShells().length);
		ui.postKey(SWT.CTRL, ' ', ' '); // the completion popup, as Ctrl+Space opens it
		ui.waitUntil("the completion popup", () -> ui.display().getShells().length > shellsBefore, 10);
		// Enter as the composer's key listeners get it (the popup takes keys through them; without a window manager
		// a posted key would go to whatever window is under the pointer).
		ui.pressEnter("chat.composer");
		ui.waitUntil("#book-notes created and shown", () -> ui.text("chat.header").contains("#book-notes"), 10);
		assertTrue(node.channels(bookClub.circleId()).stream().anyMatch(c -> c.channelId().equals("book-notes")));
		ui.waitUntil("after creating a channel, typing goes to its composer",
				() -> ui.display().getFocusControl() == composer && composer.isEnabled(), 10);
		assertEquals("", ui.text("chat.composer"));
	}

	@Test
	@Order(15)
	void draftsStayWithTheirChannelAndQuitWarnsAboutThem() throws Exception {
		select(bookClub.circleId(), "general");
		ui.setText("chat.composer", "half a thought");
		select(bookClub.circleId(), "book-notes");
		assertEquals("", ui.text("chat.composer"), "another channel, another composer");
		select(bookClub.circleId(), "general");
		assertEquals("half a thought", ui.text("chat.composer"), "the draft comes back with its channel");
		String saved = org.felund.ui.internal.UiPreferences.instance().node(org.felund.ui.internal.UiPreferences.DRAFTS_NODE)
				.get(bookClub.circleId() + "/general", "");
		assertEquals("half a thought", saved, "kept for the next start");
		activateMain();
		ui.postKey(SWT.CTRL, 'q', 'q');
		ui.waitFor("quit.dialog", Shell.class, 10);
		ui.pressLabelled("quit.dialog", "Cancel");
		ui.waitUntil("the quit question closed", () -> ui.find("quit.dialog", Shell.class) == null, 10);
		assertTrue(ui.call(() -> !main.isDisposed() && main.isVisible()), "Cancel keeps Felund running");
		ui.setText("chat.composer", "");
		// The window's place is kept for the next start, and only used while it is on a screen.
		org.felund.ui.internal.WindowMemory memory = new org.felund.ui.internal.WindowMemory(
				org.eclipse.core.runtime.preferences.InstanceScope.INSTANCE.getNode("org.felund.ui.tests.window"));
		org.eclipse.swt.graphics.Rectangle before = ui.call(main::getBounds);
		ui.run(() -> memory.save(main, new org.felund.ui.internal.ChannelRef(bookClub.circleId(), "book-notes")));
		org.eclipse.swt.graphics.Rectangle moved = new org.eclipse.swt.graphics.Rectangle(before.x + 30, before.y + 20,
				before.width - 100, before.height - 60);
		ui.run(() -> main.setBounds(moved));
		// GTK applies a size when the X server confirms it: restoring before that would look like no change to it.
		ui.waitUntil("the window shrunk", () -> main.getSize().x == moved.width && main.getSize().y == moved.height, 10);
		ui.run(() -> memory.restore(main));
		ui.waitUntil("the window back in its saved place", () -> before.equals(main.getBounds()), 10);
		assertEquals(before, ui.call(main::getBounds));
		assertEquals(new org.felund.ui.internal.ChannelRef(bookClub.circleId(), "book-notes"), memory.shown());
	}

	@Test
	@Order(16)
	void leavingTheCircleShownShowsAnotherAndItsComposerSends() throws Exception {
		Circle temp = node.createCircle("Passing through").circle();
		select(temp.circleId(), "general");
		command("/circle leave");
		Shell confirm = ui.waitFor("felund.confirm", Shell.class, 10);
		assertEquals("Cancel", ui.call(() -> confirm.getDefaultButton().getText()), "Enter does not leave");
		ui.pressLabelled("felund.confirm", "OK");
		ui.waitUntil("another circle shown", () -> !ui.text("chat.header").startsWith("Passing through")
				&& ui.text("chat.header").contains("   #"), 10);
		assertTrue(node.circle(temp.circleId()).isEmpty());
		command("still here");
		ui.waitUntil("sent in the circle now shown", () -> chatText().contains(": still here"), 10);
		assertFalse(chatText().contains("Not sent"), chatText());
	}

	@Test
	@Order(17)
	void aJoinNobodyAnswersSaysWhyAndOffersRetry() throws Exception {
		// Carol is up, but the address in her invite resets every connection until the test opens it.
		try (HeadlessPeer carol = new HeadlessPeer("carol"); Door door = new Door(carol.gossip.boundPort())) {
			Circle theirs = carol.node.createCircle("Carol's").circle();
			carol.node.send(theirs.circleId(), "general", "hello from carol");
			String code = carol.node.inviteCode(theirs.circleId(), door.address());
			select(bookClub.circleId(), "general");
			command("/join " + code);
			// While nobody answers: the circle is named as joining, never by its hex id, and the chat tells the progress.
			String joining = "Joining a circle\u2026 (" + theirs.circleId().substring(0, 6) + ")";
			Tree tree = ui.waitFor("circles.tree", Tree.class, 5);
			ui.waitUntil("the joining circle in the tree", () -> item(tree, joining) != null, 15);
			ui.waitUntil("the chat tells the progress", () -> chatText().contains("Joining\u2026 waiting for a member")
					&& chatText().contains("Trying " + door.address()), 15);
			Shell unreached = ui.waitFor("join.unreached", Shell.class, 30);
			assertTrue(ui.call(() -> says(unreached, "Nobody in the circle answered")), "the reason is shown");
			assertTrue(ui.call(() -> says(unreached, door.address() + " (gossip): ")), "whom it tried, by what, and why");
			assertTrue(ui.call(() -> buttonLabels(unreached).containsAll(List.of("Retry", "Close"))));
			ui.screenshot("join.unreached", "join-unreached.png");
			// Carol can be reached now; Retry tries her at once (not after the back-off of failed dials).
			door.open();
			ui.pressLabelled("join.unreached", "Retry");
			ui.waitUntil("joined for real", () -> ui.text("chat.header").startsWith("Carol's"), 30);
			ui.waitUntil("her history", () -> chatText().contains("carol: hello from carol"), 30);
			assertNull(ui.call(() -> ui.find("join.unreached", Shell.class)), "no failure once she answered");
			ui.waitUntil("named in the tree", () -> item(tree, "Carol's") != null, 10);
			node.leaveCircle(theirs.circleId());
		}
	}

	@Test
	@Order(18)
	void aSecondLaunchOnTheHomeBringsTheWindowForwardAndJoinsTheCodeItWasGiven() throws Exception {
		ui.run(() -> main.setMinimized(true));
		ui.waitUntil("minimized", main::getMinimized, 10);
		Path home = Path.of(System.getProperty("felund.home"));
		String code;
		HeadlessPeer dave = new HeadlessPeer("dave");
		try {
			Circle theirs = dave.node.createCircle("Dave's").circle();
			code = dave.node.inviteCode(theirs.circleId(), dave.address());
			// What the product's second launch does before it would meet the locked workspace.
			assertTrue(org.felund.ui.internal.SingleInstance.forward(home, List.of(code)), "the running window took it");
			ui.waitUntil("the window forward", () -> !main.getMinimized() && main.isVisible(), 10);
			ui.waitUntil("the circle joined", () -> node.circle(theirs.circleId()).isPresent(), 20);
			ui.waitUntil("and shown", () -> ui.text("chat.header").startsWith("Dave's"), 30);
		} finally {
			dave.close();
		}
	}

	@Test
	@Order(19)
	void theDesktopsNotificationsAreUsedWhereTheSessionBusHasAServerAndAClickBringsTheChannel() throws Exception {
		Path dir = Files.createTempDirectory("felund-dbus-");
		Process bus = new ProcessBuilder("dbus-daemon", "--session", "--nofork", "--print-address=1",
				"--address=unix:path=" + dir.resolve("bus")).redirectError(ProcessBuilder.Redirect.DISCARD).start();
		Process server = null;
		Shell other = null;
		try {
			java.io.BufferedReader busOut = new java.io.BufferedReader(
					new java.io.InputStreamReader(bus.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
			String address = busOut.readLine();
			assertNotNull(address, "dbus-daemon printed its address");
			Path script = dir.resolve("notifications.py");
			Files.writeString(script, FAKE_NOTIFICATION_SERVER);
			ProcessBuilder pb = new ProcessBuilder("/usr/bin/python3", script.toString())
					.redirectError(ProcessBuilder.Redirect.INHERIT);
			pb.environment().put("DBUS_SESSION_BUS_ADDRESS", address.strip());
			server = pb.start();
			java.io.BufferedReader notified = new java.io.BufferedReader(
					new java.io.InputStreamReader(server.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
			assertEquals("ready", notified.readLine(), "the test's notification server owns its name");
			System.setProperty(org.felund.ui.internal.DesktopNotifications.BUS_PROPERTY, address.strip());

			select(bookClub.circleId(), "planning");
			other = ui.call(() -> {
				Shell s = new Shell(ui.display());
				s.setText("another application");
				s.setBounds(900, 600, 200, 100);
				s.open();
				return s;
			});
			ui.activate(other);
			bob.node.send(bookClub.circleId(), "general", "ping over the bus");
			java.util.concurrent.CompletableFuture<String> line = java.util.concurrent.CompletableFuture
					.supplyAsync(() -> {
						try {
							return notified.readLine();
						} catch (java.io.IOException e) {
							throw new java.io.UncheckedIOException(e);
						}
					});
			String call = line.get(30, TimeUnit.SECONDS); // id \t app \t summary \t body \t actions
			String[] fields = call.split("\t", -1);
			assertEquals(List.of("Felund", "bob in Book Club #general", "ping over the bus"),
					List.of(fields[1], fields[2], fields[3]), call);
			assertTrue(fields[4].contains("default"), "a click is an action: " + call);
			assertNull(ui.call(() -> ui.find("notification.popup", Shell.class)), "no popup of our own beside it");
			// The person clicks it: the desktop sends ActionInvoked; Felund shows the channel, in front.
			server.getOutputStream().write(("click " + fields[0] + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
			server.getOutputStream().flush();
			ui.waitUntil("the channel shown, in front", () -> ui.text("chat.header").startsWith("Book Club   #general")
					&& ui.display().getActiveShell() == main, 15);
		} finally {
			System.clearProperty(org.felund.ui.internal.DesktopNotifications.BUS_PROPERTY);
			if (other != null) {
				Shell o = other;
				ui.run(o::dispose);
			}
			if (server != null) {
				server.destroy();
				server.waitFor(5, TimeUnit.SECONDS);
			}
			bus.destroy();
			bus.waitFor(5, TimeUnit.SECONDS);
			try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
				files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
			}
		}
		activateMain();
	}

	/**
	 * A freedesktop notification server for the test's private session bus (python3-dbus): prints each Notify as a line
	 * (id, app, summary, body, actions; tab-separated), and sends ActionInvoked for "click ID" read from stdin.
	 */
	private static final String FAKE_NOTIFICATION_SERVER = """
			import sys, threading
			import dbus, dbus.service, dbus.mainloop.glib
			from gi.repository import GLib
			dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
			IFACE = 'org.freedesktop.Notifications'
			class Server(dbus.service.Object):
			    def __init__(self, bus):
			        super().__init__(bus, '/org/freedesktop/Notifications')
			        self.last = 0
			    @dbus.service.method(IFACE, in_signature='susssasa{sv}i', out_signature='u')
			    def Notify(self, app, replaces, icon, summary, body, actions, hints, timeout):
			        self.last += 1
			        print('\t'.join([str(self.last), app, summary, body, ','.join(actions)]), flush=True)
			        return self.last
			    @dbus.service.method(IFACE, in_signature='', out_signature='as')
			    def GetCapabilities(self):
			        return ['actions', 'body']
			    @dbus.service.method(IFACE, in_signature='', out_signature='ssss')
			    def GetServerInformation(self):
			        return ('felund-test', 'felund', '1', '1.2')
			    @dbus.service.method(IFACE, in_signature='u', out_signature='')
			    def CloseNotification(self, id):
			        self.NotificationClosed(id, 3)
			    @dbus.service.signal(IFACE, signature='us')
			    def ActionInvoked(self, id, key):
			        pass
			    @dbus.service.signal(IFACE, signature='uu')
			    def NotificationClosed(self, id, reason):
			        pass
			bus = dbus.SessionBus()
			name = dbus.service.BusName(IFACE, bus)
			server = Server(bus)
			loop = GLib.MainLoop()
			def commands():
			    for line in sys.stdin:
			        words = line.split()
			        if len(words) == 2 and words[0] == 'click':
			            GLib.idle_add(lambda i=int(words[1]): server.ActionInvoked(i, 'default') and False)
			    GLib.idle_add(loop.quit)
			threading.Thread(target=commands, daemon=True).start()
			print('ready', flush=True)
			loop.run()
			""";

	@Test
	@Order(20)
	void eachCircleAndChannelKeepsAllHistoryUnlessAChoiceInTheSettingsLimitsIt() throws Exception {
		assertTrue(node.retention(bookClub.circleId(), null).isEmpty(), "everything kept by default");
		activateMain();
		ui.startAsync(() -> org.felund.ui.internal.Actions.showSettings(main, node,
				ui.model().getContext().get(org.felund.ui.settings.PluginConfigurations.class), ui.model(), "history",
				bookClub.circleId(), null));
		ui.waitFor("settings.dialog", Shell.class, 10);
		ui.waitFor("history.tree", Tree.class, 5);
		assertTrue(ui.call(() -> ui.find("history.inherit", org.eclipse.swt.widgets.Button.class).getSelection()),
				"Book Club keeps everything");
		assertTrue(ui.text("history.summary").contains("keeps all its messages"), ui.text("history.summary"));
		click("history.own");
		click("history.byCount");
		ui.run(() -> {
			org.eclipse.swt.widgets.Spinner count = ui.find("history.count", org.eclipse.swt.widgets.Spinner.class);
			count.setSelection(500);
			count.notifyListeners(SWT.Modify, new org.eclipse.swt.widgets.Event());
		});
		assertTrue(ui.text("history.summary").contains("500"), ui.text("history.summary"));
		ui.screenshot("settings.dialog", "settings-history.png");
		ui.press("settings.ok");
		ui.waitUntil("closed", () -> ui.find("settings.dialog", Shell.class) == null, 10);
		assertEquals(java.util.Optional.of(new org.felund.api.node.Retention(0, 500)),
				node.retention(bookClub.circleId(), null), "the circle's choice reached the node");
		assertTrue(node.retention(bookClub.circleId(), "general").isEmpty(), "its channels follow it");

		// Back to everything.
		ui.startAsync(() -> org.felund.ui.internal.Actions.showSettings(main, node,
				ui.model().getContext().get(org.felund.ui.settings.PluginConfigurations.class), ui.model(), "history",
				bookClub.circleId(), null));
		ui.waitFor("history.tree", Tree.class, 10);
		assertTrue(ui.call(() -> ui.find("history.own", org.eclipse.swt.widgets.Button.class).getSelection()));
		click("history.inherit");
		ui.press("settings.ok");
		ui.waitUntil("closed", () -> ui.find("settings.dialog", Shell.class) == null, 10);
		assertTrue(node.retention(bookClub.circleId(), null).isEmpty(), "everything kept again");
	}

	@Test
	@Order(21)
	void theDarkThemeComesThroughCssThemingAndFollowsTheSystemPreference() throws Exception {
		StyledText chat = ui.waitFor("chat.messages", StyledText.class, 5);
		assertFalse(dark(ui.call(() -> chat.getBackground().getRGB())), "light to begin with");
		System.setProperty("felund.systemTheme", "dark");
		try {
			// "As the system prefers" (the default) with a desktop that prefers dark.
			ui.run(() -> org.felund.ui.internal.Theme.apply(ui.model().getContext(), org.felund.ui.internal.Theme.SYSTEM));
			ui.waitUntil("dark", () -> Boolean.TRUE.equals(ui.model().getContext()
					.get(org.felund.ui.internal.Theme.DARK_KEY)) && dark(chat.getBackground().getRGB()), 10);
			Tree tree = ui.waitFor("circles.tree", Tree.class, 5);
			assertTrue(ui.call(() -> dark(tree.getBackground().getRGB())), "the CSS theme styles the parts too");
			ui.screenshot("main.window", "workbench-dark.png");
			// Chosen in Settings ▸ Appearance: light, whatever the system prefers.
			ui.startAsync(() -> org.felund.ui.internal.Actions.showSettings(main, node,
					ui.model().getContext().get(org.felund.ui.settings.PluginConfigurations.class), ui.model(),
					"appearance", null, null));
			ui.waitFor("settings.dialog", Shell.class, 10);
			ui.pressLabelled("settings.dialog", "Light");
			ui.press("settings.ok");
			ui.waitUntil("light again", () -> !dark(chat.getBackground().getRGB()), 10);
			assertEquals("light", org.felund.ui.internal.FelundPreferenceStore.workbench()
					.getString(org.felund.ui.internal.Theme.PREFERENCE));
		} finally {
			System.clearProperty("felund.systemTheme");
			org.felund.ui.internal.FelundPreferenceStore.workbench().setValue(org.felund.ui.internal.Theme.PREFERENCE,
					org.felund.ui.internal.Theme.SYSTEM);
		}
	}

	@Test
	@Order(22)
	void aMessageWrittenWhileNobodyIsThereShowsSentThenDeliveredWithItsPathWhenASecondNodeArrives() throws Exception {
		Circle trip = node.createCircle("Road trip").circle();
		select(trip.circleId(), "general");
		activateMain();
		send("Who is in for the coast this weekend?");
		String asked = "Alice (you): Who is in for the coast this weekend?";
		ui.waitUntil("the message marked sent", () -> chatText().contains(asked + "  \u25cb\n"), 10);
		UiDriver.pause(1500); // nobody is there: it stays sent
		assertTrue(chatText().contains(asked + "  \u25cb\n"), chatText());
		assertEquals(org.felund.api.model.Delivery.Status.SENT, node.deliveries(trip.circleId(),
				node.history(trip.circleId(), "general", null, 5).stream().map(m -> m.msgId()).toList()).values()
				.iterator().next().status());
		StyledText chat = ui.waitFor("chat.messages", StyledText.class, 5);
		assertTrue(hoverAt(chat, asked).startsWith("\u25cb Sent: no peer, anchor or relay has accepted it yet."));

		// A second real node joins over loopback gossip and syncs: the mark turns to delivered as it is told.
		HeadlessPeer carol = new HeadlessPeer("carol");
		boolean carolOnline = true;
		try {
			Invite invite = InviteCodes.decode(node.inviteCode(trip.circleId(), gossipAddress()));
			carol.node.joinCircle(invite.secretHex(), gossipAddress());
			ui.waitUntil("the message marked delivered", () -> chatText().contains(asked + "  \u2713\n"), 30);
			String carolsId = carol.node.identity().nodeId();
			String hop = "gossip \u2192 " + carolsId.substring(0, 8) + " (direct) carol";
			assertTrue(hoverAt(chat, asked).startsWith("\u2713 Delivered. Path:\n" + hop), hoverAt(chat, asked));

			// The keyboard shows the paths (Ctrl+Alt+P, through the workbench's key bindings) and hides them.
			assertTrue(ui.call(() -> ui.model().getBindingTables().stream().flatMap(t -> t.getBindings().stream())
					.anyMatch(b -> b.getKeySequence().equals("M1+M3+P")
							&& b.getCommand().getElementId().equals("org.felund.ui.command.paths"))));
			hoverAway(chat);
			activateMain();
			ui.postKey(SWT.CTRL | SWT.ALT, 'p', 'p');
			ui.waitUntil("Ctrl+Alt+P handled", () -> Boolean.TRUE.equals(ui.model().getContext()
					.get(org.felund.ui.internal.MessagePaths.KEY)), 10);
			UiDriver.pause(500);
			assertTrue(chatText().contains(asked + "  \u2713\n" + "        \u21b3 delivered: " + hop), chatText());
			assertTrue(ui.call(() -> pathsMenuItem().isSelected()), "View \u25b8 Show message paths is checked");
			carol.node.send(trip.circleId(), "general", "Me! I'll bring the tent.");
			ui.waitUntil("carol's answer", () -> chatText().contains("carol: Me! I'll bring the tent."), 30);
			UiDriver.pause(1100);
			send("Great, see you Saturday");
			ui.waitUntil("the reply delivered", () -> chatText().contains("Alice (you): Great, see you Saturday  \u2713\n"
					+ "        \u21b3 delivered: " + hop), 30);
			assertFalse(chatText().contains("carol: Me! I'll bring the tent.  "), "others' messages carry no mark");
			assertEquals("null", hoverAt(chat, "carol: Me! I'll bring the tent."), "nor a delivery tooltip");
			// Carol goes offline: what is written now waits, marked sent.
			carol.close();
			carolOnline = false;
			UiDriver.pause(1100);
			send("Leaving at 8, text me if you are late");
			String waiting = "Alice (you): Leaving at 8, text me if you are late  \u25cb\n"
					+ "        \u21b3 sent: no peer, anchor or relay has it yet\n";
			ui.waitUntil("the last message marked sent", () -> chatText().contains(waiting), 10);
			UiDriver.pause(1500);
			assertTrue(chatText().contains(waiting), chatText());
			hoverAway(chat);
			ui.screenshot("main.window", "delivery.png");

			// Dark: the marks and the path read on the dark chat background.
			System.setProperty("felund.systemTheme", "dark");
			try {
				ui.run(() -> org.felund.ui.internal.Theme.apply(ui.model().getContext(), org.felund.ui.internal.Theme.SYSTEM));
				ui.waitUntil("dark", () -> dark(chat.getBackground().getRGB()), 10);
				ui.waitUntil("the chat's own colours dark too", () -> contrastOfMarks(chat) >= 4.5, 10);
				ui.screenshot("main.window", "delivery-dark.png");
			} finally {
				System.clearProperty("felund.systemTheme");
				ui.run(() -> org.felund.ui.internal.Theme.apply(ui.model().getContext(), org.felund.ui.internal.Theme.SYSTEM));
			}
			ui.waitUntil("light again", () -> !dark(chat.getBackground().getRGB()) && contrastOfMarks(chat) >= 4.5, 10);

			hoverAway(chat);
			activateMain();
			ui.postKey(SWT.CTRL | SWT.ALT, 'p', 'p');
			ui.waitUntil("the paths hidden again", () -> !chatText().contains("\u21b3"), 10);
			assertFalse(ui.call(() -> pathsMenuItem().isSelected()));
			assertTrue(chatText().contains(asked + "  \u2713\n"), chatText());
		} finally {
			if (carolOnline) {
				carol.close();
			}
		}
	}

	/** The tooltip the chat shows with the mouse over the end of a line (UI thread). */
	private String hoverAt(StyledText chat, String line) {
		return ui.call(() -> {
			int offset = chat.getText().indexOf(line);
			assertTrue(offset >= 0, line + " not shown");
			org.eclipse.swt.graphics.Point p = chat.getLocationAtOffset(offset + line.length() - 1);
			org.eclipse.swt.widgets.Event move = new org.eclipse.swt.widgets.Event();
			move.x = p.x + 1;
			move.y = p.y + chat.getLineHeight() / 2;
			chat.notifyListeners(SWT.MouseMove, move);
			return String.valueOf(chat.getToolTipText());
		});
	}

	/** The mouse over the day line: no tooltip (a tooltip shown stays out of the screenshots and the keys' way). */
	private void hoverAway(StyledText chat) {
		ui.run(() -> {
			org.eclipse.swt.widgets.Event move = new org.eclipse.swt.widgets.Event();
			move.x = chat.getLocationAtOffset(0).x + 2;
			move.y = chat.getLocationAtOffset(0).y + chat.getLineHeight() / 2;
			chat.notifyListeners(SWT.MouseMove, move);
			assertNull(chat.getToolTipText());
		});
	}

	/** The weakest contrast of a delivery mark's colour with the chat's background as painted (UI thread). */
	private static double contrastOfMarks(StyledText chat) {
		double weakest = Double.MAX_VALUE;
		boolean any = false;
		for (org.eclipse.swt.custom.StyleRange r : chat.getStyleRanges()) {
			String shown = chat.getText(r.start, r.start + r.length - 1);
			if (r.foreground != null && (shown.equals("\u2713") || shown.equals("\u25cb") || shown.startsWith("\u21b3"))) {
				any = true;
				weakest = Math.min(weakest, contrast(r.foreground.getRGB(), chat.getBackground().getRGB()));
			}
		}
		return any ? weakest : 0;
	}

	private static double contrast(org.eclipse.swt.graphics.RGB a, org.eclipse.swt.graphics.RGB b) {
		double la = luminance(a);
		double lb = luminance(b);
		return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
	}

	private static double luminance(org.eclipse.swt.graphics.RGB c) {
		double[] v = { c.red / 255.0, c.green / 255.0, c.blue / 255.0 };
		for (int i = 0; i < 3; i++) {
			v[i] = v[i] <= 0.04045 ? v[i] / 12.92 : Math.pow((v[i] + 0.055) / 1.055, 2.4);
		}
		return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
	}

	private org.eclipse.e4.ui.model.application.ui.menu.MMenuItem pathsMenuItem() {
		return ui.model().getContext().get(EModelService.class).findElements(mainWindow(),
				org.felund.ui.internal.MessagePaths.MENU_ITEM, org.eclipse.e4.ui.model.application.ui.menu.MMenuItem.class,
				null, EModelService.IN_MAIN_MENU).get(0);
	}

	private static boolean dark(org.eclipse.swt.graphics.RGB rgb) {
		return 0.299 * rgb.red + 0.587 * rgb.green + 0.114 * rgb.blue < 110;
	}

	/** Selects a radio button or check box as a click does. */
	private void click(String id) {
		ui.run(() -> {
			org.eclipse.swt.widgets.Button b = ui.find(id, org.eclipse.swt.widgets.Button.class);
			if ((b.getStyle() & SWT.RADIO) != 0) {
				for (org.eclipse.swt.widgets.Control sibling : b.getParent().getChildren()) {
					if (sibling instanceof org.eclipse.swt.widgets.Button r && (r.getStyle() & SWT.RADIO) != 0) {
						r.setSelection(r == b);
					}
				}
			} else {
				b.setSelection(!b.getSelection());
			}
			b.notifyListeners(SWT.Selection, new org.eclipse.swt.widgets.Event());
		});
	}

	private org.eclipse.swt.widgets.TrayItem trayItem() {
		return ui.call(() -> {
			org.eclipse.swt.widgets.Tray tray = ui.display().getSystemTray();
			if (tray == null) {
				return null;
			}
			for (org.eclipse.swt.widgets.TrayItem item : tray.getItems()) {
				if ("tray.item".equals(item.getData(org.felund.ui.internal.WidgetIds.KEY))) {
					return item;
				}
			}
			return null;
		});
	}

	// ---------------------------------------------------------------- helpers

	/** The test calls plugin's {@code /call}. */
	private static ChatCommand callCommand(List<String> asked) {
		return new ChatCommand() {
			@Override
			public String name() {
				return "/call";
			}

			@Override
			public List<Usage> usages() {
				return List.of(new Usage("/call start", "", "start a call in this channel"));
			}

			@Override
			public void run(List<String> arguments, ChatContext context) {
				asked.addAll(arguments);
				context.print("Calling #" + context.channelId().orElse("?") + "\u2026");
			}
		};
	}

	/** The test plugin's metatype is read as the settings will read it (else the failures later say little). */
	private void assertMetatypeDescribes(Bundle plugin, String pid) throws InterruptedException {
		ServiceTracker<MetaTypeService, MetaTypeService> metaTypes = new ServiceTracker<>(bundles, MetaTypeService.class,
				null);
		metaTypes.open();
		try {
			MetaTypeService metaType = metaTypes.waitForService(TimeUnit.SECONDS.toMillis(30));
			assertNotNull(metaType, () -> "no MetaTypeService: " + java.util.Arrays.stream(bundles.getBundles())
					.map(b -> b.getSymbolicName() + "=" + b.getState()).toList());
			String[] pids = metaType.getMetaTypeInformation(plugin).getPids();
			assertTrue(pids != null && List.of(pids).contains(pid),
					() -> "the metatype of " + plugin.getSymbolicName() + " describes " + java.util.Arrays.toString(pids));
		} finally {
			metaTypes.close();
		}
	}

	/** Whether any element of the application model (menus, trim, commands, bindings included) has this id. */
	private boolean inModel(String elementId) {
		for (var all = ((org.eclipse.emf.ecore.EObject) ui.model()).eAllContents(); all.hasNext();) {
			if (all.next() instanceof org.eclipse.e4.ui.model.application.MApplicationElement e
					&& elementId.equals(e.getElementId())) {
				return true;
			}
		}
		return false;
	}

	/** What a configuration holds now, read back through Configuration Admin. */
	private Map<String, Object> configuration(String pid) throws Exception {
		org.osgi.service.cm.Configuration[] found = configAdmin.getService()
				.listConfigurations("(service.pid=" + pid + ")");
		Map<String, Object> out = new java.util.HashMap<>();
		if (found != null) {
			var props = found[0].getProperties();
			for (var keys = props.keys(); keys.hasMoreElements();) {
				String key = keys.nextElement();
				if (!key.equals("service.pid") && !key.equals("service.bundleLocation")) {
					out.put(key, props.get(key));
				}
			}
		}
		return out;
	}

	/** The labels of the settings dialog's pages (UI thread). */
	private List<String> settingsPages() {
		return ui.call(() -> {
			Tree pages = ui.find("settings.pages", Tree.class);
			return pages == null ? List.<String>of()
					: java.util.Arrays.stream(pages.getItems()).map(TreeItem::getText).toList();
		});
	}

	/** What the members table says reaches a member now ("via"), or empty (UI thread). */
	private static String via(Table members, String name) {
		for (TableItem item : members.getItems()) {
			if (item.getText(0).equals(name)) {
				return item.getText(2);
			}
		}
		return "";
	}

	private String segment(String transportId) {
		TransportState state = node.transports().get(transportId);
		return state == null ? "" : StatusText.segment(transportId, state);
	}

	private MWindow mainWindow() {
		return ui.model().getChildren().get(0);
	}

	private void activateMain() {
		ui.activate(main);
	}

	private void send(String text) {
		ui.setText("chat.composer", text);
		ui.pressEnter("chat.composer");
		ui.waitUntil("the composer emptied", () -> ui.text("chat.composer").isEmpty(), 10);
	}

	private void command(String line) {
		ui.setText("chat.composer", line);
		ui.pressEnter("chat.composer");
	}

	private void select(String circleId, String channelId) {
		ui.run(() -> org.felund.ui.internal.Selection.select(ui.model(),
				new org.felund.ui.internal.ChannelRef(circleId, channelId)));
		String label = node.circle(circleId).map(Circle::label).orElseThrow();
		ui.waitUntil(label + " #" + channelId + " shown",
				() -> ui.text("chat.header").startsWith(label + "   #" + channelId), 10);
	}

	private String chatText() {
		return ui.text("chat.messages");
	}

	/** Where the workbench's gossip server listens: its advertised loopback endpoint, or else its detail line. */
	private String gossipAddress() {
		TransportState gossip = node.transports().get("gossip");
		assertNotNull(gossip, "the gossip transport is attached to the workbench's node");
		java.util.Optional<String> advertised = node.endpoints().stream()
				.filter(e -> e.transportId().equals("gossip") && e.kind() == Endpoint.Kind.DIRECT
						&& e.address().startsWith("127.")) // the test binds gossip to loopback
				.map(Endpoint::address).findFirst();
		if (advertised.isPresent()) {
			return advertised.get();
		}
		Matcher m = LISTENING.matcher(gossip.detail());
		assertTrue(m.find(), gossip.detail());
		return m.group(1) + ":" + m.group(2);
	}

	private boolean anyShellSays(String text) {
		for (Shell s : ui.display().getShells()) {
			if (s.isVisible() && says(s, text)) {
				return true;
			}
		}
		return false;
	}

	private void closeShellSaying(String text) {
		ui.run(() -> {
			for (Shell s : ui.display().getShells()) {
				if (s != main && s.isVisible() && says(s, text)) {
					s.close();
				}
			}
		});
	}

	private static boolean says(Composite root, String text) {
		for (var c : root.getChildren()) {
			String shown = c instanceof Label l ? l.getText()
					: c instanceof org.eclipse.swt.custom.CLabel l ? l.getText()
							: c instanceof Text t ? t.getText() : null;
			if (c.isVisible() && shown != null && shown.contains(text)) {
				return true;
			}
			if (c instanceof Composite child && says(child, text)) {
				return true;
			}
		}
		return false;
	}

	/** The lines holding {@code marker}, each cut to the marker and what follows it. */
	private static List<String> linesWith(String text, String marker) {
		List<String> out = new ArrayList<>();
		for (String line : text.split("\n")) {
			int at = line.indexOf(": " + marker);
			if (at >= 0) {
				// without the delivery mark that ends the lines of your own messages
				out.add(line.substring(at + 2).strip().replaceFirst("\\s+[\u25cb\u2713]$", ""));
			}
		}
		return out;
	}

	private static List<String> numbered(String prefix, int n) {
		List<String> out = new ArrayList<>();
		for (int i = 1; i <= n; i++) {
			out.add(prefix + i);
		}
		return out;
	}

	private static List<String> buttonLabels(Composite root) {
		List<String> out = new ArrayList<>();
		for (org.eclipse.swt.widgets.Control c : root.getChildren()) {
			if (c instanceof org.eclipse.swt.widgets.Button b) {
				out.add(b.getText().replace("&", ""));
			} else if (c instanceof Composite child) {
				out.addAll(buttonLabels(child));
			}
		}
		return out;
	}

	private static TreeItem item(Tree tree, String label) {
		for (TreeItem item : tree.getItems()) {
			if (item.getText().equals(label)) {
				return item;
			}
		}
		return null;
	}

	private static List<String> childLabels(Tree tree, String circleLabel) {
		List<String> out = new ArrayList<>();
		TreeItem circle = item(tree, circleLabel);
		if (circle != null) {
			for (TreeItem child : circle.getItems()) {
				out.add(child.getText());
			}
		}
		return out;
	}

	private static int count(String text, String what) {
		int n = 0;
		for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
			n++;
		}
		return n;
	}

	private static void waitUntil(String what, java.util.function.BooleanSupplier condition, int seconds) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
		while (!condition.getAsBoolean()) {
			assertTrue(System.nanoTime() < deadline, "waited " + seconds + " s for " + what);
			UiDriver.pause(100);
		}
	}

	private static NodeService nodeService() throws InterruptedException {
		var context = FrameworkUtil.getBundle(WorkbenchWindowTest.class).getBundleContext();
		ServiceTracker<NodeService, NodeService> tracker = new ServiceTracker<>(context, NodeService.class, null);
		tracker.open();
		NodeService found = tracker.waitForService(TimeUnit.SECONDS.toMillis(30));
		assertNotNull(found, () -> "no NodeService registered within 30 s: the DS wiring is broken\n"
				+ ComponentDiagnostics.describe(context));
		return found;
	}
}
