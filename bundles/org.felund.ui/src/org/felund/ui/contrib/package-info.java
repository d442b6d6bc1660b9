/**
 * What plugins contribute to the workbench besides their e4 model fragment: slash commands for the composer
 * ({@link org.felund.ui.contrib.ChatCommand}, registered as OSGi services). docs/architecture.md ("UI
 * contributions") tells how a plugin adds parts, commands, handlers, key bindings, menu items, status segments
 * and settings.
 * <p>
 * Exported at version 0.1.0 (see MANIFEST.MF); minor versions add methods, major versions break them.
 */
package org.felund.ui.contrib;
