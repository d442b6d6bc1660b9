package org.felund.api.call;

import java.util.Objects;

/**
 * The media connection with one other node of the current call.
 *
 * @param nodeId the peer
 * @param role what the peer is in the call
 * @param health how the connection is doing
 * @param detail why it is degraded or failed, or how it connects ({@code ""} when there is nothing to say)
 * @param audioIn audio received from the peer
 * @param videoIn video received from the peer
 * @param audioOut audio sent to the peer
 * @param videoOut video sent to the peer
 * @param rttMs round-trip time of the selected candidate pair (0 when unknown)
 * @param lossPercent share of the peer's packets lost over the last seconds
 * @param route how the packets travel: {@code direct} (host or server-reflexive candidates), {@code relay} (TURN), or
 *            {@code ""} while unknown
 * @param connectedMs how long the connection took to come up from the first signal (0 before)
 */
public record PeerMedia(String nodeId, Role role, Health health, String detail, AudioStats audioIn, VideoStats videoIn,
		AudioStats audioOut, VideoStats videoOut, double rttMs, double lossPercent, String route, long connectedMs) {
	public PeerMedia {
		Objects.requireNonNull(nodeId, "nodeId");
		Objects.requireNonNull(role, "role");
		Objects.requireNonNull(health, "health");
		detail = detail == null ? "" : detail;
		audioIn = audioIn == null ? AudioStats.NONE : audioIn;
		videoIn = videoIn == null ? VideoStats.NONE : videoIn;
		audioOut = audioOut == null ? AudioStats.NONE : audioOut;
		videoOut = videoOut == null ? VideoStats.NONE : videoOut;
		route = route == null ? "" : route;
	}

	/** Whether the peer's video arrives (its camera is on and frames are decoded). */
	public boolean receivingVideo() {
		return videoIn.fps() > 0;
	}
}
