package org.felund.node.cli.internal;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.felund.api.model.ChatMessage;
import org.felund.api.node.NodeIdentity;
import org.felund.api.node.NodeListener;
import org.felund.api.node.NodeService;
import org.felund.api.transport.TransportState;

/**
 * {@code felund-node run}: keeps the node's transports working until stopped, and tells in readable lines
 * what happens (messages stored, circles changed, transports changing state). The listening, gossiping and
 * relaying itself is done by the transport services the node attaches; this only waits and reports.
 */
final class NodeRunner {
	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
	private static final int TEXT_PREVIEW = 80;

	private final NodeService node;
	private final PrintStream out;

	NodeRunner(NodeService node, PrintStream out) {
		this.node = node;
		this.out = out;
	}

	/** Reports until {@code stop} is released. */
	void runUntil(CountDownLatch stop, String intervalNote) throws InterruptedException {
		NodeIdentity id = node.identity();
		out.println(line("felund node " + id.nodeId() + " ('" + id.displayName() + "') on " + id.bindHost() + ":"
				+ id.port() + (id.relayUrl().isEmpty() ? "" : ", relay " + id.relayUrl())
				+ (id.canAnchor() ? ", anchoring for offline members" : "") + ", " + node.circles().size()
				+ " circle(s)" + intervalNote + "; stop with Ctrl-C or SIGTERM"));
		for (Map.Entry<String, TransportState> t : node.transports().entrySet()) {
			out.println(line(describe(t.getKey(), t.getValue())));
		}
		if (node.transports().isEmpty()) {
			out.println(line("no transport is installed: nothing will be sent or received"));
		}
		NodeListener listener = new NodeListener() {
			@Override
			public void messageAdded(ChatMessage m) {
				String circle = node.circle(m.circleId()).map(c -> c.label()).orElse(m.circleId());
				String who = m.displayName().isBlank() ? m.authorNodeId() : m.displayName();
				String mine = m.authorNodeId().equals(id.nodeId()) ? " (sent here)" : "";
				out.println(line("message " + circle + "/#" + m.channelId() + " " + who + mine + ": "
						+ preview(m.text())));
			}

			@Override
			public void circleChanged(String circleId) {
				out.println(line("circle " + node.circle(circleId).map(c -> c.label()).orElse(circleId)
						+ " changed (members, channels or names)"));
			}

			@Override
			public void transportChanged(String transportId, TransportState state) {
				out.println(line(describe(transportId, state)));
			}
		};
		node.addListener(listener);
		try {
			stop.await();
		} finally {
			node.removeListener(listener);
			out.println(line("stopping"));
			out.flush();
		}
	}

	static String describe(String transportId, TransportState state) {
		return "transport " + transportId + ": " + state.mode().name().toLowerCase(java.util.Locale.ROOT) + ", "
				+ state.peers() + " peer(s)" + (state.detail() == null || state.detail().isBlank() ? ""
						: " — " + state.detail());
	}

	static String preview(String text) {
		String oneLine = text.replaceAll("\\s+", " ").strip();
		return oneLine.length() <= TEXT_PREVIEW ? oneLine : oneLine.substring(0, TEXT_PREVIEW - 1) + "…";
	}

	private static String line(String text) {
		return LocalTime.now().format(TIME) + "  " + text;
	}
}
