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
import org.felund.api.transport.Endpoint;
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
	/** @param notes what the plugins are set to do, e.g. {@code ", gossip every 5 s"} */
	void runUntil(CountDownLatch stop, String intervalNote) throws InterruptedException {
		NodeIdentity id = node.identity();
		out.println(line("felund node " + id.nodeId() + " ('" + id.displayName() + "'), " + node.circles().size()
				+ " circle(s)" + intervalNote + "; stop with Ctrl-C or SIGTERM"));
		for (Map.Entry<String, TransportState> t : node.transports().entrySet()) {
			out.println(line(describe(t.getKey(), t.getValue())));
		}
		if (node.transports().isEmpty()) {
			out.println(line("no transport is installed: nothing will be sent or received"));
		}
		java.util.Set<Endpoint> advertised = java.util.concurrent.ConcurrentHashMap.newKeySet();
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
			public void anchorsChanged(String circleId, java.util.List<String> anchors) {
				out.println(line(anchorLine(circleId, anchors, id.nodeId())));
			}

			@Override
			public void circleChanged(String circleId) {
				out.println(line("circle " + node.circle(circleId).map(c -> c.label()).orElse(circleId)
						+ " changed (members, channels or names)"));
			}

			@Override
			public void transportChanged(String transportId, TransportState state) {
				out.println(line(describe(transportId, state)));
				for (Endpoint e : node.endpoints()) {
					if (e.transportId().equals(transportId) && advertised.add(e)) {
						out.println(line("reachable by " + transportId + " at " + e.address()));
					}
				}
			}

			@Override
			public void transportRemoved(String transportId) {
				advertised.removeIf(e -> e.transportId().equals(transportId));
				out.println(line("transport " + transportId + " removed"));
			}
		};
		node.addListener(listener);
		for (org.felund.api.model.Circle c : node.circles()) {
			java.util.List<String> anchors = node.anchors(c.circleId());
			if (!anchors.isEmpty()) {
				out.println(line(anchorLine(c.circleId(), anchors, id.nodeId())));
			}
		}
		try {
			stop.await();
		} finally {
			node.removeListener(listener);
			out.println(line("stopping"));
			out.flush();
		}
	}

	/** {@code anchor of CIRCLE: NODE_ID [(this node)][, then NODE_ID, …]}, or {@code none}. */
	private String anchorLine(String circleId, java.util.List<String> anchors, String self) {
		String circle = node.circle(circleId).map(c -> c.label()).orElse(circleId);
		return "anchor of " + circle + ": " + (anchors.isEmpty() ? "none"
				: anchors.get(0) + (anchors.get(0).equals(self) ? " (this node)" : "")
						+ (anchors.size() > 1 ? ", then " + String.join(", ", anchors.subList(1, anchors.size())) : ""));
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
