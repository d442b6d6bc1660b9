/**
 * Calls: WebRTC audio/video sessions announced with CALL_EVT control events, 1:1 and 1-to-N broadcast.
 * <p>
 * Exported at version 0.2.0 (see MANIFEST.MF); minor versions add methods, major versions break them.
 */
package org.felund.api.call;
