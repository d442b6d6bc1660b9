package org.felund.transport.webrtc.internal;

import org.felund.webrtc.DataChannelPort;
import org.felund.webrtc.PeerSession;

/**
 * What a {@link ChannelLink} needs of its DataChannel and peer session. In production it is a {@link DataChannelPort}
 * of a {@link PeerSession}; the seam lets the frame handling run in-process, without natives, where it is fuzzed.
 */
interface ChannelEnd {
	String peerNodeId();

	/** Our DTLS fingerprint as signaled (bound by the extensions' X_BIND). */
	String localFingerprint();

	/** The peer's DTLS fingerprint as signaled. */
	String remoteFingerprint();

	boolean writable();

	void send(byte[] frame);

	/** Closes the whole session with the reason. */
	void close(String reason);

	/** The session behind this end; {@code null} for an end without one. */
	PeerSession session();

	static ChannelEnd of(PeerSession session, DataChannelPort port) {
		return new ChannelEnd() {
			@Override
			public String peerNodeId() {
				return session.peerNodeId();
			}

			@Override
			public String localFingerprint() {
				return session.localFingerprint();
			}

			@Override
			public String remoteFingerprint() {
				return session.remoteFingerprint();
			}

			@Override
			public boolean writable() {
				return port.writable();
			}

			@Override
			public void send(byte[] frame) {
				port.send(frame, false);
			}

			@Override
			public void close(String reason) {
				session.close(reason);
			}

			@Override
			public PeerSession session() {
				return session;
			}
		};
	}
}
