package org.felund.api.transport;

/**
 * What a transport can do right now, for the status line.
 *
 * @param mode LIVE = pushing in real time, POLL = reachable by polling, OFFLINE = not reachable
 * @param peers how many peers this transport currently reaches
 * @param detail a short human-readable line (e.g. the relay URL or the last error), for tooltips and logs
 * @param label the transport's own status-line segment (e.g. {@code p2p(3)}); empty lets the UI format one from
 *            the id, mode and peers
 */
public record TransportState(Mode mode, int peers, String detail, String label) {
	public enum Mode {
		OFFLINE, POLL, LIVE
	}

	public TransportState {
		java.util.Objects.requireNonNull(mode, "mode");
		detail = detail == null ? "" : detail;
		label = label == null ? "" : label;
	}

	public TransportState(Mode mode, int peers, String detail) {
		this(mode, peers, detail, "");
	}

	public static TransportState offline(String detail) {
		return new TransportState(Mode.OFFLINE, 0, detail);
	}
}
