package org.felund.plugins;

import java.util.List;

/**
 * What applying a plan did.
 *
 * @param changes what was added, updated and removed
 * @param appliedToRunningProduct whether the change reached the running framework already (bundles installed or
 *        uninstalled live; DS services appear and go away); false for a profile that is not the running one
 * @param restartRequired whether the product must restart before the change fully takes effect
 * @param restartReason why, for people (empty when no restart is required)
 */
public record PluginResult(List<PluginChange> changes, boolean appliedToRunningProduct, boolean restartRequired,
		String restartReason) {
	public PluginResult {
		changes = List.copyOf(changes);
	}
}
