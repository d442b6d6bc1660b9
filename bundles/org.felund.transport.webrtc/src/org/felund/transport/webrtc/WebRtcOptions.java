package org.felund.transport.webrtc;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.felund.webrtc.IceSettings;
import org.felund.webrtc.SignalMailbox;
import org.felund.webrtc.Signaling;

/**
 * Settings of a {@link WebRtcTransport}.
 *
 * @param enabled when false the transport attaches but opens nothing and reports itself off
 * @param relayUrl the relay to signal through; {@code ""} means the relay that the relay transport advertises
 *            (its {@code RELAY} endpoint)
 * @param ice STUN/TURN servers, the local port range and the loopback workaround
 * @param peerLookupInterval pause between two reads of the relay's peer lists (web client: 5 s)
 * @param answerGrace how long a node whose id sorts after a peer's waits for that peer's offer before it offers
 *            itself (the peer may be a browser looking at another circle, which never offers for this one)
 * @param minBackoff first pause before reconnecting to a peer after a failure; doubled per failure
 * @param maxBackoff longest such pause (also the pause after a failed authentication)
 * @param handshakeTimeout a channel that is not authenticated this long after it opened is closed
 * @param keepAlive idle pause after which a Felund peer is pinged (extended channels only)
 * @param deadAfter an extended channel that received nothing this long is closed (three pings lost)
 * @param recentOnOpen how many recent messages a browser peer gets when a channel opens (web client: 100)
 * @param maxFrameBytes largest message accepted on a channel; larger ones close it
 * @param mailbox polling and back-off of the relay's signal mailbox
 * @param signaling ICE timeout and session limits
 */
public record WebRtcOptions(boolean enabled, String relayUrl, IceSettings ice, Duration peerLookupInterval,
		Duration answerGrace, Duration minBackoff, Duration maxBackoff, Duration handshakeTimeout, Duration keepAlive,
		Duration deadAfter, int recentOnOpen, int maxFrameBytes, SignalMailbox.Options mailbox,
		Signaling.Options signaling) {

	/** SCTP's default message limit in libwebrtc and Chromium (256 KiB). */
	public static final int DEFAULT_MAX_FRAME = 256 * 1024;

	public WebRtcOptions {
		relayUrl = relayUrl == null ? "" : relayUrl.trim();
		Objects.requireNonNull(ice, "ice");
		Objects.requireNonNull(mailbox, "mailbox");
		Objects.requireNonNull(signaling, "signaling");
		for (Duration d : List.of(peerLookupInterval, answerGrace, minBackoff, maxBackoff, handshakeTimeout, keepAlive,
				deadAfter)) {
			if (d == null || d.isNegative() || d.isZero()) {
				throw new IllegalArgumentException("WebRTC intervals must be positive");
			}
		}
		if (minBackoff.compareTo(maxBackoff) > 0) {
			throw new IllegalArgumentException("The minimum reconnect pause exceeds the maximum");
		}
		if (deadAfter.compareTo(keepAlive) <= 0) {
			throw new IllegalArgumentException("deadAfter must exceed keepAlive");
		}
		if (recentOnOpen < 0 || recentOnOpen > 1000) {
			throw new IllegalArgumentException("recentOnOpen must be 0..1000, got " + recentOnOpen);
		}
		if (maxFrameBytes < 16 * 1024) {
			throw new IllegalArgumentException("maxFrameBytes must be at least 16 KiB, got " + maxFrameBytes);
		}
		if (!relayUrl.isEmpty()) {
			SignalMailbox.signalUrl(relayUrl);
		}
	}

	/** On, the relay transport's relay, host candidates only, the web client's cadence. */
	public static WebRtcOptions defaults() {
		return new WebRtcOptions(true, "", IceSettings.hostOnly(), Duration.ofSeconds(5), Duration.ofSeconds(20),
				Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofSeconds(10), Duration.ofSeconds(10),
				Duration.ofSeconds(30), 100, DEFAULT_MAX_FRAME, SignalMailbox.Options.defaults(),
				Signaling.Options.defaults());
	}

	public WebRtcOptions withEnabled(boolean on) {
		return new WebRtcOptions(on, relayUrl, ice, peerLookupInterval, answerGrace, minBackoff, maxBackoff,
				handshakeTimeout, keepAlive, deadAfter, recentOnOpen, maxFrameBytes, mailbox, signaling);
	}

	public WebRtcOptions withRelayUrl(String url) {
		return new WebRtcOptions(enabled, url, ice, peerLookupInterval, answerGrace, minBackoff, maxBackoff,
				handshakeTimeout, keepAlive, deadAfter, recentOnOpen, maxFrameBytes, mailbox, signaling);
	}

	public WebRtcOptions withIce(IceSettings newIce) {
		return new WebRtcOptions(enabled, relayUrl, newIce, peerLookupInterval, answerGrace, minBackoff, maxBackoff,
				handshakeTimeout, keepAlive, deadAfter, recentOnOpen, maxFrameBytes, mailbox, signaling);
	}

	public WebRtcOptions withPeerLookup(Duration interval, Duration grace) {
		return new WebRtcOptions(enabled, relayUrl, ice, interval, grace, minBackoff, maxBackoff, handshakeTimeout,
				keepAlive, deadAfter, recentOnOpen, maxFrameBytes, mailbox, signaling);
	}

	public WebRtcOptions withBackoff(Duration min, Duration max) {
		return new WebRtcOptions(enabled, relayUrl, ice, peerLookupInterval, answerGrace, min, max, handshakeTimeout,
				keepAlive, deadAfter, recentOnOpen, maxFrameBytes, mailbox, signaling);
	}

	public WebRtcOptions withTimeouts(Duration handshake, Duration ping, Duration dead) {
		return new WebRtcOptions(enabled, relayUrl, ice, peerLookupInterval, answerGrace, minBackoff, maxBackoff,
				handshake, ping, dead, recentOnOpen, maxFrameBytes, mailbox, signaling);
	}

	public WebRtcOptions withMailbox(SignalMailbox.Options newMailbox) {
		return new WebRtcOptions(enabled, relayUrl, ice, peerLookupInterval, answerGrace, minBackoff, maxBackoff,
				handshakeTimeout, keepAlive, deadAfter, recentOnOpen, maxFrameBytes, newMailbox, signaling);
	}

	public WebRtcOptions withSignaling(Signaling.Options newSignaling) {
		return new WebRtcOptions(enabled, relayUrl, ice, peerLookupInterval, answerGrace, minBackoff, maxBackoff,
				handshakeTimeout, keepAlive, deadAfter, recentOnOpen, maxFrameBytes, mailbox, newSignaling);
	}

	public WebRtcOptions withMaxFrameBytes(int bytes) {
		return new WebRtcOptions(enabled, relayUrl, ice, peerLookupInterval, answerGrace, minBackoff, maxBackoff,
				handshakeTimeout, keepAlive, deadAfter, recentOnOpen, bytes, mailbox, signaling);
	}

	public WebRtcOptions withRecentOnOpen(int count) {
		return new WebRtcOptions(enabled, relayUrl, ice, peerLookupInterval, answerGrace, minBackoff, maxBackoff,
				handshakeTimeout, keepAlive, deadAfter, count, maxFrameBytes, mailbox, signaling);
	}
}
