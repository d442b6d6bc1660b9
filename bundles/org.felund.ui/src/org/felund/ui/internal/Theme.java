package org.felund.ui.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.ui.css.swt.theme.IThemeEngine;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.widgets.Display;

/**
 * Light or dark, through e4 CSS theming ({@code org.eclipse.e4.ui.css.swt.theme}; the themes are declared in
 * plugin.xml): by default as the system prefers (the desktop's colour scheme), or as chosen in Settings ▸ Appearance.
 * The theme engine also tells GTK which variant to draw native widgets with.
 */
public final class Theme {
	public static final String LIGHT = "org.felund.ui.theme.light";
	public static final String DARK = "org.felund.ui.theme.dark";
	/** The preference: {@code system}, {@code light} or {@code dark}. */
	public static final String PREFERENCE = "appearance.theme";
	public static final String SYSTEM = "system";
	private static final System.Logger LOG = System.getLogger(Theme.class.getName());
	private static final int GSETTINGS_TIMEOUT_SECONDS = 2;

	private Theme() {
	}

	/** The theme the preference asks for now. */
	public static String wanted(String preference, boolean systemDark) {
		return switch (preference == null ? SYSTEM : preference) {
		case "dark" -> DARK;
		case "light" -> LIGHT;
		default -> systemDark ? DARK : LIGHT;
		};
	}

	/**
	 * Applies the preference to the workbench's theme engine, and publishes in the context whether the workbench is
	 * dark ({@link #DARK_KEY}, a Boolean) for the colours that are not the theme's. Without a theme engine (no CSS
	 * theming) the workbench stays as it is.
	 */
	public static void apply(IEclipseContext context, String preference) {
		IThemeEngine engine = (IThemeEngine) context.get(IThemeEngine.class.getName());
		String id = followsSystem(preference) ? wanted(preference, systemPreferenceForApply()) : wanted(preference, false);
		if (engine != null && (engine.getActiveTheme() == null || !id.equals(engine.getActiveTheme().getId()))) {
			engine.setTheme(id, false); // the preference is ours; the engine need not remember it
		}
		context.set(DARK_KEY, engine != null && DARK.equals(engine.getActiveTheme() == null ? null
				: engine.getActiveTheme().getId()));
	}

	/** Context key: whether the workbench shows the dark theme now (Boolean). */
	public static final String DARK_KEY = "org.felund.ui.theme.isDark";

	private static boolean followsSystem(String preference) {
		return !"dark".equals(preference) && !"light".equals(preference);
	}

	/**
	 * The desktop's preference being read at start on a thread of its own ({@link #readSystemPreferenceAtStart()}),
	 * for the first {@link #apply}; null once that ran, or when nothing started it.
	 */
	private static volatile Future<Boolean> readAtStart;

	/**
	 * Starts reading the desktop's preference (two {@code gsettings} processes) off the UI thread, as early as the
	 * workbench starts: the workbench builds its model and renderer meanwhile, and the first {@link #apply}, before
	 * the first window is drawn, takes the answer instead of running the processes on the UI thread.
	 */
	public static void readSystemPreferenceAtStart() {
		readSystemPreferenceAtStart(Theme::desktopPrefersDark);
	}

	static void readSystemPreferenceAtStart(Callable<Boolean> desktop) {
		FutureTask<Boolean> task = new FutureTask<>(desktop);
		Thread reader = new Thread(task, "felund-theme-preference");
		reader.setDaemon(true);
		readAtStart = task;
		reader.start();
	}

	/**
	 * {@link #systemPrefersDark()}; the first time, with the answer read at start if there is one (later ones read the
	 * desktop afresh: its preference may have changed).
	 */
	static boolean systemPreferenceForApply() {
		Future<Boolean> early = readAtStart;
		readAtStart = null;
		if (early == null || forcedSystemTheme() != null) {
			return systemPrefersDark();
		}
		long start = System.nanoTime();
		Boolean desktop;
		try {
			desktop = early.get(2L * GSETTINGS_TIMEOUT_SECONDS, TimeUnit.SECONDS);
		} catch (ExecutionException | TimeoutException e) {
			desktop = null;
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			desktop = null;
		}
		PaintProbe.waited("theme-wait", start);
		return desktop != null ? desktop : swtPrefersDark();
	}

