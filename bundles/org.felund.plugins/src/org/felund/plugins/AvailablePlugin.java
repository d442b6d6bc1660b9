package org.felund.plugins;

import java.net.URI;

/**
 * A plugin a site offers.
 *
 * @param site where it comes from
 * @param installedVersion the version installed now, or empty when it is not installed
 */
public record AvailablePlugin(Plugin plugin, URI site, String installedVersion) {
	public boolean isInstalled() {
		return !installedVersion.isEmpty();
	}

	/** Whether the site has a newer version than the installed one. */
	public boolean isUpdate() {
		return isInstalled() && PluginVersions.compare(plugin.version(), installedVersion) > 0;
	}
}
