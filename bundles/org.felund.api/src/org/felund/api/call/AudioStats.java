package org.felund.api.call;

/**
 * One direction of a peer's audio, from the connection's statistics and, when received, the decoded samples.
 *
 * @param bytes payload bytes so far
 * @param packets RTP packets so far
 * @param packetsLost packets lost so far (received direction: counted here; sent direction: reported by the peer)
 * @param kbps bit rate over the last second
 * @param jitterMs inter-arrival jitter
 * @param level RMS level of the decoded audio over the last second, 0 (silence) to 1 (full scale); sent audio:
 *            the level of what is sent
 * @param dominantHz the strongest frequency of the decoded audio over the last second (0 when silent or unknown)
 */
public record AudioStats(long bytes, long packets, long packetsLost, double kbps, double jitterMs, double level,
		double dominantHz) {
	public static final AudioStats NONE = new AudioStats(0, 0, 0, 0, 0, 0, 0);
}