	/**
	 * Whether the desktop prefers dark: the freedesktop colour scheme ({@code gsettings get
	 * org.gnome.desktop.interface color-scheme}: {@code 'prefer-dark'}), else a GTK theme named dark ({@code GTK_THEME},
	 * {@code gtk-theme}), else what SWT reads from the system.
	 */
	public static boolean systemPrefersDark() {
		Boolean forced = forcedSystemTheme();
		if (forced != null) {
			return forced;
		}
		long start = System.nanoTime();
		Boolean desktop = desktopPrefersDark();
		PaintProbe.waited("theme-wait", start);
		return desktop != null ? desktop : swtPrefersDark();
	}

	/** The system preference set by {@code -Dfelund.systemTheme=dark|light} (tests), or null. */
	private static Boolean forcedSystemTheme() {
		String forced = System.getProperty("felund.systemTheme");
		return forced == null || forced.isBlank() ? null : forced.strip().equalsIgnoreCase("dark");
	}

	/** What the desktop's settings say (any thread), or null when they say nothing either way. */
	static Boolean desktopPrefersDark() {
		String scheme = gsettings("color-scheme");
		if (scheme != null && !scheme.isBlank() && !scheme.contains("default")) {
			return scheme.contains("dark");
		}
		String gtk = System.getenv("GTK_THEME");
		if (gtk != null && !gtk.isBlank()) {
			return gtk.toLowerCase(Locale.ROOT).contains("dark");
		}
		String theme = gsettings("gtk-theme");
		if (theme != null && theme.toLowerCase(Locale.ROOT).contains("dark")) {
			return true;
		}
		return null;
	}

	/** What SWT read from GTK when the display opened. */
	private static boolean swtPrefersDark() {
		try {
			return Display.isSystemDarkTheme();
		} catch (RuntimeException | LinkageError e) {
			return false;
		}
	}

	private static String gsettings(String key) {
		try {
			Process p = new ProcessBuilder("gsettings", "get", "org.gnome.desktop.interface", key)
					.redirectErrorStream(true).start();
			if (!p.waitFor(GSETTINGS_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
				p.destroyForcibly();
				return null;
			}
			String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
			return p.exitValue() == 0 ? out : null;
		} catch (IOException e) {
			return null; // no gsettings on this system
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return null;
		} catch (RuntimeException e) {
			LOG.log(Level.DEBUG, "gsettings failed: " + e.getMessage());
			return null;
		}
	}

	/** Colours of the chat that are not the theme's: readable on the dark background too. */
	public static RGB ownBackground(boolean dark) {
		return dark ? new RGB(44, 56, 72) : new RGB(236, 242, 250);
	}

	public static RGB localText(boolean dark) {
		return dark ? new RGB(130, 180, 230) : new RGB(40, 90, 140);
	}

	public static RGB online(boolean dark) {
		return dark ? new RGB(90, 200, 120) : new RGB(30, 140, 60);
	}

	/** The ○ of a message of yours nobody has accepted yet: amber, apart from the delivered green. */
	public static RGB sent(boolean dark) {
		return dark ? new RGB(240, 180, 80) : new RGB(160, 90, 0);
	}

	/** The ✓ of a message of yours that a peer, an anchor or a relay accepted. */
	public static RGB delivered(boolean dark) {
		return dark ? new RGB(90, 200, 120) : new RGB(20, 120, 50);
	}

	/** The detail line with a message's path. */
	public static RGB pathText(boolean dark) {
		return dark ? new RGB(170, 176, 186) : new RGB(90, 94, 100);
	}

	/** The chat's background as the themes paint it (dark.css; GTK's white text background in light). */
	public static RGB chatBackground(boolean dark) {
		return dark ? new RGB(0x1e, 0x1f, 0x22) : new RGB(255, 255, 255);
	}
}
