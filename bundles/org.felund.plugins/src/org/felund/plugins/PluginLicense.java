package org.felund.plugins;

/**
 * A license that must be accepted before something is installed.
 *
 * @param pluginId the feature (or bundle) that carries it
 * @param pluginName its name
 * @param text the license text
 * @param url where the full license is published, or empty
 * @param uuid the license's digest: once accepted, the same license is not asked for again
 */
public record PluginLicense(String pluginId, String pluginName, String text, String url, String uuid) {
}
