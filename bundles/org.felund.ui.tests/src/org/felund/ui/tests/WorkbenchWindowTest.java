package org.felund.ui.tests;

import org.felund.testsupport.ComponentDiagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Link;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeItem;
import org.felund.api.model.Circle;
import org.felund.api.model.Invite;
import org.felund.api.node.NodeService;
import org.felund.api.transport.TransportState;
import org.felund.protocol.invite.InviteCodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Boots the real workbench (our Application.e4xmi through E4Application) in a real SWT window under the X server
 * of $DISPLAY, on a fresh node home, and uses it as a person would: the first-run setup, a first circle and its
 * invite, messages, slash commands, keys, settings, search, and a conversation both ways with another node over
 * gossip on loopback. The tests build on each other (one home, one window), in order. Screenshots of each view
 * go to {@code felund.screenshots} (releng/bin/screenshots points it at docs/images).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkbenchWindowTest {
	private static final String[] PART_IDS = { "org.felund.ui.part.circles", "org.felund.ui.part.chat",
			"org.felund.ui.part.members", "org.felund.ui.part.call" };
	private static final Pattern LISTENING = Pattern.compile("Listening on ([^:\\s]+):(\\d+)");

	private NodeService node;
	private UiDriver ui;
	private Shell main;
	private HeadlessPeer bob;
	private Circle bookClub;

	@BeforeAll
	void bootTheWorkbench() throws Exception {
		node = nodeService();
		assertTrue(node.circles().isEmpty(), "the test needs a fresh node home");
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
		}
	}

	@Test
	@Order(1)
	void firstRunSetupAsksWhoYouAreThenCreatesTheFirstCircleAndShowsItsInvite() throws Exception {
		ui.waitFor("setup.dialog", Shell.class, 30);
		assertEquals("9999", ui.text("setup.port"), "the node's port is offered");
		ui.setText("setup.name", "alice");
		ui.setText("setup.port", "99999");
		org.eclipse.swt.widgets.Button next = ui.waitFor("setup.next", org.eclipse.swt.widgets.Button.class, 5);
		ui.waitUntil("a bad port refused", () -> !next.isEnabled(), 5);
		ui.setText("setup.port", "9999");
		ui.waitUntil("a good port accepted", next::isEnabled, 5);
		ui.screenshot("setup.dialog", "setup.png");
		ui.press("setup.next");
		ui.setText("setup.circleName", "Book Club");
		ui.press("setup.finish");

		ui.waitFor("invite.dialog", Shell.class, 15);
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

		assertEquals("alice", node.identity().displayName(), "the setup configured the node");
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
		ui.waitUntil("the status line", () -> ui.text("status.line").startsWith("node " + node.identity().nodeId()),
				30);
		String status = ui.text("status.line");
		Label statusLabel = ui.waitFor("status.line", Label.class, 5);
		assertTrue(ui.call(() -> statusLabel.isVisible() && statusLabel.getSize().x > 300 && statusLabel.getSize().y > 5
				&& main.getDisplay().map(statusLabel, main, 0, 0).y < main.getClientArea().height),
				() -> "the status line is on screen: " + ui.call(() -> statusLabel.getBounds() + " in "
						+ main.getDisplay().map(statusLabel, main, statusLabel.getBounds()) + " of " + main.getClientArea()));
		assertTrue(status.contains("gossip peers 0") && status.contains("relay offline")
				&& status.contains("calls not installed"), status);

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
		Set<String> keys = ui.call(() -> app.getBindingTables().stream().map(MBindingTable::getBindings)
				.flatMap(List::stream).map(MKeyBinding::getKeySequence).collect(Collectors.toSet()));
		assertTrue(keys.containsAll(Set.of("F1", "F2", "F3", "F4", "M1+F")), keys.toString());

		activateMain();
		ui.postKey(0, SWT.F1, '\0');
		ui.waitFor("help.dialog", Shell.class, 10);
		Table help = ui.waitFor("help.table", Table.class, 5);
		List<String> helpRows = ui.call(() -> java.util.Arrays.stream(help.getItems()).map(i -> i.getText(0)).toList());
		assertTrue(helpRows.containsAll(List.of("F1", "F2", "F3", "F4", "Ctrl+F", "Enter", "Shift+Enter",
				"/channel create NAME [public|key KEY|invite]", "/call start [broadcast]")), helpRows.toString());
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
		assertEquals("alice", ui.text("settings.name"), "the pages show the node's settings");
		assertEquals("9999", ui.text("settings.port"));
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
		ui.waitUntil("gossip peers in the status line", () -> !ui.text("status.line").contains("gossip peers 0"), 30);
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
		try {
			ui.activate(other);
			bob.node.send(bookClub.circleId(), "general", "are you there?");
			ui.waitFor("notification.popup", Shell.class, 30);
			assertEquals("bob in Book Club #general", ui.text("notification.title"));
			assertEquals("are you there?", ui.text("notification.text"));
			ui.waitUntil("the unread count in the title", () -> main.getText().equals("Felund (1 unread)"), 10);
			Tree tree = ui.waitFor("circles.tree", Tree.class, 5);
			assertNotNull(ui.call(() -> item(tree, "Book Club (1)")), "the tree counts it");
		} finally {
			ui.run(other::dispose);
		}
		activateMain();
		ui.waitUntil("read once the window is back", () -> main.getText().equals("Felund"), 10);
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

	// ---------------------------------------------------------------- helpers

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

	private String gossipAddress() {
		TransportState gossip = node.transports().get("gossip");
		assertNotNull(gossip, "the gossip transport is attached to the workbench's node");
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
			if (c instanceof Label l && l.getText().contains(text)) {
				return true;
			}
			if (c instanceof Composite child && says(child, text)) {
				return true;
			}
		}
		return false;
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
