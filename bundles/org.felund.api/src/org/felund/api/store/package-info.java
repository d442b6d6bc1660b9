/**
 * Persistent storage of messages (as encrypted envelopes), circles, channels, members, peers and anchor records for one node home.
 * <p>
 * Exported at version 0.3.0 (see MANIFEST.MF); minor versions add methods, major versions break them.
 */
package org.felund.api.store;
