/**
 * Calls: audio and video among the members of a circle, announced with CALL_EVT control events and carried by
 * WebRTC; calls where everyone takes part, and 1-to-N broadcasts with receive-only viewers.
 * <p>
 * Exported at version 0.3.0 (see MANIFEST.MF); minor versions add methods, major versions break them.
 */
package org.felund.api.call;
