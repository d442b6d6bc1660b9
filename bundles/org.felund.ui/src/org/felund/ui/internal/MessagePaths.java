package org.felund.ui.internal;

import java.lang.System.Logger.Level;

import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.MElementContainer;
import org.eclipse.e4.ui.model.application.ui.MUIElement;
import org.eclipse.e4.ui.model.application.ui.basic.MWindow;
import org.eclipse.e4.ui.model.application.ui.menu.MMenuItem;
import org.osgi.service.prefs.BackingStoreException;

/**
 * View ▸ Show message paths (Ctrl+Alt+P): whether the chat shows, under each of your messages, the path it took
 * (who accepted it, by which transport and route). A workbench preference, published in the application context as
 * {@link #KEY} for the chat part, and shown as the check mark of the menu item.
 */
public final class MessagePaths {
	/** Context key (Boolean). */
	public static final String KEY = "org.felund.ui.chat.showPaths";
	/** Preference (boolean, off by default: the ○/✓ marks and the tooltips say the rest). */
	public static final String PREFERENCE = "chat.showPaths";
	/** The View menu's check item. */
	public static final String MENU_ITEM = "org.felund.ui.menuitem.paths";
	private static final System.Logger LOG = System.getLogger(MessagePaths.class.getName());

	private MessagePaths() {
	}

	/** The injected value, or the preference while nothing has been published yet. */
	public static boolean shown(Boolean injected) {
		return injected != null ? injected : UiPreferences.instance().getBoolean(PREFERENCE, false);
	}

	/** Publishes the preference (at start): the context value and the menu item's check mark. */
	public static void publish(MApplication app) {
		boolean show = shown(null);
		app.getContext().set(KEY, show);
		check(app, show);
	}

	/** Turns the paths on or off, and remembers the choice. */
	public static void set(MApplication app, boolean show) {
		UiPreferences.instance().putBoolean(PREFERENCE, show);
		try {
			UiPreferences.instance().flush();
		} catch (BackingStoreException e) {
			LOG.log(Level.WARNING, "The choice to show message paths was not saved: " + e.getMessage());
		}
		app.getContext().set(KEY, show);
		check(app, show);
	}

	private static void check(MApplication app, boolean show) {
		for (MWindow w : app.getChildren()) {
			if (w.getMainMenu() != null) {
				MMenuItem item = find(w.getMainMenu());
				if (item != null) {
					item.setSelected(show);
				}
			}
		}
	}

	private static MMenuItem find(MUIElement element) {
		if (element instanceof MMenuItem item && MENU_ITEM.equals(item.getElementId())) {
			return item;
		}
		if (element instanceof MElementContainer<?> container) {
			for (Object child : container.getChildren()) {
				MMenuItem found = find((MUIElement) child);
				if (found != null) {
					return found;
				}
			}
		}
		return null;
	}
}
