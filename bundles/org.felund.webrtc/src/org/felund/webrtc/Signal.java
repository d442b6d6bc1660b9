package org.felund.webrtc;

/**
 * One signal read from the relay's mailbox (protocol §7.6).
 *
 * @param id the relay's increasing id (the poll cursor)
 * @param sessionId as posted
 * @param fromNode sender's node id (GET answers {@code from_node}, not {@code from_node_id})
 * @param toNode recipient's node id
 * @param type {@code offer}, {@code answer}, {@code candidate}, {@code media-offer}, …
 * @param payload opaque text: JSON of an {@code RTCSessionDescriptionInit} or an {@code RTCIceCandidate}
 * @param createdAt when the relay stored it (the relay's clock, Unix seconds)
 * @param ageSeconds how long ago the relay stored it ({@code server_time − created_at}, at least 0)
 * @param circleHint the circle whose signed read returned it, {@code null} when it came from an unsigned read. A relay
 *        that binds signals to circles returns under a circle only what was posted under it (signed with its key where
 *        the relay requires it); reference relays ignore the filter, so this is a hint, not a proof.
 */
public record Signal(long id, String sessionId, String fromNode, String toNode, String type, String payload,
		long createdAt, long ageSeconds, String circleHint) {
}
