package org.felund.calls.internal;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.felund.api.call.AudioStats;
import org.felund.api.call.Health;
import org.felund.api.call.PeerMedia;
import org.felund.api.call.Role;
import org.felund.api.call.VideoSink;
import org.felund.api.call.VideoStats;
import org.felund.webrtc.PeerSession;
import org.felund.webrtc.RtcStats;

import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.video.I420Buffer;
import dev.onvoid.webrtc.media.video.VideoFrame;
import dev.onvoid.webrtc.media.video.VideoTrack;
import dev.onvoid.webrtc.media.video.VideoTrackSink;

/**
 * Media with one peer of the current call: its connection (while there is one), what its decoded audio and video look
 * like, and its statistics. The connection is replaced when it fails; the probes and the video sinks stay. Used on the
 * call's thread, except the sinks, which native threads call.
 */
final class PeerLink {
	/** Loss above this share, or a round trip above {@link #DEGRADED_RTT_MS}, is heard or seen. */
	static final double DEGRADED_LOSS = 0.05;
	static final double DEGRADED_RTT_MS = 400;
	/**
	 * A connected peer that should send (anyone but a viewer) and from whom no packet arrived for this long is degraded:
	 * ICE reports a dead path only after seconds, and closes it only after its grace period.
	 */
	static final long NO_MEDIA_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(3);

	final String nodeId;
	final boolean weOffer;
	final AudioProbe audioProbe = new AudioProbe();
	final VideoProbe videoProbe = new VideoProbe();
	private final List<VideoSink> sinks;
	private final Set<String> attachedTracks = new HashSet<>();
	private final VideoTrackSink videoSink = this::videoFrame;
	PeerSession session;
	Role role = Role.NONE;
	long startedNanos;
	long connectedMs;
	int attempts;
	long nextAttemptNanos;
	String lastProblem = "";
	private RtcStats stats = RtcStats.EMPTY;
	private RtcStats previous = RtcStats.EMPTY;
	private double lossShare;
	private long inboundPackets = -1;
	private long inboundAtNanos;
	private double audioInKbps;
	private double videoInKbps;
	private double audioOutKbps;
	private double videoOutKbps;

	/** @param sinks who watches this peer's video (shared with the service, so it outlives connections) */
	PeerLink(String nodeId, boolean weOffer, List<VideoSink> sinks) {
		this.nodeId = nodeId;
		this.weOffer = weOffer;
		this.sinks = sinks;
	}

	/** A remote track arrived (again, after a renegotiation): listen to it once. */
	void track(dev.onvoid.webrtc.media.MediaStreamTrack track) {
		if (!attachedTracks.add(track.getId())) {
			return;
		}
		if (track instanceof AudioTrack a) {
			a.addSink(audioProbe);
		} else if (track instanceof VideoTrack v) {
			v.addSink(videoSink);
		}
	}

	/** The connection is gone: its tracks with it. */
	void sessionGone() {
		session = null;
		attachedTracks.clear();
		stats = RtcStats.EMPTY;
		previous = RtcStats.EMPTY;
	}

	private void videoFrame(VideoFrame frame) {
		try {
			I420Buffer i420 = frame.buffer.toI420();
			int w = frame.buffer.getWidth();
			int h = frame.buffer.getHeight();
			ByteBuffer y = i420.getDataY();
			videoProbe.frame(w, h, TestPattern.readStamp(y, i420.getStrideY(), w, h));
			if (!sinks.isEmpty()) {
				org.felund.api.call.VideoFrame view = view(frame, i420);
				for (VideoSink s : sinks) {
					try {
						s.frame(view);
					} catch (RuntimeException e) {
						System.getLogger(PeerLink.class.getName()).log(System.Logger.Level.WARNING,
								"a video sink failed: " + e);
					}
				}
			}
			if (i420 != frame.buffer) {
				i420.release();
			}
		} finally {
			frame.release();
		}
	}

	static org.felund.api.call.VideoFrame view(VideoFrame frame, I420Buffer i420) {
		return new org.felund.api.call.VideoFrame(frame.buffer.getWidth(), frame.buffer.getHeight(),
				i420.getDataY().asReadOnlyBuffer(), i420.getStrideY(), i420.getDataU().asReadOnlyBuffer(),
				i420.getStrideU(), i420.getDataV().asReadOnlyBuffer(), i420.getStrideV(), frame.rotation,
				frame.timestampNs);
	}

