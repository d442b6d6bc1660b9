package org.felund.testsupport.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.e4.ui.internal.workbench.E4Workbench;
import org.eclipse.e4.ui.internal.workbench.swt.E4Application;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.eclipse.swt.widgets.Widget;

/**
 * Runs the real workbench (our Application.e4xmi through E4Application, with the model fragments of the installed
 * bundles) on its own UI thread, and drives it from the test thread the way a user would: widgets are found by their data id ({@link #KEY}), text
 * is set, buttons are pressed, keys are posted to the X server. Modal dialogs run their own event loops, which
 * still serve {@link #call}, so a test can fill in a dialog that blocks the UI thread.
 */
public final class UiDriver implements AutoCloseable {
	/** The widget data key of the workbench's and the Plugins dialog's widget ids. */
	public static final String KEY = "org.felund.id";
	private final Thread uiThread;
	private final Display display;
	private final E4Workbench workbench;
	private final MApplication model;
	private final AtomicReference<Throwable> uiFailure = new AtomicReference<>();

	private UiDriver(Thread uiThread, Display display, E4Workbench workbench, MApplication model) {
		this.uiThread = uiThread;
		this.display = display;
		this.workbench = workbench;
		this.model = model;
	}

	/** Boots the workbench on a new UI thread and returns once its model is loaded (the window may still open). */
	public static UiDriver start() throws InterruptedException {
		CountDownLatch ready = new CountDownLatch(1);
		AtomicReference<Object[]> made = new AtomicReference<>();
		AtomicReference<Throwable> failed = new AtomicReference<>();
		Thread ui = new Thread(() -> {
			Display display = new Display();
			try {
				E4Workbench wb = new E4Application().createE4Workbench(new ProductApplicationContext(), display);
				MApplication app = wb.getApplication();
				made.set(new Object[] { display, wb, app });
				ready.countDown();
				wb.createAndRunUI(app);
			} catch (Throwable t) {
				failed.set(t);
				ready.countDown();
			} finally {
				display.dispose();
			}
		}, "felund-ui");
		ui.setDaemon(true);
		ui.start();
		if (!ready.await(60, TimeUnit.SECONDS) || made.get() == null) {
			throw new AssertionError("the workbench did not start", failed.get());
		}
		Object[] parts = made.get();
		return new UiDriver(ui, (Display) parts[0], (E4Workbench) parts[1], (MApplication) parts[2]);
	}

	public Display display() {
		return display;
	}

	public MApplication model() {
		return model;
	}

	/** Runs on the UI thread and returns the result; what the UI thread throws is thrown here. */
	public <T> T call(Callable<T> work) {
		AtomicReference<T> result = new AtomicReference<>();
		AtomicReference<Throwable> error = new AtomicReference<>();
		display.syncExec(() -> {
			try {
				result.set(work.call());
			} catch (Throwable t) {
				error.set(t);
			}
		});
		if (error.get() instanceof RuntimeException e) {
			throw e;
		}
		if (error.get() instanceof Error e) {
			throw e;
		}
		if (error.get() != null) {
			throw new IllegalStateException(error.get());
		}
		return result.get();
	}

	public void run(Runnable work) {
		call(() -> {
			work.run();
			return null;
		});
	}

	/** Starts something that may block the UI thread (a modal dialog) and returns at once. */
	public void startAsync(Runnable work) {
		display.asyncExec(() -> {
			try {
				work.run();
			} catch (Throwable t) {
				uiFailure.compareAndSet(null, t);
			}
		});
	}

	/** A failure of something {@link #startAsync} ran, or null. */
	public Throwable uiFailure() {
		return uiFailure.get();
	}

