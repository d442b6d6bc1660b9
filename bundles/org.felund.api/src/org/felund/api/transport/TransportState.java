package org.felund.api.transport;

/**
 * What a transport can do right now, for the status line.
 *
 * @param mode LIVE = pushing in real time, POLL = reachable by polling, OFFLINE = not reachable
 * @param peers how many peers this transport currently reaches
 * @param detail a short human-readable line (e.g. the relay URL or the last error)
 */
public record TransportState(Mode mode, int peers, String detail) {
	public enum Mode {
		OFFLINE, POLL, LIVE
	}

	public static TransportState offline(String detail) {
		return new TransportState(Mode.OFFLINE, 0, detail);
	}
}
