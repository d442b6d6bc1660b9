package org.felund.plugins;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * A change to plan.
 *
 * @param action install, update or uninstall
 * @param pluginId the feature id ({@code .feature.group} may be left out)
 * @param sites where to get it from; empty for the configured sites (ignored when uninstalling)
 */
public record PluginRequest(Action action, String pluginId, List<URI> sites) {
	public enum Action {
		INSTALL, UPDATE, UNINSTALL
	}

	public PluginRequest {
		Objects.requireNonNull(action, "action");
		Objects.requireNonNull(pluginId, "pluginId");
		sites = List.copyOf(sites);
	}

	public static PluginRequest install(String pluginId, List<URI> sites) {
		return new PluginRequest(Action.INSTALL, pluginId, sites);
	}

	public static PluginRequest update(String pluginId, List<URI> sites) {
		return new PluginRequest(Action.UPDATE, pluginId, sites);
	}

	public static PluginRequest uninstall(String pluginId) {
		return new PluginRequest(Action.UNINSTALL, pluginId, List.of());
	}
}
