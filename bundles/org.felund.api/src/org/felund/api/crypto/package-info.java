/**
 * The crypto service: circle identifiers, message envelopes, legacy MACs, gossip handshake tokens, session frames, relay request signatures and DataChannel authentication, byte-exact with the felund reference.
 * <p>
 * Exported at version 0.2.0 (see MANIFEST.MF); minor versions add methods, major versions break them.
 */
package org.felund.api.crypto;
