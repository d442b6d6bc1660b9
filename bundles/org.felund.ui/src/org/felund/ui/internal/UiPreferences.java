package org.felund.ui.internal;

import org.eclipse.core.runtime.preferences.DefaultScope;
import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.felund.api.node.NodeIdentity;

/**
 * The workbench's preferences (Equinox instance scope of {@value #QUALIFIER}, i.e. under the workspace of the
 * node home). Name, bind host, port, relay URL and anchor mode are the node's own settings: the preference pages
 * show what the node reports and hand changes to {@code NodeService.configure}. TURN servers are kept here for
 * the calls plugin, which reads {@value #TURN_SERVERS} (one {@code turn:} / {@code stun:} URL per line).
 */
public final class UiPreferences {
	public static final String QUALIFIER = "org.felund.ui";

	public static final String NAME = "node.displayName";
	public static final String BIND_HOST = "node.bindHost";
	public static final String PORT = "node.port";
	public static final String RELAY_URL = "node.relayUrl";
	public static final String CAN_ANCHOR = "node.canAnchor";
	public static final String TURN_SERVERS = "calls.turnServers";
	public static final String NOTIFY = "notifications.enabled";
	public static final String NOTIFY_PREVIEW = "notifications.preview";
	public static final String SETUP_DONE = "setup.done";
	/** Child node holding the unread count of each channel, keyed {@code circle/channel}. */
	public static final String UNREAD_NODE = "unread";

	private UiPreferences() {
	}

	public static IEclipsePreferences instance() {
		return InstanceScope.INSTANCE.getNode(QUALIFIER);
	}

	public static IEclipsePreferences defaults() {
		IEclipsePreferences d = DefaultScope.INSTANCE.getNode(QUALIFIER);
		d.putBoolean(NOTIFY, true);
		d.putBoolean(NOTIFY_PREVIEW, true);
		d.put(BIND_HOST, "0.0.0.0");
		d.putInt(PORT, 9999);
		return d;
	}

	/** Copies the node's settings into the store, so the pages show the node's truth (the CLI may change it). */
	public static void load(FelundPreferenceStore store, NodeIdentity id) {
		store.setValue(NAME, id.displayName());
		store.setValue(BIND_HOST, id.bindHost());
		store.setValue(PORT, id.port());
		store.setValue(RELAY_URL, id.relayUrl());
		store.setValue(CAN_ANCHOR, id.canAnchor());
	}

	/** The node settings as the store now has them. */
	public static NodeIdentity identity(FelundPreferenceStore store, String nodeId) {
		return new NodeIdentity(nodeId, store.getString(NAME).strip(), store.getString(BIND_HOST).strip(),
				store.getInt(PORT), store.getString(RELAY_URL).strip(), store.getBoolean(CAN_ANCHOR));
	}
}
