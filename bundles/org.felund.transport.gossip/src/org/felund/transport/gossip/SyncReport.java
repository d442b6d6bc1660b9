package org.felund.transport.gossip;

/**
 * The outcome of one gossip connection for one circle.
 *
 * @param peerNodeId the peer's node id from the handshake, {@code ""} if it never got that far
 * @param extended whether both sides used the Felund extensions
 * @param live whether the connection stays open for real-time push
 * @param stored messages received and stored for the first time
 * @param duplicates messages received that were already stored
 * @param rejected messages received and dropped (bad MAC or envelope, wrong circle, malformed)
 * @param sent messages sent to the peer
 * @param bytesIn line bytes received (incl. newlines) until the report was made
 * @param bytesOut line bytes sent until the report was made
 * @param reconFrames {@code X_RECON} frames exchanged (both directions) in an extended sync
 * @param reconBytes line bytes of those frames (both directions)
 * @param error why the sync failed, or {@code null} when it completed
 */
public record SyncReport(String circleId, String address, String peerNodeId, boolean extended, boolean live,
		int stored, int duplicates, int rejected, int sent, long bytesIn, long bytesOut, int reconFrames,
		long reconBytes, String error) {

	public static SyncReport failed(String circleId, String address, String error) {
		return new SyncReport(circleId, address, "", false, false, 0, 0, 0, 0, 0, 0, 0, 0, error);
	}

	public boolean ok() {
		return error == null;
	}
}
