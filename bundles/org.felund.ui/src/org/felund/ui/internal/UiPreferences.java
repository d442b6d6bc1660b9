package org.felund.ui.internal;

import org.eclipse.core.runtime.preferences.DefaultScope;
import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.core.runtime.preferences.InstanceScope;

/**
 * The workbench's own preferences (Equinox instance scope of {@value #QUALIFIER}, i.e. under the workspace of the
 * node home): notifications, the first-run flag, unread counts, drafts and the window's place. The node's name is the node's
 * ({@code NodeService.setDisplayName}); every plugin keeps its settings in its own Configuration Admin
 * configuration, which the settings pages edit.
 */
public final class UiPreferences {
	public static final String QUALIFIER = "org.felund.ui";

	public static final String NOTIFY = "notifications.enabled";
	public static final String NOTIFY_PREVIEW = "notifications.preview";
	/** Desktop notifications (freedesktop, over D-Bus) where there are any, else Felund's popup. */
	public static final String NOTIFY_NATIVE = "notifications.native";
	public static final String SETUP_DONE = "setup.done";
	/** Child node holding the unread count of each channel, keyed {@code circle/channel}. */
	public static final String UNREAD_NODE = "unread";
	/** Child node holding the unsent text of each channel, keyed {@code circle/channel}. */
	public static final String DRAFTS_NODE = "drafts";

	private UiPreferences() {
	}

	public static IEclipsePreferences instance() {
		return InstanceScope.INSTANCE.getNode(QUALIFIER);
	}

	public static IEclipsePreferences defaults() {
		IEclipsePreferences d = DefaultScope.INSTANCE.getNode(QUALIFIER);
		d.putBoolean(NOTIFY, true);
		d.putBoolean(NOTIFY_PREVIEW, true);
		d.putBoolean(NOTIFY_NATIVE, true);
		d.put(Theme.PREFERENCE, Theme.SYSTEM);
		return d;
	}
}
