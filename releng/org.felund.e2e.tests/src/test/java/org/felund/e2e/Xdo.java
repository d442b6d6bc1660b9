package org.felund.e2e;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** Windows of the X server of $DISPLAY found by title, and keys typed into them, with xdotool. */
final class Xdo {
	private static final Pattern WIDTH = Pattern.compile("Width: (\\d+)");

	private Xdo() {
	}

	/** The first mapped window of some size whose title matches; fails after {@code seconds}. */
	static String window(String titleRegex, int seconds, Supplier<String> onFailure) throws Exception {
		String id = windowOrNull(titleRegex, seconds);
		if (id == null) {
			throw new AssertionError("no window titled " + titleRegex + " within " + seconds + " s" + onFailure.get());
		}
		return id;
	}

	/** Like {@link #window}, or null after {@code seconds}. */
	static String windowOrNull(String titleRegex, int seconds) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
		do {
			for (String id : output("xdotool", "search", "--name", titleRegex).lines().toList()) {
				String info = output("xwininfo", "-id", id.strip());
				var width = WIDTH.matcher(info);
				if (info.contains("IsViewable") && width.find() && Integer.parseInt(width.group(1)) > 150) {
					return id.strip();
				}
			}
			Thread.sleep(250);
		} while (System.nanoTime() < deadline);
		return null;
	}

	/**
	 * Key strokes (xdotool names: {@code alt+n}, {@code Tab}, {@code ctrl+shift+p}) typed into a window: it gets the
	 * input focus first (there is no window manager to give it), then the keys go through the X server as a keyboard's
	 * would, so that GTK handles mnemonics and modality as for a person.
	 */
	static void keys(String window, String... keys) throws Exception {
		run(List.of("xdotool", "windowfocus", "--sync", window));
		List<String> command = new ArrayList<>(List.of("xdotool", "key", "--delay", "120"));
		command.addAll(List.of(keys));
		run(command);
		Thread.sleep(300);
	}

	static void type(String window, String text) throws Exception {
		run(List.of("xdotool", "windowfocus", "--sync", window));
		run(List.of("xdotool", "type", "--delay", "30", text));
		Thread.sleep(300);
	}

	private static void run(List<String> command) throws Exception {
		Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
			throw new AssertionError(String.join(" ", command) + " failed: " + out);
		}
	}

	private static String output(String... command) throws Exception {
		Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
		p.waitFor(10, TimeUnit.SECONDS);
		return p.exitValue() == 0 ? out : "";
	}
}
