package org.felund.calls.ui.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.function.BooleanSupplier;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.felund.api.call.Call;
import org.felund.api.control.CallEvent;
import org.felund.core.node.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The call view in a real SWT window (Xvfb in CI) on the real calls service of a real node: what it lists and which
 * controls it offers as a call starts, someone joins, the host removes them and ends the call; the service's events
 * reach the view from the calls thread.
 */
class CallPartTest {
	@TempDir
	Path tmp;

	private TestCircle home;
	private Display display;
	private Shell shell;
	private CallPart part;

	@BeforeEach
	void openTheView() {
		home = new TestCircle(tmp, "alice");
		display = Display.getDefault();
		shell = new Shell(display);
		shell.setText("Call");
		shell.setLayout(new FillLayout());
		shell.setSize(560, 520);
		part = new CallPart();
		part.services(home.calls, home.node);
		part.create(shell);
		shell.open();
	}

	@AfterEach
	void closeTheView() throws Exception {
		part.dispose();
		shell.dispose();
		// One display at a time: the workbench test of this fragment makes its own on its UI thread.
		display.dispose();
		home.close();
	}

	@Test
	void theViewFollowsACallFromStartToEndAndOffersOnlyWhatThisNodeMayDo() throws Exception {
		assertTrue(status().startsWith("No call."), status());
		assertFalse(button("Join").isEnabled());
		assertFalse(button("End").isEnabled());

		Call call = home.calls.start(home.circle, "general");
		pumpUntil("the call in the view", () -> table().getItemCount() == 1);
		assertEquals("★ alice (you)", table().getItem(0).getText(0));
		assertEquals("host", table().getItem(0).getText(1));
		assertTrue(status().startsWith("#general · hosted by alice · 1 in the call, 0 watching"), status());
		assertTrue(button("End").isEnabled());
		assertTrue(button("Leave").isEnabled());
		assertFalse(button("Join").isEnabled(), "already in it");
		assertFalse(button("Remove").isEnabled(), "nobody selected");

		Node bob = home.member("bob");
		home.from(bob, CallEvent.participation(CallEvent.Op.JOIN, call.sessionId(), bob.nodeId(), bob.nodeId()));
		pumpUntil("bob in the view", () -> table().getItemCount() == 2);
		assertEquals("bob", table().getItem(1).getText(0));
		assertEquals("in the call", table().getItem(1).getText(1));
		table().setSelection(1);
		table().notifyListeners(SWT.Selection, null);
		assertTrue(button("Remove").isEnabled());

		button("Remove").notifyListeners(SWT.Selection, null);
		pumpUntil("bob removed", () -> table().getItemCount() == 1);
		assertFalse(home.calls.call(call.sessionId()).orElseThrow().includes(bob.nodeId()));

		button("End").notifyListeners(SWT.Selection, null);
		pumpUntil("the call gone from the view", () -> table().getItemCount() == 0);
		assertTrue(home.calls.call(call.sessionId()).orElseThrow().ended());
		assertTrue(status().startsWith("No call."), status());
		assertFalse(button("End").isEnabled());
	}

	@Test
	void aCallSomeoneElseHostsOffersJoinAndWatchButNotEnd() throws Exception {
		Node carol = home.member("carol");
		home.from(carol, CallEvent.create("s-carol", carol.nodeId(), home.circle, "random", 100));
		pumpUntil("carol's call in the view", () -> table().getItemCount() == 1);
		assertEquals("★ carol", table().getItem(0).getText(0));
		assertTrue(button("Join").isEnabled());
		assertTrue(button("Watch").isEnabled());
		assertFalse(button("End").isEnabled());

		button("Watch").notifyListeners(SWT.Selection, null);
		pumpUntil("alice watching", () -> table().getItemCount() == 2);
		assertEquals("watching", table().getItem(1).getText(1));
		assertFalse(button("Mute").isEnabled(), "a viewer has no microphone in the call");
		assertTrue(button("Leave").isEnabled());
		assertFalse(button("End").isEnabled());
	}

	private void pumpUntil(String what, BooleanSupplier condition) throws InterruptedException {
		long end = System.nanoTime() + 5_000_000_000L;
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - end > 0) {
				throw new AssertionError("Not within 5 s: " + what + " (status: " + status() + ")");
			}
			if (!display.readAndDispatch()) {
				Thread.sleep(10);
			}
		}
		while (display.readAndDispatch()) {
			// Let the layout settle.
		}
	}

	private String status() {
		return find(Label.class, null).getText();
	}

	private Table table() {
		return find(Table.class, null);
	}

	private Button button(String text) {
		return find(Button.class, text);
	}

	private <T extends Control> T find(Class<T> type, String text) {
		T found = find(shell, type, text);
		if (found == null) {
			throw new AssertionError("No " + type.getSimpleName() + " " + (text == null ? "" : text));
		}
		return found;
	}

	private static <T extends Control> T find(Control control, Class<T> type, String text) {
		if (type.isInstance(control) && (text == null || text.equals(((Button) control).getText()))) {
			return type.cast(control);
		}
		if (control instanceof org.eclipse.swt.widgets.Composite c) {
			for (Control child : c.getChildren()) {
				T found = find(child, type, text);
				if (found != null) {
					return found;
				}
			}
		}
		return null;
	}
}
