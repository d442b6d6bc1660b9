/**
 * Installing, updating and uninstalling Felund plugins (p2 features) in a running product, headless.
 * <p>
 * {@link org.felund.plugins.PluginService} lists what is installed and what the configured update sites offer,
 * keeps the list of sites, plans a change (what p2 will add, update and remove, and the licenses to accept) and
 * applies it with progress, cancellation and prompts for licenses and trust. A plugin is a feature whose p2
 * metadata carries the property {@value org.felund.plugins.PluginService#PRODUCTS_PROPERTY}, naming the products it
 * is for. The workbench's Plugins dialog and {@code felund-node plugins} are two front ends of this one service.
 * <p>
 * Exported at version 0.1.0 (see MANIFEST.MF); minor versions add methods, major versions break them.
 */
package org.felund.plugins;
