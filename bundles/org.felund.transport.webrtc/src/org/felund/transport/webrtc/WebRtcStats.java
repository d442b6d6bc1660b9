package org.felund.transport.webrtc;

/**
 * Counters of a {@link WebRtcTransport} since it was built (all attachments).
 *
 * @param offered sessions this node offered
 * @param answered sessions this node answered
 * @param authenticated channels that passed the mutual AUTH
 * @param extended of those, channels with the Felund extensions (sealed frames, reconciliation)
 * @param refused channels closed for bad input (malformed, oversized, bad AUTH, wrong circle, wrong fingerprint)
 * @param messagesIn messages received on channels
 * @param stored of those, stored for the first time
 * @param messagesOut messages sent on channels
 */
public record WebRtcStats(long offered, long answered, long authenticated, long extended, long refused,
		long messagesIn, long stored, long messagesOut) {
}
