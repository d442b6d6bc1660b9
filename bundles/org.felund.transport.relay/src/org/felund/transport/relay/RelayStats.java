package org.felund.transport.relay;

/**
 * Counters of one {@link RelayTransport} since it was constructed (for diagnostics, tests and benchmarks).
 *
 * @param pushedMessages relay envelopes sent in successful {@code POST /v1/messages} (the relay ignores ids it has)
 * @param pushBatches successful {@code POST /v1/messages} requests
 * @param largestBatch the most envelopes sent in one request
 * @param pulledMessages elements read by {@code GET /v1/messages}
 * @param liveMessages elements received in WebSocket {@code MESSAGES} frames
 * @param stored received elements the node stored as new
 * @param duplicates received elements the node already had
 * @param rejected received elements that were malformed or that the node refused
 * @param failedRequests requests that found the relay unavailable
 * @param socketsOpened WebSocket connections established
 */
public record RelayStats(long pushedMessages, long pushBatches, int largestBatch, long pulledMessages,
		long liveMessages, long stored, long duplicates, long rejected, long failedRequests, long socketsOpened) {
}
