package org.felund.ui.internal;

import org.felund.api.model.Member;

/**
 * Whether a member counts as online: reachable by a transport right now, or heard from within the last
 * {@value #RECENT_SECONDS} seconds (a transport that works in rounds is in contact only every few seconds).
 */
public final class Presence {
	public static final long RECENT_SECONDS = 120;

	private Presence() {
	}

	public static boolean online(Member member, String selfNodeId, long nowSeconds) {
		if (member.nodeId().equals(selfNodeId) || !member.transports().isEmpty()) {
			return true;
		}
		return member.lastSeen() > 0 && nowSeconds - member.lastSeen() <= RECENT_SECONDS;
	}

	/** "online", "seen 5 min ago", "seen 3 h ago", "seen 2 d ago" or "not seen yet". */
	public static String describe(Member member, String selfNodeId, long nowSeconds) {
		if (online(member, selfNodeId, nowSeconds)) {
			return "online";
		}
		if (member.lastSeen() <= 0) {
			return "not seen yet";
		}
		long ago = Math.max(0, nowSeconds - member.lastSeen());
		if (ago < 3600) {
			return "seen " + Math.max(1, ago / 60) + " min ago";
		}
		if (ago < 86_400) {
			return "seen " + ago / 3600 + " h ago";
		}
		return "seen " + ago / 86_400 + " d ago";
	}
}
