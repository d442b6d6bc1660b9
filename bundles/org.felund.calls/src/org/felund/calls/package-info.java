/**
 * The calls plugin's embedding API: {@link org.felund.calls.Calls}, the {@link org.felund.api.call.CallService} of one
 * node, built from a node, its control-event service and the WebRTC runtime, with {@link org.felund.calls.CallsOptions}.
 * The DS component in {@code org.felund.calls.internal} makes one from the Configuration Admin PID
 * {@code org.felund.calls}.
 * <p>
 * Exported at version 0.1.0.
 */
package org.felund.calls;
