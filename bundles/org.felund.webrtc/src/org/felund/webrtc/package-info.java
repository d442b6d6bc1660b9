/**
 * The one WebRTC peer-connection layer of Felund, on webrtc-java: the native runtime and its audio device module
 * ({@link org.felund.webrtc.RtcRuntime}), ICE settings ({@link org.felund.webrtc.IceSettings}), the relay's
 * {@code /v1/signal} mailbox ({@link org.felund.webrtc.SignalMailbox}), and the per-session signaling state machine
 * ({@link org.felund.webrtc.Signaling}, {@link org.felund.webrtc.PeerSession}) with glare and stale-session
 * handling and the loopback workaround. The DataChannel transport builds on it; calls add media tracks to a
 * {@link org.felund.webrtc.PeerSession} through {@link org.felund.webrtc.PeerSession#connection()} and a signal
 * profile of their own ({@link org.felund.webrtc.SignalProfile}).
 * <p>
 * Exported at version 0.1.0.
 */
package org.felund.webrtc;
