package org.felund.webrtc;

import java.util.Map;

import dev.onvoid.webrtc.RTCStats;
import dev.onvoid.webrtc.RTCStatsReport;
import dev.onvoid.webrtc.RTCStatsType;

/**
 * The figures of a {@code getStats} report that tell how media flows on one connection: per direction and kind the
 * busiest RTP stream, and the selected candidate pair. Counters are totals since the stream began; rates are the
 * caller's business (two reports apart).
 *
 * @param audioIn the inbound audio stream ({@link Stream#NONE} when there is none)
 * @param videoIn the inbound video stream
 * @param audioOut the outbound audio stream, with what the peer reports of it
 * @param videoOut the outbound video stream, with what the peer reports of it
 * @param rttMs current round-trip time of the selected candidate pair (0 when unknown)
 * @param localCandidateType {@code host}, {@code srflx}, {@code prflx} or {@code relay} of the selected pair, or
 *            {@code ""}
 * @param remoteCandidateType the same for the peer's side
 * @param availableOutgoingKbps the sender's bandwidth estimate (0 when unknown)
 * @param timestampMicros when the report was made
 */
public record RtcStats(Stream audioIn, Stream videoIn, Stream audioOut, Stream videoOut, double rttMs,
		String localCandidateType, String remoteCandidateType, double availableOutgoingKbps, long timestampMicros) {

	/**
	 * One RTP stream.
	 *
	 * @param bytes payload bytes received or sent
	 * @param packets packets received or sent
	 * @param packetsLost inbound: lost so far; outbound: lost as the peer reports
	 * @param fractionLost outbound: the peer's last reported fraction lost (0..1)
	 * @param jitterMs inbound: jitter; outbound: as the peer reports
	 * @param frames video: decoded (inbound) or encoded (outbound)
	 * @param width video: last frame width
	 * @param height video: last frame height
	 * @param fps video: frames per second as libwebrtc reports it
	 * @param audioLevel audio: 0..1
	 * @param qualityLimitation outbound video: {@code none}, {@code bandwidth}, {@code cpu} or {@code other}
	 * @param targetKbps outbound: the encoder's target bit rate
	 */
	public record Stream(boolean present, long bytes, long packets, long packetsLost, double fractionLost,
			double jitterMs, long frames, int width, int height, double fps, double audioLevel,
			String qualityLimitation, double targetKbps) {
		public static final Stream NONE = new Stream(false, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "", 0);
	}

	public static final RtcStats EMPTY = new RtcStats(Stream.NONE, Stream.NONE, Stream.NONE, Stream.NONE, 0, "", "", 0,
			0);

	/** Reads a report. */
	public static RtcStats of(RTCStatsReport report) {
		Map<String, RTCStats> all = report.getStats();
		Stream audioIn = Stream.NONE;
		Stream videoIn = Stream.NONE;
		Stream audioOut = Stream.NONE;
		Stream videoOut = Stream.NONE;
		double rtt = 0;
		double available = 0;
		String localType = "";
		String remoteType = "";
		RTCStats selectedPair = null;
		for (RTCStats s : all.values()) {
			if (s.getType() == RTCStatsType.TRANSPORT) {
				Object id = s.getAttributes().get("selectedCandidatePairId");
				if (id != null && all.get(id.toString()) != null) {
					selectedPair = all.get(id.toString());
				}
			}
		}
		for (RTCStats s : all.values()) {
			Map<String, Object> a = s.getAttributes();
			String kind = text(a, "kind", text(a, "mediaType", ""));
			switch (s.getType()) {
			case INBOUND_RTP -> {
				Stream in = new Stream(true, num(a, "bytesReceived"), num(a, "packetsReceived"), num(a, "packetsLost"),
						0, dbl(a, "jitter") * 1000, num(a, "framesDecoded"), (int) num(a, "frameWidth"),
						(int) num(a, "frameHeight"), dbl(a, "framesPerSecond"), dbl(a, "audioLevel"), "", 0);
				if (kind.equals("audio") && in.bytes() >= audioIn.bytes()) {
					audioIn = in;
				} else if (kind.equals("video") && in.bytes() >= videoIn.bytes()) {
					videoIn = in;
				}
			}
			case OUTBOUND_RTP -> {
				RTCStats remote = all.get(text(a, "remoteId", ""));
				Map<String, Object> r = remote == null ? Map.of() : remote.getAttributes();
				Stream out = new Stream(true, num(a, "bytesSent"), num(a, "packetsSent"), num(r, "packetsLost"),
						dbl(r, "fractionLost"), dbl(r, "jitter") * 1000, num(a, "framesEncoded"),
						(int) num(a, "frameWidth"), (int) num(a, "frameHeight"), dbl(a, "framesPerSecond"), 0,
						text(a, "qualityLimitationReason", ""), dbl(a, "targetBitrate") / 1000);
				if (kind.equals("audio") && out.bytes() >= audioOut.bytes()) {
					audioOut = out;
				} else if (kind.equals("video") && out.bytes() >= videoOut.bytes()) {
					videoOut = out;
				}
			}
			case CANDIDATE_PAIR -> {
				boolean chosen = selectedPair != null ? s == selectedPair
						: "succeeded".equals(text(a, "state", "")) && Boolean.TRUE.equals(a.get("nominated"));
				if (chosen) {
					rtt = dbl(a, "currentRoundTripTime") * 1000;
					available = dbl(a, "availableOutgoingBitrate") / 1000;
					localType = candidateType(all, text(a, "localCandidateId", ""));
					remoteType = candidateType(all, text(a, "remoteCandidateId", ""));
				}
			}
			default -> {
			}
			}
		}
		return new RtcStats(audioIn, videoIn, audioOut, videoOut, rtt, localType, remoteType, available,
				report.getTimestamp());
	}

	/** Whether the selected pair goes through a TURN server on either side. */
	public boolean relayed() {
		return localCandidateType.equals("relay") || remoteCandidateType.equals("relay");
	}

	private static String candidateType(Map<String, RTCStats> all, String id) {
		RTCStats c = all.get(id);
		return c == null ? "" : text(c.getAttributes(), "candidateType", "");
	}

	private static String text(Map<String, Object> a, String key, String fallback) {
		Object v = a.get(key);
		return v == null ? fallback : v.toString();
	}

	private static long num(Map<String, Object> a, String key) {
		Object v = a.get(key);
		if (v instanceof Number n) {
			return n.longValue();
		}
		if (v != null) {
			try {
				return (long) Double.parseDouble(v.toString());
			} catch (NumberFormatException e) {
				return 0;
			}
		}
		return 0;
	}

	private static double dbl(Map<String, Object> a, String key) {
		Object v = a.get(key);
		if (v instanceof Number n) {
			return n.doubleValue();
		}
		if (v != null) {
			try {
				return Double.parseDouble(v.toString());
			} catch (NumberFormatException e) {
				return 0;
			}
		}
		return 0;
	}
}
