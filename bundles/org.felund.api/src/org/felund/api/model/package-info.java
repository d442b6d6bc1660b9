/**
 * Wire-level value types shared by every Felund bundle: messages, envelopes, circles, channels, peers and control events. They carry no behaviour beyond validation of their own shape.
 * <p>
 * Exported at version 0.3.0 (see MANIFEST.MF); minor versions add methods, major versions break them.
 */
package org.felund.api.model;