	/** Waits until the condition (checked on the UI thread) holds; fails with {@code what} after the timeout. */
	public void waitUntil(String what, Callable<Boolean> condition, int seconds) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
		while (System.nanoTime() < deadline) {
			if (Boolean.TRUE.equals(call(condition))) {
				return;
			}
			pause(50);
		}
		throw new AssertionError("waited " + seconds + " s for " + what);
	}

	/** Waits for a widget with the given id in any open shell. */
	public <T extends Widget> T waitFor(String id, Class<T> type, int seconds) {
		AtomicReference<T> found = new AtomicReference<>();
		waitUntil("widget " + id, () -> {
			found.set(find(id, type));
			return found.get() != null;
		}, seconds);
		return found.get();
	}

	/** A widget by id in any open shell, or null (UI thread). */
	public <T extends Widget> T find(String id, Class<T> type) {
		for (Shell shell : display.getShells()) {
			T found = find(shell, id, type);
			if (found != null) {
				return found;
			}
		}
		return null;
	}

	private static <T extends Widget> T find(Control root, String id, Class<T> type) {
		if (root.isDisposed()) {
			return null;
		}
		if (id.equals(root.getData(UiDriver.KEY)) && type.isInstance(root)) {
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

	public void setText(String id, String text) {
		Text field = waitFor(id, Text.class, 10);
		run(() -> field.setText(text));
	}

	public String text(String id) {
		Widget w = waitFor(id, Widget.class, 10);
		return call(() -> switch (w) {
		case Text t -> t.getText();
		case org.eclipse.swt.custom.StyledText t -> t.getText();
		case org.eclipse.swt.widgets.Label l -> l.getText();
		case Shell s -> s.getText();
		default -> throw new IllegalArgumentException(id + " has no text");
		});
	}

	/**
	 * Presses a button (or checks a radio button) as a click would. Like every input here it is queued on the UI
	 * thread and this returns at once: what it starts may open a modal dialog. Later calls run after it.
	 */
	public void press(String id) {
		Button button = waitFor(id, Button.class, 10);
		waitUntil(id + " enabled", button::isEnabled, 10);
		startAsync(() -> {
			if ((button.getStyle() & SWT.CHECK) != 0) {
				button.setSelection(!button.getSelection());
			}
			if ((button.getStyle() & SWT.RADIO) != 0) {
				for (Control sibling : button.getParent().getChildren()) {
					if (sibling instanceof Button b && (b.getStyle() & SWT.RADIO) != 0) {
						b.setSelection(b == button);
					}
				}
			}
			button.notifyListeners(SWT.Selection, new Event());
		});
	}

	/** Presses the button labelled {@code label} (mnemonics ignored) in the shell with id {@code shellId}. */
	public void pressLabelled(String shellId, String label) {
		Shell shell = waitFor(shellId, Shell.class, 10);
		Button button = call(() -> buttonLabelled(shell, label));
		if (button == null) {
			throw new AssertionError("no button " + label + " in " + shellId);
		}
		startAsync(() -> button.notifyListeners(SWT.Selection, new Event()));
	}

	private static Button buttonLabelled(Composite root, String label) {
		for (Control c : root.getChildren()) {
			if (c instanceof Button b && b.getText().replace("&", "").equals(label)) {
				return b;
			}
			if (c instanceof Composite child) {
				Button found = buttonLabelled(child, label);
				if (found != null) {
					return found;
				}
			}
		}
		return null;
	}

	/** Types Enter into a text field, as the keyboard would (the listeners see a KeyDown). */
	public void pressEnter(String id) {
		key(id, SWT.CR, '\r', 0);
	}

	public void key(String id, int keyCode, char character, int stateMask) {
		Control control = waitFor(id, Control.class, 10);
		startAsync(() -> {
			Event e = new Event();
			e.keyCode = keyCode;
			e.character = character;
			e.stateMask = stateMask;
			e.doit = true;
			control.notifyListeners(SWT.KeyDown, e);
			if (e.doit && control instanceof Text t && character == '\t') {
				t.insert("\t");
			}
		});
	}

	/** Makes a shell the active one, as a click on it would. */
	public void activate(Shell shell) {
		run(shell::forceActive);
		waitUntil("shell " + call(shell::getText) + " active", () -> display.getActiveShell() == shell, 10);
	}

	/**
	 * Posts a key with its modifiers (pressed in order) to the X server: the real path of a key press, through the workbench's
	 * key binding dispatcher.
	 */
	public void postKey(int[] modifiers, int keyCode, char character) {
		List<Event> events = new ArrayList<>();
		for (int modifier : modifiers) {
			events.add(keyEvent(SWT.KeyDown, modifier, '\0'));
		}
		events.add(keyEvent(SWT.KeyDown, keyCode, character));
		events.add(keyEvent(SWT.KeyUp, keyCode, character));
		for (int i = modifiers.length - 1; i >= 0; i--) {
			events.add(keyEvent(SWT.KeyUp, modifiers[i], '\0'));
		}
		run(() -> {
			for (Event e : events) {
				if (!display.post(e)) {
					throw new AssertionError("the X server refused a posted key");
				}
			}
		});
	}

	/** {@link #postKey(int[], int, char)} with a modifier mask ({@code SWT.CTRL | SWT.SHIFT}, …, or 0). */
	public void postKey(int modifiers, int keyCode, char character) {
		postKey(java.util.stream.IntStream.of(SWT.CTRL, SWT.SHIFT, SWT.ALT).filter(m -> (modifiers & m) != 0)
				.toArray(), keyCode, character);
	}

	private static Event keyEvent(int type, int keyCode, char character) {
		Event e = new Event();
		e.type = type;
		e.keyCode = keyCode;
		e.character = character;
		return e;
	}

	/** Saves what the screen shows of a shell as a PNG in the screenshot folder; returns the file. */
	public Path screenshot(String shellId, String fileName) throws Exception {
		Shell shell = waitFor(shellId, Shell.class, 10);
		pause(300);
		Path dir = Path.of(System.getProperty("felund.screenshots", "target/screenshots"));
		Files.createDirectories(dir);
		Path file = dir.resolve(fileName);
		run(() -> {
			shell.update();
			// Down to the end of the client area: without a window manager SWT still reserves room for a frame
			// below it, which would show as a black band.
			Rectangle outer = shell.getBounds();
			Rectangle client = display.map(shell, null, shell.getClientArea());
			Rectangle bounds = new Rectangle(outer.x, outer.y, outer.width,
					Math.min(outer.height, client.y + client.height - outer.y));
			Image image = new Image(display, bounds.width, bounds.height);
			GC gc = new GC(display);
			try {
				gc.copyArea(image, bounds.x, bounds.y);
				ImageLoader loader = new ImageLoader();
				loader.data = new ImageData[] { image.getImageData() };
				loader.save(file.toString(), SWT.IMAGE_PNG);
			} finally {
				gc.dispose();
				image.dispose();
			}
		});
		return file;
	}

	public static void pause(long millis) {
		try {
			Thread.sleep(millis);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new AssertionError("interrupted", e);
		}
	}

	/** Closes the workbench and waits for its UI thread to end. */
	@Override
	public void close() throws InterruptedException {
		if (!display.isDisposed()) {
			display.asyncExec(() -> {
				for (Shell s : display.getShells()) {
					if (s.getData(UiDriver.KEY) != null && s.getParent() != null) {
						s.close();
					}
				}
				workbench.close();
			});
		}
		uiThread.join(TimeUnit.SECONDS.toMillis(30));
	}
}
