package org.felund.ui.internal;

import org.eclipse.swt.graphics.RGB;

/**
 * A stable colour per author, derived from the node id (not from a salted hash), so every window and
 * every restart shows the same person in the same colour.
 */
public final class AuthorColors {
	private AuthorColors() {
	}

	public static RGB of(String nodeId) {
		return of(nodeId, false);
	}

	/** The same hue, lighter on a dark background. */
	public static RGB of(String nodeId, boolean dark) {
		int h = 0;
		for (int i = 0; i < nodeId.length(); i++) {
			h = 31 * h + nodeId.charAt(i);
		}
		float hue = Math.floorMod(h, 360);
		return new RGB(hue, dark ? 0.55f : 0.65f, dark ? 0.85f : 0.55f);
	}
}
