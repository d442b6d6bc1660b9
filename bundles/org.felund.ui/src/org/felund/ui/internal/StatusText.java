package org.felund.ui.internal;

import java.util.Locale;

import org.felund.api.transport.TransportState;

/**
 * The text of the status line's segments. Each attached transport has one: its own {@link TransportState#label()}
 * when it gives one, else a default from its id, mode and peers. The workbench knows no transport by name.
 */
public final class StatusText {
	/** Shown when no transport is attached. */
	public static final String NO_TRANSPORT = "no transport";
	public static final String NO_TRANSPORT_DETAIL = "No transport is installed: messages stay on this computer.";

	private StatusText() {
	}

	public static String node(String nodeId) {
		return "node " + nodeId;
	}

	/** A transport's segment: its label, or e.g. {@code gossip live, 2 peers} / {@code relay offline}. */
	public static String segment(String transportId, TransportState state) {
		if (!state.label().isBlank()) {
			return state.label().strip();
		}
		return switch (state.mode()) {
		case OFFLINE -> transportId + " offline";
		case POLL, LIVE -> transportId + " " + state.mode().name().toLowerCase(Locale.ROOT) + ", " + peers(state.peers());
		};
	}

	/** A transport's tooltip: its detail line, or what the segment means when it has none. */
	public static String tooltip(String transportId, TransportState state) {
		if (!state.detail().isBlank()) {
			return state.detail();
		}
		return transportId + ": " + state.mode().name().toLowerCase(Locale.ROOT) + ", " + peers(state.peers());
	}

	private static String peers(int n) {
		return n == 1 ? "1 peer" : n + " peers";
	}
}
