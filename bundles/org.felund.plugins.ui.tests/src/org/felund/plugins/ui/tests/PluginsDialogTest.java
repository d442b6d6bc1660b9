package org.felund.plugins.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.commands.MBindingTable;
import org.eclipse.e4.ui.model.application.commands.MCommand;
import org.eclipse.e4.ui.model.application.commands.MHandler;
import org.eclipse.e4.ui.model.application.commands.MKeyBinding;
import org.eclipse.e4.ui.model.application.ui.basic.MWindow;
import org.eclipse.e4.ui.model.application.ui.menu.MHandledMenuItem;
import org.eclipse.e4.ui.model.application.ui.menu.MMenu;
import org.eclipse.e4.ui.model.application.ui.menu.MMenuElement;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.ProgressBar;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.felund.api.node.NodeService;
import org.felund.testsupport.ui.UiDriver;
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
 * The Plugins dialog in the real workbench, in a real window under the X server of $DISPLAY, on a desktop product
 * the test makes with p2 (gossip built in, no relay) and the update site the reactor built: Ctrl+Shift+P opens it
 * from the model fragment, it lists what is installed and what the site offers, refuses a bad site URL with a clear
 * message, installs the relay transport through the review (license) and trust dialogs with its progress on
 * screen, and uninstalls it. The screenshot of the dialog goes to {@code felund.screenshots} (plugins.png).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PluginsDialogTest {
	private static final String RELAY = "Felund relay transport";
	private static final String GOSSIP = "Felund gossip transport";

	private Path product;
	private UiDriver ui;
	private Shell main;

	@BeforeAll
	void bootTheWorkbenchOnATestProduct() throws Exception {
		product = UiTestProduct.make();
		NodeService node = nodeService();
		if (node.circles().isEmpty()) {
			node.createCircle("Plugins test"); // a configured node: no first-run setup
		}
		ui = UiDriver.start();
		ui.waitUntil("the main window", () -> mainWindow().getWidget() instanceof Shell s && s.isVisible(), 60);
		main = ui.call(() -> (Shell) mainWindow().getWidget());
	}

	@AfterAll
	void closeTheWorkbench() throws Exception {
		if (ui != null) {
			assertNull(ui.uiFailure(), "something the test started on the UI thread failed");
			ui.close();
		}
	}

	@Test
	@Order(1)
	void theFragmentAddsTheCommandItsHandlerTheMenuItemAndTheKey() {
		MApplication app = ui.model();
		List<String> commands = ui.call(() -> app.getCommands().stream().map(MCommand::getElementId).toList());
		assertTrue(commands.contains("org.felund.plugins.ui.command.plugins"), commands.toString());
		List<String> handlers = ui.call(() -> app.getHandlers().stream().map(MHandler::getElementId).toList());
		assertTrue(handlers.contains("org.felund.plugins.ui.handler.plugins"), handlers.toString());
		List<String> keys = ui.call(() -> {
			List<String> k = new ArrayList<>();
			for (MBindingTable t : app.getBindingTables()) {
				for (MKeyBinding b : t.getBindings()) {
					if (b.getCommand() != null && "org.felund.plugins.ui.command.plugins".equals(b.getCommand().getElementId())) {
						k.add(t.getElementId() + " " + b.getKeySequence());
					}
				}
			}
			return k;
		});
		assertEquals(List.of("org.felund.ui.bindings.window M1+M2+P"), keys);
		List<String> felundMenu = ui.call(() -> {
			MMenu menu = mainWindow().getMainMenu().getChildren().stream()
					.filter(m -> "org.felund.ui.menu.felund".equals(m.getElementId())).map(MMenu.class::cast).findFirst()
					.orElseThrow();
			List<String> items = new ArrayList<>();
			for (MMenuElement e : menu.getChildren()) {
				items.add(e.getElementId() + (e instanceof MHandledMenuItem h ? " " + h.getLabel() : ""));
			}
			return items;
		});
		int settings = indexOf(felundMenu, "org.felund.ui.menuitem.settings");
		assertTrue(settings >= 0 && felundMenu.get(settings + 1).equals("org.felund.plugins.ui.menuitem.plugins &Plugins…"),
				"Plugins… follows Settings… in the Felund menu: " + felundMenu);
	}

	@Test
	@Order(2)
	void ctrlShiftPOpensTheDialogWithTheInstalledAndTheAvailablePlugins() throws Exception {
		ui.activate(main);
		ui.postKey(new int[] { SWT.CTRL, SWT.SHIFT }, 'p', 'p');
		ui.waitFor("plugins.dialog", Shell.class, 15);
		Table installed = ui.waitFor("plugins.installed", Table.class, 5);
		Table available = ui.waitFor("plugins.available", Table.class, 5);
		ui.waitUntil("the site read", () -> rows(available).size() >= 2, 60);
		assertEquals(List.of(GOSSIP + " | built in"), ui.call(() -> rows(installed).stream()
				.map(r -> r.get(0) + " | " + r.get(2)).toList()), "the product's own plugin");
		List<List<String>> offered = ui.call(() -> rows(available));
		assertTrue(offered.stream().anyMatch(r -> r.get(0).equals(RELAY) && r.get(2).isEmpty()
				&& r.get(3).equals("Felund transports")), offered.toString());
		assertTrue(offered.stream().anyMatch(r -> r.get(0).equals(GOSSIP) && r.get(2).equals("installed")),
				offered.toString());
		Table sites = ui.waitFor("plugins.sites", Table.class, 5);
		assertTrue(ui.call(() -> sites.getItem(0).getText()).endsWith("(default)"));
		ui.setText("plugins.filter", "relay");
		ui.waitUntil("the filter", () -> rows(available).stream().map(r -> r.get(0)).toList().equals(List.of(RELAY)), 5);
		ui.setText("plugins.filter", "");
		ui.waitUntil("the filter cleared", () -> rows(available).size() >= 2, 5);

		select(available, RELAY);
		ui.waitUntil("the description", () -> ui.text("plugins.details").contains("through a felund relay"), 5);
		ui.waitUntil("Install enabled", () -> ui.find("plugins.install", Button.class).isEnabled(), 5);
		assertFalse(ui.call(() -> ui.find("plugins.uninstall", Button.class).isEnabled()));
		Path shot = ui.screenshot("plugins.dialog", "plugins.png");
		assertTrue(Files.size(shot) > 10_000, "screenshot written: " + shot);
	}

	@Test
	@Order(3)
	void aBadOrUnreachableSiteUrlIsReportedAndNotAddedAGoodOneIsAddedAndRemoved() throws Exception {
		Table sites = ui.waitFor("plugins.sites", Table.class, 5);
		int before = ui.call(sites::getItemCount);
		ui.setText("plugins.siteUrl", "htp://127.0.0.1/site/");
		ui.press("plugins.addSite");
		ui.waitUntil("the refusal", () -> ui.text("plugins.message").contains("The site was not added")
				&& ui.text("plugins.message").contains("uses htp:"), 15);
		assertEquals(before, (int) ui.call(sites::getItemCount), "nothing was added");
		assertEquals("htp://127.0.0.1/site/", ui.text("plugins.siteUrl"), "what was typed stays, to be corrected");

		int closed;
		try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closed = s.getLocalPort();
		}
		ui.setText("plugins.siteUrl", "http://127.0.0.1:" + closed + "/site/");
		ui.press("plugins.addSite");
		ui.waitUntil("unreachable", () -> ui.text("plugins.message").contains("Cannot reach the site"), 30);
		assertEquals(before, (int) ui.call(sites::getItemCount), "nothing was added");

		// A good one, by its path: added, then removed again.
		String products = System.getProperty("felund.products.repository");
		ui.setText("plugins.siteUrl", products);
		ui.press("plugins.addSite");
		ui.waitUntil("added", () -> ui.text("plugins.message").startsWith("Added the site file:"), 30);
		ui.waitUntil("listed", () -> sites.getItemCount() == before + 1, 30);
		assertEquals("", ui.text("plugins.siteUrl"), "the field is cleared for the next one");
		ui.run(() -> {
			sites.setSelection(before);
			Event e = new Event();
			e.item = sites.getItem(before);
			sites.notifyListeners(SWT.Selection, e);
		});
		ui.press("plugins.removeSite");
		ui.waitUntil("removed", () -> ui.text("plugins.message").startsWith("Removed the site file:"), 30);
		ui.waitUntil("gone from the list", () -> sites.getItemCount() == before, 30);
	}

	@Test
	@Order(4)
	void installingTheRelayTransportShowsTheLicenseProgressAndTrustQuestionThenListsIt() throws Exception {
		Table available = ui.waitFor("plugins.available", Table.class, 5);
		select(available, RELAY);
		ui.press("plugins.install");
		ui.waitFor("plugins.review", Shell.class, 30);
		assertTrue(ui.text("plugins.review.summary").startsWith("Install " + RELAY), ui.text("plugins.review.summary"));
		assertEquals("Felund relay transport:\nFelund is free software.", ui.text("plugins.review.licenses")
				.replace("\r", ""));
		Button ok = ui.waitFor("plugins.review.ok", Button.class, 5);
		assertFalse(ui.call(ok::isEnabled), "the license must be accepted first");
		ui.press("plugins.review.accept");
		ui.waitUntil("accepting enables Install", ok::isEnabled, 5);
		ui.press("plugins.review.ok");

		// p2 downloads, then asks about the unsigned content; the progress stays on screen meanwhile.
		ui.waitFor("plugins.trust", Shell.class, 60);
		ProgressBar bar = ui.waitFor("plugins.progress.bar", ProgressBar.class, 5);
		assertTrue(ui.call(bar::isVisible), "the progress is on screen");
		assertFalse(ui.call(() -> ui.find("plugins.progress.task", Label.class).getText()).isBlank());
		assertTrue(ui.text("plugins.trust.details").contains("org.felund.transport.relay"),
				ui.text("plugins.trust.details"));
		ui.screenshot("plugins.dialog", "plugins-installing.png");
		ui.press("plugins.trust.yes");

		Table installed = ui.waitFor("plugins.installed", Table.class, 5);
		ui.waitUntil("the relay installed", () -> rows(installed).stream().anyMatch(r -> r.get(0).equals(RELAY)), 60);
		ui.waitUntil("the result", () -> ui.text("plugins.message").startsWith("Done: Install " + RELAY), 30);
		assertFalse(ui.call(bar::isVisible), "the progress is gone");
		assertTrue(Files.readString(product.resolve("configuration/org.eclipse.equinox.simpleconfigurator/bundles.info"))
				.contains("org.felund.transport.relay,"), "the product's configuration has the bundle");
		assertTrue(ui.call(() -> ui.find("plugins.restart", Shell.class) == null), "a transport needs no restart");
	}

	@Test
	@Order(5)
	void uninstallingTheRelayTransportTakesItAway() throws Exception {
		Table installed = ui.waitFor("plugins.installed", Table.class, 5);
		select(installed, RELAY);
		ui.press("plugins.uninstall");
		ui.waitFor("plugins.review", Shell.class, 30);
		assertTrue(ui.text("plugins.review.summary").startsWith("Uninstall " + RELAY));
		ui.press("plugins.review.ok");
		ui.waitUntil("the relay gone", () -> rows(installed).stream().noneMatch(r -> r.get(0).equals(RELAY)), 60);
		assertFalse(Files.readString(product.resolve("configuration/org.eclipse.equinox.simpleconfigurator/bundles.info"))
				.contains("org.felund.transport.relay,"));
		ui.press("plugins.close");
		ui.waitUntil("the dialog closed", () -> ui.find("plugins.dialog", Shell.class) == null, 10);
	}

	// ---------------------------------------------------------------- helpers

	private MWindow mainWindow() {
		return ui.model().getChildren().get(0);
	}

	private void select(Table table, String name) {
		ui.waitUntil(name + " listed", () -> rows(table).stream().anyMatch(r -> r.get(0).equals(name)), 30);
		ui.run(() -> {
			for (int i = 0; i < table.getItemCount(); i++) {
				if (table.getItem(i).getText(0).equals(name)) {
					table.setSelection(i);
					Event e = new Event();
					e.item = table.getItem(i);
					table.notifyListeners(SWT.Selection, e);
					return;
				}
			}
		});
	}

	/** The rows of a table as text (UI thread). */
	private static List<List<String>> rows(Table table) {
		List<List<String>> rows = new ArrayList<>();
		for (TableItem item : table.getItems()) {
			List<String> row = new ArrayList<>();
			for (int c = 0; c < Math.max(1, table.getColumnCount()); c++) {
				row.add(item.getText(c));
			}
			rows.add(row);
		}
		return rows;
	}

	private static int indexOf(List<String> items, String prefix) {
		for (int i = 0; i < items.size(); i++) {
			if (items.get(i).startsWith(prefix)) {
				return i;
			}
		}
		return -1;
	}

	private static NodeService nodeService() throws InterruptedException {
		var bc = FrameworkUtil.getBundle(PluginsDialogTest.class).getBundleContext();
		ServiceTracker<NodeService, NodeService> tracker = new ServiceTracker<>(bc, NodeService.class, null);
		tracker.open();
		NodeService node = tracker.waitForService(60_000);
		if (node == null) {
			throw new IllegalStateException("the node service did not start");
		}
		return node;
	}
}
