package org.felund.ui.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

import org.felund.api.call.CallSession;
import org.felund.api.transport.TransportState;

/** The text of the status line, from the node's and the transports' own state. */
public final class StatusText {
	/** Transport ids as the transports report them. */
	public static final String GOSSIP = "gossip";
	public static final String RELAY = "relay";
	public static final String WEBRTC = "webrtc";

	private StatusText() {
	}

	/**
	 * @param calls the calls of the selected circle, or {@code null} when no call service is installed
	 */
	public static String describe(String nodeId, Map<String, TransportState> transports, List<CallSession> calls) {
		StringJoiner line = new StringJoiner("  \u00b7  ");
		line.add("node " + nodeId);
		TransportState gossip = transports.get(GOSSIP);
		line.add(gossip == null ? "gossip off" : "gossip peers " + gossip.peers());
		TransportState relay = transports.get(RELAY);
		line.add("relay " + (relay == null ? "offline" : relay.mode().name().toLowerCase(Locale.ROOT)));
		TransportState p2p = transports.get(WEBRTC);
		line.add("p2p(" + (p2p == null ? 0 : p2p.peers()) + ")");
		line.add(callIndicator(calls));
		return line.toString();
	}

	static String callIndicator(List<CallSession> calls) {
		if (calls == null) {
			return "calls not installed";
		}
		long active = calls.stream().filter(c -> c.state() == CallSession.State.ACTIVE).count();
		if (active > 0) {
			return "\u25cf call live (" + active + ")";
		}
		return calls.isEmpty() ? "no call" : "call ringing";
	}

	/** The tooltip: each transport's own detail line. */
	public static String details(Map<String, TransportState> transports) {
		if (transports.isEmpty()) {
			return "No transport is installed: messages stay on this computer.";
		}
		StringJoiner out = new StringJoiner("\n");
		transports.forEach((id, s) -> out.add(id + ": " + s.mode().name().toLowerCase(Locale.ROOT) + ", "
				+ s.peers() + " peer(s)" + (s.detail().isBlank() ? "" : " \u2014 " + s.detail())));
		return out.toString();
	}
}
