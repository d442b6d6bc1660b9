package org.felund.api.model;

/** What a circle knows of an anchor-capable node from its ANCHOR_ANNOUNCE events. */
public record AnchorRecord(String circleId, String nodeId, boolean canAnchor, boolean publicReachable,
		boolean isMobile, long announcedAt, long lastSeenTs) {
}
