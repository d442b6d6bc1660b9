/**
 * Anchor policy and the ciphertext-only anchor store that keeps envelopes for offline members.
 * <p>
 * Exported at version 0.3.0 (see MANIFEST.MF); minor versions add methods, major versions break them.
 */
package org.felund.api.anchor;
