package org.felund.core.node;

/** Keys of the node's own settings in {@link org.felund.api.store.CircleStore#setting}: its id and display name. */
public final class NodeSettings {
	public static final String NODE_ID = "node.id";
	public static final String DISPLAY_NAME = "node.display_name";
	/** Present once the first-run setup was answered (see {@code NodeService.completeSetup}). */
	public static final String SETUP = "node.setup";

	/** The display name of a node that never set one (the reference's default). */
	public static final String DEFAULT_DISPLAY_NAME = "anon";
	/** Display names are at most 40 characters, as in both reference clients. */
	public static final int DISPLAY_NAME_LIMIT = 40;

	private NodeSettings() {
	}
}
