/**
 * The WebRTC DataChannel transport: {@link org.felund.transport.webrtc.WebRtcTransport}, built without OSGi by tests,
 * benchmarks and the CLI; its DS component lives in the internal package.
 * <p>
 * Exported at version 0.1.0.
 */
package org.felund.transport.webrtc;
