package org.felund.ui.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The desktop's own notifications (freedesktop {@code org.freedesktop.Notifications} on the session bus), sent with
 * {@code gdbus} (GLib's command-line D-Bus client, there wherever GTK is). Clicks come back as the
 * {@code ActionInvoked} signal, read from one {@code gdbus monitor}. Where there is no session bus, no gdbus, or no
 * notification server answers, {@link #show} says so and the caller shows its own popup; after a failure the desktop
 * is not asked again for a minute (unless the bus changed). Nothing here runs on the UI thread.
 */
public final class DesktopNotifications implements AutoCloseable {
	/** Framework or system property naming the bus (tests start a private one); else the environment's. */
	public static final String BUS_PROPERTY = "felund.dbus.address";
	private static final System.Logger LOG = System.getLogger(DesktopNotifications.class.getName());
	private static final String DEST = "org.freedesktop.Notifications";
	private static final String PATH = "/org/freedesktop/Notifications";
	private static final Pattern ID = Pattern.compile("\\(uint32 (\\d+),\\)");
	private static final Pattern ACTION = Pattern.compile("ActionInvoked \\(uint32 (\\d+), '([^']*)'\\)");
	private static final Pattern CLOSED = Pattern.compile("NotificationClosed \\(uint32 (\\d+),");
	private static final long RETRY_AFTER_MS = 60_000;
	private static final int MAX_PENDING = 64;

	private final java.util.function.Supplier<String> busAddress;
	private final String gdbus;
	private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
		Thread t = new Thread(r, "felund-notifications");
		t.setDaemon(true);
		return t;
	});
	private final Map<Long, Runnable> clicks = new ConcurrentHashMap<>();
	/**
	 * Clicks on notifications whose id this process did not know yet: the server may announce a click before our
	 * {@code gdbus call} has returned the id (the notification is on screen as soon as the server has it). Ids are
	 * not reused within a server's life; other applications' clicks land here too, so it is kept short.
	 */
	private final java.util.Set<Long> clickedEarly = new java.util.LinkedHashSet<>();
	private final Object clickLock = new Object();
	private volatile long failedAt = -RETRY_AFTER_MS;
	/** The bus that last failed: another bus (a session that changed) is tried at once. */
	private volatile String failedBus;
	private Process monitor;
	private String monitorBus;
	private volatile boolean closed;

	/** The session bus of this process (or {@value #BUS_PROPERTY}, read at each use), and gdbus from the PATH. */
	public static DesktopNotifications forThisSession() {
		return new DesktopNotifications(DesktopNotifications::sessionBus, which("gdbus"));
	}

	DesktopNotifications(java.util.function.Supplier<String> busAddress, String gdbus) {
		this.busAddress = busAddress;
		this.gdbus = gdbus;
	}

	private static String sessionBus() {
		String bus = System.getProperty(BUS_PROPERTY);
		if (bus == null || bus.isBlank()) {
			bus = System.getenv("DBUS_SESSION_BUS_ADDRESS");
		}
		if (bus == null || bus.isBlank()) {
			String runtime = System.getenv("XDG_RUNTIME_DIR");
			if (runtime != null && Files.exists(Path.of(runtime, "bus"))) {
				bus = "unix:path=" + Path.of(runtime, "bus");
			}
		}
		return bus == null || bus.isBlank() ? null : bus.strip();
	}

	/** Whether there is a bus and a client to try; whether a server answers is only known by trying. */
	public boolean possible() {
		return busAddress.get() != null && gdbus != null && !closed;
	}

	/**
	 * Shows a notification in the background. {@code clicked} runs (on a background thread) when the person clicks it;
	 * {@code unavailable} runs (on a background thread) when the desktop cannot show it.
	 */
	public void show(String title, String body, Runnable clicked, Runnable unavailable) {
		if (!possible() || java.util.Objects.equals(failedBus, busAddress.get())
				&& System.currentTimeMillis() - failedAt < RETRY_AFTER_MS) {
			unavailable.run();
			return;
		}
		worker.execute(() -> {
			try {
				waitForClick(send(title, body), clicked);
			} catch (IOException | RuntimeException e) {
				failedAt = System.currentTimeMillis();
				failedBus = busAddress.get();
				LOG.log(Level.INFO, "No desktop notifications, Felund shows its own: " + e.getMessage());
				unavailable.run();
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		});
	}

	/** Runs {@code clicked} when notification {@code id} is clicked, or now if it was clicked already. */
	private void waitForClick(long id, Runnable clicked) {
		boolean already;
		synchronized (clickLock) {
			already = clickedEarly.remove(id);
			if (!already) {
				if (clicks.size() >= MAX_PENDING) {
					clicks.keySet().stream().min(Long::compare).ifPresent(clicks::remove);
				}
				clicks.put(id, clicked);
			}
		}
		if (already) {
			clicked.run();
		}
	}

	/** The server says notification {@code id} was clicked (ours, perhaps not yet known, or another program's). */
	private void clicked(long id) {
		Runnable r;
		synchronized (clickLock) {
			r = clicks.remove(id);
			if (r == null) {
				clickedEarly.add(id);
				if (clickedEarly.size() > MAX_PENDING) {
					clickedEarly.remove(clickedEarly.iterator().next());
				}
			}
		}
		if (r != null) {
			r.run();
		}
	}

	/** {@code Notify} over the bus; returns the notification's id. ("--": the timeout -1 is no option.) */
	private long send(String title, String body) throws IOException, InterruptedException {
		startMonitor();
		List<String> command = new ArrayList<>(List.of(gdbus, "call", "--session", "--dest", DEST, "--object-path", PATH,
				"--timeout", "5", "--method", DEST + ".Notify", "--", quote("Felund"), "0", quote("felund"), quote(title),
				quote(body), "['default', " + quote("Show") + "]",
				"{'desktop-entry': <'felund'>, 'category': <'im.received'>}", "-1"));
		Process p = process(command).start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
		if (!p.waitFor(10, TimeUnit.SECONDS)) {
			p.destroyForcibly();
			throw new IOException("the notification server did not answer");
		}
		Matcher m = ID.matcher(out);
		if (p.exitValue() != 0 || !m.find()) {
			throw new IOException(out.isEmpty() ? "gdbus exited with " + p.exitValue() : out);
		}
		return Long.parseLong(m.group(1));
	}

	/** One {@code gdbus monitor} for the whole session: clicks and closes of our notifications. */
	private synchronized void startMonitor() throws IOException {
		String bus = busAddress.get();
		if (monitor != null && monitor.isAlive() && bus.equals(monitorBus) || closed) {
			return;
		}
		if (monitor != null) {
			monitor.destroy();
		}
		monitorBus = bus;
		monitor = process(List.of(gdbus, "monitor", "--session", "--dest", DEST, "--object-path", PATH)).start();
		Process watched = monitor;
		java.util.concurrent.CountDownLatch listening = new java.util.concurrent.CountDownLatch(1);
		Thread reader = new Thread(() -> {
			try (BufferedReader lines = new BufferedReader(
					new InputStreamReader(watched.getInputStream(), StandardCharsets.UTF_8))) {
				for (String line; (line = lines.readLine()) != null;) {
					listening.countDown(); // gdbus prints once it has subscribed

					Matcher action = ACTION.matcher(line);
					if (action.find()) {
						clicked(Long.parseLong(action.group(1)));
						continue;
					}
					Matcher close = CLOSED.matcher(line);
					if (close.find()) {
						clicks.remove(Long.parseLong(close.group(1)));
					}
				}
			} catch (IOException | RuntimeException e) {
				LOG.log(Level.DEBUG, "Notification monitor ended: " + e.getMessage());
			}
		}, "felund-notifications-monitor");
		reader.setDaemon(true);
		reader.start();
		try {
			// A click on the first notification must not come before the monitor listens (slow under load).
			listening.await(3, TimeUnit.SECONDS);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	private ProcessBuilder process(List<String> command) {
		ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
		pb.environment().put("DBUS_SESSION_BUS_ADDRESS", busAddress.get());
		return pb;
	}

	/** A GVariant text string: single-quoted, with backslash escapes, so any text reaches the desktop as it is. */
	static String quote(String text) {
		StringBuilder out = new StringBuilder("'");
		text.codePoints().forEach(c -> {
			switch (c) {
			case '\\' -> out.append("\\\\");
			case '\'' -> out.append("\\'");
			case '\n' -> out.append("\\n");
			case '\r' -> out.append("\\r");
			case '\t' -> out.append("\\t");
			default -> {
				if (c < 0x20 || c == 0x7f) {
					out.append(String.format("\\u%04x", c));
				} else {
					out.appendCodePoint(c);
				}
			}
			}
		});
		return out.append('\'').toString();
	}

	private static String which(String program) {
		String path = System.getenv("PATH");
		if (path == null) {
			return null;
		}
		for (String dir : path.split(java.io.File.pathSeparator)) {
			Path candidate = Path.of(dir, program);
			if (Files.isExecutable(candidate)) {
				return candidate.toString();
			}
		}
		return null;
	}

	@Override
	public synchronized void close() {
		closed = true;
		worker.shutdownNow();
		if (monitor != null) {
			monitor.destroy();
		}
		clicks.clear();
	}
}
