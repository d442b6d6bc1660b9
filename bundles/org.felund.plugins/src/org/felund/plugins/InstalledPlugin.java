package org.felund.plugins;

/**
 * A plugin installed in the product.
 *
 * @param builtIn whether the product was made with it (uninstalling it is still possible)
 */
public record InstalledPlugin(Plugin plugin, boolean builtIn) {
}
