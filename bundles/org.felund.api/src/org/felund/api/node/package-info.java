/**
 * The node service the UI and the CLI talk to: identity, circles, channels, sending and history, and change notifications.
 * <p>
 * Exported at version 0.3.0 (see MANIFEST.MF); minor versions add methods, major versions break them.
 */
package org.felund.api.node;
