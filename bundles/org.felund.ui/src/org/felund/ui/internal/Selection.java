package org.felund.ui.internal;

import org.eclipse.e4.ui.model.application.MApplication;

/** Publishes what the user looks at in the application context; parts and handlers inject it. */
public final class Selection {
	/** A message the chat should scroll to (from search); published with its channel. */
	public record Reveal(String circleId, String channelId, String msgId) {
	}

	private Selection() {
	}

	/** Shows a channel; {@code null} shows nothing (e.g. after leaving the circle). */
	public static void select(MApplication application, ChannelRef ref) {
		if (ref == null) {
			application.getContext().remove(ChannelRef.class);
		} else {
			application.getContext().set(ChannelRef.class, ref);
		}
	}

	public static ChannelRef current(MApplication application) {
		return application.getContext().get(ChannelRef.class);
	}

	/** Shows a channel and scrolls to one of its messages. */
	public static void reveal(MApplication application, Reveal reveal) {
		select(application, new ChannelRef(reveal.circleId(), reveal.channelId()));
		application.getContext().set(Reveal.class, reveal);
	}
}
