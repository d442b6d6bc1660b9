package org.felund.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.eclipse.e4.ui.internal.workbench.E4Workbench;
import org.eclipse.e4.ui.internal.workbench.swt.E4Application;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.model.application.ui.basic.MWindow;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeItem;
import org.felund.api.model.Circle;
import org.felund.api.node.NodeService;
import org.felund.ui.internal.WidgetIds;
import org.junit.jupiter.api.Test;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Boots the real workbench (our Application.e4xmi through E4Application) in a real SWT window under the
 * X server of $DISPLAY, and checks what a user sees: the window, its parts, the services injected into
 * them, and a message typed into the composer showing up in the chat.
 */
class WorkbenchWindowTest {
	private static final String[] PART_IDS = { "org.felund.ui.part.circles", "org.felund.ui.part.chat",
			"org.felund.ui.part.members", "org.felund.ui.part.call" };

	@Test
	void mainWindowOpensWithItsPartsAndTheNodeServiceDrivesThem() throws Exception {
		NodeService node = nodeService();
		Display display = Display.getDefault();
		E4Workbench workbench = new E4Application().createE4Workbench(new ProductApplicationContext(), display);
		MApplication model = workbench.getApplication();
		List<String> failures = new ArrayList<>();
		Observed seen = new Observed();

		display.timerExec(200, () -> {
			try {
				inspect(display, model, node, seen);
			} catch (Throwable t) {
				failures.add(t.toString());
			} finally {
				workbench.close();
			}
		});
		workbench.createAndRunUI(model);

		assertTrue(failures.isEmpty(), () -> "UI checks failed: " + failures);
		assertEquals("Felund", seen.title, "main window title");
		assertTrue(seen.visible, "the main window must be visible");
		assertEquals(List.of(PART_IDS), seen.renderedParts, "parts rendered in the main window");
		assertTrue(seen.status.startsWith("node " + node.identity().nodeId()),
				"status line shows the injected node: " + seen.status);
		assertTrue(seen.treeShowsNewCircle, "the circles part shows a circle created through the service");
		assertTrue(seen.chatShowsSentMessage, "a message sent from the composer appears in the chat");
		assertTrue(Files.size(seen.screenshot) > 10_000, "screenshot written: " + seen.screenshot);
	}

	private static final class Observed {
		String title = "";
		boolean visible;
		List<String> renderedParts = new ArrayList<>();
		String status = "";
		boolean treeShowsNewCircle;
		boolean chatShowsSentMessage;
		Path screenshot;
	}

	private static void inspect(Display display, MApplication model, NodeService node, Observed seen)
			throws Exception {
		MWindow window = model.getChildren().get(0);
		Shell shell = (Shell) window.getWidget();
		assertNotNull(shell, "the main window has no shell: it did not open");
		seen.title = shell.getText();
		seen.visible = shell.isVisible();
		EModelService models = model.getContext().get(EModelService.class);
		for (String id : PART_IDS) {
			MPart part = (MPart) models.find(id, model);
			if (part != null && part.getObject() != null && part.getWidget() instanceof Composite) {
				seen.renderedParts.add(id);
			}
		}
		Label status = find(shell, "status.line", Label.class);
		spinUntil(display, () -> status.getText().startsWith("node "), 30);
		seen.status = status.getText();

		Circle circle = node.createCircle("ui-test circle").circle();
		Tree tree = find(shell, "circles.tree", Tree.class);
		spinUntil(display, () -> itemLabelled(tree, circle.label()) != null, 15);
		TreeItem item = itemLabelled(tree, circle.label());
		seen.treeShowsNewCircle = item != null;
		if (item != null) {
			tree.setSelection(item);
			Event select = new Event();
			select.item = item;
			tree.notifyListeners(SWT.Selection, select);
			Text composer = find(shell, "chat.composer", Text.class);
			spinUntil(display, composer::isEnabled, 10);
			composer.setText("hello from the workbench test");
			Event enter = new Event();
			enter.keyCode = SWT.CR;
			enter.character = '\r';
			composer.notifyListeners(SWT.KeyDown, enter);
			StyledText messages = find(shell, "chat.messages", StyledText.class);
			spinUntil(display, () -> messages.getText().contains("hello from the workbench test"), 15);
			seen.chatShowsSentMessage = messages.getText().contains("hello from the workbench test");
		}
		spin(display, 300);
		seen.screenshot = screenshot(display, shell);
	}

	private static TreeItem itemLabelled(Tree tree, String label) {
		for (TreeItem item : tree.getItems()) {
			if (item.getText().equals(label)) {
				return item;
			}
		}
		return null;
	}

	private static <T> T find(Control root, String id, Class<T> type) {
		if (id.equals(root.getData(WidgetIds.KEY)) && type.isInstance(root)) {
			return type.cast(root);
		}
		if (root instanceof Composite c) {
			for (Control child : c.getChildren()) {
				T found = find(child, id, type);
				if (found != null) {
					return found;
				}
			}
		}
		return null;
	}

	private static void spinUntil(Display display, BooleanSupplier condition, int seconds) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
		while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
			if (!display.readAndDispatch()) {
				display.sleep();
			}
		}
	}

	private static void spin(Display display, long millis) {
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
		display.timerExec((int) millis, () -> {
		});
		while (System.nanoTime() < deadline) {
			if (!display.readAndDispatch()) {
				display.sleep();
			}
		}
	}

	private static Path screenshot(Display display, Shell shell) throws Exception {
		Rectangle bounds = shell.getBounds();
		Image image = new Image(display, bounds.width, bounds.height);
		GC gc = new GC(display);
		try {
			gc.copyArea(image, bounds.x, bounds.y);
		} finally {
			gc.dispose();
		}
		Path dir = Path.of(System.getProperty("felund.screenshots", "target/screenshots"));
		Files.createDirectories(dir);
		Path file = dir.resolve("workbench.png");
		ImageLoader loader = new ImageLoader();
		loader.data = new ImageData[] { image.getImageData() };
		loader.save(file.toString(), SWT.IMAGE_PNG);
		image.dispose();
		return file;
	}

	private static NodeService nodeService() throws InterruptedException {
		var context = FrameworkUtil.getBundle(WorkbenchWindowTest.class).getBundleContext();
		ServiceTracker<NodeService, NodeService> tracker = new ServiceTracker<>(context, NodeService.class, null);
		tracker.open();
		NodeService node = tracker.waitForService(TimeUnit.SECONDS.toMillis(30));
		assertNotNull(node, "no NodeService registered within 30 s: the DS wiring is broken");
		return node;
	}
}