	/**
	 * A new statistics report: rates against the one before.
	 *
	 * @return whether packets from the peer arrived since the report before
	 */
	boolean stats(RtcStats next) {
		previous = stats.timestampMicros() == 0 ? next : stats;
		stats = next;
		long packets = next.audioIn().packets() + next.videoIn().packets();
		boolean arrived = packets != inboundPackets;
		if (arrived) {
			inboundPackets = packets;
			inboundAtNanos = System.nanoTime();
		}
		double seconds = Math.max(1e-3, (next.timestampMicros() - previous.timestampMicros()) / 1e6);
		if (previous == next) {
			return arrived;
		}
		audioInKbps = rate(next.audioIn().bytes(), previous.audioIn().bytes(), seconds);
		videoInKbps = rate(next.videoIn().bytes(), previous.videoIn().bytes(), seconds);
		audioOutKbps = rate(next.audioOut().bytes(), previous.audioOut().bytes(), seconds);
		videoOutKbps = rate(next.videoOut().bytes(), previous.videoOut().bytes(), seconds);
		long lost = next.audioIn().packetsLost() + next.videoIn().packetsLost() - previous.audioIn().packetsLost()
				- previous.videoIn().packetsLost();
		long got = next.audioIn().packets() + next.videoIn().packets() - previous.audioIn().packets()
				- previous.videoIn().packets();
		double inbound = lost > 0 && got + lost > 0 ? (double) lost / (got + lost) : 0;
		double outbound = Math.max(next.audioOut().fractionLost(), next.videoOut().fractionLost());
		lossShare = Math.max(inbound, outbound);
		return arrived;
	}

	private static double rate(long now, long before, double seconds) {
		return Math.max(0, now - before) * 8 / 1000.0 / seconds;
	}

	RtcStats rawStats() {
		return stats;
	}

	PeerMedia snapshot() {
		Health health;
		String detail;
		PeerSession s = session;
		if (s == null || s.state() == PeerSession.State.CLOSED) {
			health = attempts == 0 && lastProblem.isEmpty() ? Health.CONNECTING : Health.FAILED;
			detail = lastProblem.isEmpty() ? (weOffer ? "connecting" : "waiting for the peer's offer") : lastProblem;
		} else if (s.state() != PeerSession.State.CONNECTED) {
			health = Health.CONNECTING;
			detail = s.state() == PeerSession.State.SIGNALING ? "negotiating" : "checking the path";
		} else if (role != Role.VIEWER && inboundAtNanos != 0 && System.nanoTime() - inboundAtNanos > NO_MEDIA_NANOS) {
			health = Health.DEGRADED;
			detail = "no media for " + (System.nanoTime() - inboundAtNanos) / 1_000_000_000L + " s";
		} else if (lossShare > DEGRADED_LOSS || stats.rttMs() > DEGRADED_RTT_MS) {
			health = Health.DEGRADED;
			detail = lossShare > DEGRADED_LOSS ? Math.round(lossShare * 100) + " % of packets lost"
					: "round trip " + Math.round(stats.rttMs()) + " ms";
		} else {
			health = Health.CONNECTED;
			detail = stats.relayed() ? "through the TURN relay" : "";
		}
		RtcStats.Stream ai = stats.audioIn();
		RtcStats.Stream vi = stats.videoIn();
		RtcStats.Stream ao = stats.audioOut();
		RtcStats.Stream vo = stats.videoOut();
		AudioStats audioIn = new AudioStats(ai.bytes(), ai.packets(), ai.packetsLost(), audioInKbps, ai.jitterMs(),
				audioProbe.level(), audioProbe.dominantHz());
		VideoStats videoIn = new VideoStats(vi.bytes(), Math.max(vi.frames(), videoProbe.frames()),
				videoProbe.width() > 0 ? videoProbe.width() : vi.width(),
				videoProbe.height() > 0 ? videoProbe.height() : vi.height(), videoProbe.fps(), videoInKbps, "");
		AudioStats audioOut = new AudioStats(ao.bytes(), ao.packets(), ao.packetsLost(), audioOutKbps, ao.jitterMs(),
				0, 0);
		VideoStats videoOut = new VideoStats(vo.bytes(), vo.frames(), vo.width(), vo.height(), vo.fps(),
				videoOutKbps, vo.qualityLimitation());
		String route = stats.localCandidateType().isEmpty() ? "" : stats.relayed() ? "relay" : "direct";
		return new PeerMedia(nodeId, role, health, detail, audioIn, videoIn, audioOut, videoOut, stats.rttMs(),
				lossShare * 100, route, connectedMs);
	}
}
