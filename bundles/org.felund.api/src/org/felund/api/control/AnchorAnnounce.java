package org.felund.api.control;

/** {@code ANCHOR_ANNOUNCE} (protocol §5.4): a node offering to keep ciphertext for offline members. */
public record AnchorAnnounce(String nodeId, long announcedAt, boolean canAnchor, boolean isMobile,
		boolean publicReachable) implements ControlEvent {
	public static final String TYPE = "ANCHOR_ANNOUNCE";

	@Override
	public String type() {
		return TYPE;
	}
}
