/**
 * The one transport SPI. Gossip, relay and WebRTC transports implement {@link org.felund.api.transport.Transport} and are registered as OSGi services; the node attaches each to a {@link org.felund.api.transport.TransportContext}.
 * <p>
 * Exported at version 0.3.0 (see MANIFEST.MF); minor versions add methods, major versions break them.
 */
package org.felund.api.transport;
