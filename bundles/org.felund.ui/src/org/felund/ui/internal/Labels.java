package org.felund.ui.internal;

import org.felund.api.model.Circle;
import org.felund.api.node.NodeService;

/** How circles are named on screen: by their name, never by a bare hex id. */
public final class Labels {
	private Labels() {
	}

	/**
	 * The circle's name; a circle that has none yet reads "Joining a circle… (1a2b3c)" while it was joined by an invite
	 * and nobody has been reached, else "Unnamed circle (1a2b3c)" (the short id tells several apart).
	 */
	public static String circle(NodeService node, Circle c) {
		if (!c.name().isBlank()) {
			return c.name().strip();
		}
		String tag = " (" + c.circleId().substring(0, Math.min(6, c.circleId().length())) + ")";
		return joining(node, c) ? "Joining a circle\u2026" + tag : "Unnamed circle" + tag;
	}

	/** Joined by an invite, and no other member known yet: the first sync has not happened. */
	public static boolean joining(NodeService node, Circle c) {
		if (node == null || c.bootstrapPeer().isBlank()) {
			return false;
		}
		try {
			String self = node.identity().nodeId();
			return node.members(c.circleId()).stream().allMatch(m -> m.nodeId().equals(self));
		} catch (IllegalArgumentException left) {
			return false;
		}
	}
}
