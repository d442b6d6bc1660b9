package org.felund.ui.internal;

import org.felund.api.node.NodeListener;
import org.felund.api.node.NodeService;

/** Parts get the node service dynamically; their listener has to follow it from one instance to the next. */
public final class NodeListeners {
	private NodeListeners() {
	}

	/**
	 * Moves {@code listener} from {@code from} to {@code to} (either may be null).
	 *
	 * @return false when the service did not change, so there is nothing to refresh
	 */
	public static boolean move(NodeService from, NodeService to, NodeListener listener) {
		if (from == to) {
			return false;
		}
		if (from != null) {
			from.removeListener(listener);
		}
		if (to != null) {
			to.addListener(listener);
		}
		return true;
	}
}
