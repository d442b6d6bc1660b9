package org.felund.webrtc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The few things read from or changed in SDP text: ICE credentials, DTLS fingerprint, candidates. */
public final class Sdp {
	private Sdp() {
	}

	/** The first {@code a=mid:} value, or {@code "0"}. */
	public static String firstMid(String sdp) {
		String v = attribute(sdp, "a=mid:");
		return v == null ? "0" : v;
	}

	/**
	 * The {@code o=} line's session id and version: both stay the same for one peer connection's descriptions, except
	 * the version, which grows with each new one (RFC 3264 §5), so a renegotiation offer has a higher version than the
	 * offer or answer before it.
	 */
	public record Origin(String sessionId, long version) {
		public static final Origin NONE = new Origin("", -1);

		/** Whether {@code next} is a later description of the same session. */
		public boolean precedes(Origin next) {
			return !sessionId.isEmpty() && sessionId.equals(next.sessionId) && next.version > version;
		}
	}

	/** The origin of a description, or {@link Origin#NONE} when its {@code o=} line is missing or malformed. */
	public static Origin origin(String sdp) {
		String v = attribute(sdp, "o=");
		if (v == null) {
			return Origin.NONE;
		}
		String[] f = v.trim().split("\\s+");
		if (f.length < 3) {
			return Origin.NONE;
		}
		try {
			return new Origin(f[1], Long.parseUnsignedLong(f[2]));
		} catch (NumberFormatException e) {
			return Origin.NONE;
		}
	}

	/** The first {@code a=ice-ufrag:} value, or {@code ""}. */
	public static String iceUfrag(String sdp) {
		String v = attribute(sdp, "a=ice-ufrag:");
		return v == null ? "" : v;
	}

	/** The first {@code a=fingerprint:} value ({@code sha-256 AB:CD:…}), upper-cased hex, or {@code ""}. */
	public static String fingerprint(String sdp) {
		String v = attribute(sdp, "a=fingerprint:");
		return v == null ? "" : v.trim().toUpperCase(Locale.ROOT);
	}

	/** The connection address of a candidate line ({@code candidate:…} or {@code a=candidate:…}), or {@code ""}. */
	public static String candidateAddress(String candidate) {
		String c = candidate.startsWith("a=") ? candidate.substring(2) : candidate;
		String[] f = c.trim().split("\\s+");
		return f.length > 5 ? f[4] : "";
	}

	/** Whether the candidate's address is a loopback address (127.0.0.0/8 or ::1). */
	public static boolean isLoopbackCandidate(String candidate) {
		String a = candidateAddress(candidate);
		return a.startsWith("127.") || a.equals("::1") || a.equals("[::1]");
	}

	/**
	 * Replaces the candidate lines of the first media section: every {@code a=candidate:} line goes, {@code extra} is
	 * added after the media section's attributes (before the next {@code m=} line).
	 */
	public static String replaceCandidates(String sdp, List<String> extra) {
		List<String> lines = new ArrayList<>(List.of(sdp.split("\r\n", -1)));
		if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
			lines.remove(lines.size() - 1);
		}
		lines.removeIf(l -> l.startsWith("a=candidate:") || l.equals("a=end-of-candidates"));
		int firstMedia = -1;
		int insertAt = lines.size();
		for (int i = 0; i < lines.size(); i++) {
			if (lines.get(i).startsWith("m=")) {
				if (firstMedia < 0) {
					firstMedia = i;
				} else {
					insertAt = i;
					break;
				}
			}
		}
		if (firstMedia >= 0) {
			List<String> add = new ArrayList<>();
			for (String c : extra) {
				add.add(c.startsWith("a=") ? c : "a=" + c);
			}
			lines.addAll(insertAt, add);
		}
		return String.join("\r\n", lines) + "\r\n";
	}

	/** Keeps only the candidate lines that {@code keep} accepts. */
	public static String filterCandidates(String sdp, java.util.function.Predicate<String> keep) {
		StringBuilder out = new StringBuilder(sdp.length());
		for (String line : sdp.split("\r\n")) {
			if (line.startsWith("a=candidate:") && !keep.test(line.substring(2))) {
				continue;
			}
			out.append(line).append("\r\n");
		}
		return out.toString();
	}

	private static String attribute(String sdp, String prefix) {
		if (sdp == null) {
			return null;
		}
		for (String line : sdp.split("\r?\n")) {
			if (line.startsWith(prefix)) {
				return line.substring(prefix.length()).trim();
			}
		}
		return null;
	}
}
