package org.felund.plugins;

import java.net.URI;

/**
 * An update site.
 *
 * @param location its URL
 * @param name the site's own name (the p2 repository name), or empty when not known
 * @param isDefault whether it is the product's default site (set at build time; it cannot be removed)
 */
public record PluginSite(URI location, String name, boolean isDefault) {
}
