/**
 * The node service the UI and the CLI talk to: identity, circles, channels, sending and history, and change notifications.
 * <p>
 * Exported at version 0.4.0 (see MANIFEST.MF); minor versions add methods, major versions break them. 0.4.0 added
 * {@link org.felund.api.node.RelaySigner} and {@code NodeService.relaySigner}.
 */
package org.felund.api.node;
