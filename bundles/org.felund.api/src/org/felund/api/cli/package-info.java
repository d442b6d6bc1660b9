/**
 * Commands that plugins add to the headless node's command line ({@code felund-node}): a plugin registers a
 * {@link org.felund.api.cli.NodeCommand} service and its name becomes a command while the plugin is installed.
 * <p>
 * Exported at version 0.1.0 (see MANIFEST.MF); minor versions add methods, major versions break them.
 */
package org.felund.api.cli;
