package org.felund.ui.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Listener;

/**
 * For the start-up and channel-switch benchmarks (docs/benchmarks.md): with the system property
 * {@value #PROPERTY} naming a file, appends when history is first painted ({@code history-painted EPOCH_MS}) and
 * how long each channel switch took until its history was painted ({@code switch MS}), and how long reading the
 * desktop's theme preference held up the UI thread ({@code theme-wait MS}, first at start). Without the property it
 * does nothing. UI thread only.
 */
public final class PaintProbe {
	public static final String PROPERTY = "felund.bench.log";
	private static final Path LOG = logFile();
	private static boolean firstPainted;

	private PaintProbe() {
	}

	private static Path logFile() {
		String p = System.getProperty(PROPERTY);
		return p == null || p.isBlank() ? null : Path.of(p);
	}

	/**
	 * A channel's history was just put in {@code view}; {@code startNanos} is when the switch began. Its next paint
	 * is logged.
	 */
	public static void shown(Control view, long startNanos, boolean hasMessages) {
		if (LOG == null || !hasMessages) {
			return;
		}
		Listener[] once = new Listener[1];
		once[0] = e -> {
			view.removeListener(SWT.Paint, once[0]);
			long now = System.nanoTime();
			if (!firstPainted) {
				firstPainted = true;
				append("history-painted " + System.currentTimeMillis());
			} else {
				append(String.format(java.util.Locale.ROOT, "switch %.1f", (now - startNanos) / 1e6));
			}
		};
		view.addListener(SWT.Paint, once[0]);
		view.redraw();
	}

	/** The UI thread waited from {@code startNanos} until now for {@code what} (e.g. {@code theme-wait}). */
	public static void waited(String what, long startNanos) {
		if (LOG != null) {
			append(String.format(java.util.Locale.ROOT, "%s %.1f", what, (System.nanoTime() - startNanos) / 1e6));
		}
	}

	private static void append(String line) {
		try {
			Files.writeString(LOG, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
					StandardOpenOption.APPEND);
		} catch (IOException e) {
			System.getLogger(PaintProbe.class.getName()).log(System.Logger.Level.WARNING,
					"Benchmark log not written: " + e.getMessage());
		}
	}
}
