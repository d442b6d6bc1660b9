package org.felund.ui.internal;

/**
 * The circle and channel the user is looking at. Parts publish it in the application context so that
 * every part and handler can react to it by injection.
 */
public record ChannelRef(String circleId, String channelId) {
	public static final String DEFAULT_CHANNEL = "general";
}
