package org.felund.ui.internal;

import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Monitor;
import org.eclipse.swt.widgets.Shell;
import org.osgi.service.prefs.Preferences;

/**
 * What the window was like when the user last closed it, kept in the workbench's preferences (the application
 * model is rebuilt at each start, so e4 does not keep it): size, position, maximized, and the channel shown.
 */
public final class WindowMemory {
	static final String BOUNDS = "window.bounds";
	static final String MAXIMIZED = "window.maximized";
	static final String CIRCLE = "shown.circle";
	static final String CHANNEL = "shown.channel";
	/** Less than this much of the window on a screen, and it goes back to where the model puts it. */
	private static final int MIN_VISIBLE = 100;

	private final Preferences prefs;

	public WindowMemory(Preferences prefs) {
		this.prefs = prefs;
	}

	/** Puts the window back where it was, if that is still on one of the screens. */
	public void restore(Shell shell) {
		Rectangle bounds = parse(prefs.get(BOUNDS, ""));
		if (bounds != null && onScreen(shell, bounds)) {
			shell.setBounds(bounds);
		}
		if (prefs.getBoolean(MAXIMIZED, false)) {
			shell.setMaximized(true);
		}
	}

	public void save(Shell shell, ChannelRef shown) {
		if (!shell.isDisposed()) {
			prefs.putBoolean(MAXIMIZED, shell.getMaximized());
			if (!shell.getMaximized() && !shell.getMinimized()) {
				Rectangle b = shell.getBounds();
				prefs.put(BOUNDS, b.x + "," + b.y + "," + b.width + "," + b.height);
			}
		}
		if (shown == null) {
			prefs.remove(CIRCLE);
			prefs.remove(CHANNEL);
		} else {
			prefs.put(CIRCLE, shown.circleId());
			prefs.put(CHANNEL, shown.channelId());
		}
	}

	/** The channel shown when the window was closed, if any. */
	public ChannelRef shown() {
		String circle = prefs.get(CIRCLE, "");
		String channel = prefs.get(CHANNEL, "");
		return circle.isEmpty() || channel.isEmpty() ? null : new ChannelRef(circle, channel);
	}

	static Rectangle parse(String text) {
		String[] parts = text.split(",");
		if (parts.length != 4) {
			return null;
		}
		try {
			Rectangle r = new Rectangle(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()),
					Integer.parseInt(parts[2].strip()), Integer.parseInt(parts[3].strip()));
			return r.width >= MIN_VISIBLE && r.height >= MIN_VISIBLE ? r : null;
		} catch (NumberFormatException e) {
			return null;
		}
	}

	private static boolean onScreen(Shell shell, Rectangle bounds) {
		for (Monitor m : shell.getDisplay().getMonitors()) {
			Rectangle seen = m.getClientArea().intersection(bounds);
			if (seen.width >= MIN_VISIBLE && seen.height >= MIN_VISIBLE) {
				return true;
			}
		}
		return false;
	}
}
