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

	/** Shows a channel chosen by moving through the circles' tree with the keyboard: the tree keeps the focus. */
	public static void selectKeepingFocus(MApplication application, ChannelRef ref) {
		application.getContext().set(KEEP_FOCUS, ref);
		try {
			select(application, ref);
		} finally {
			application.getContext().remove(KEEP_FOCUS);
		}
	}

	/** Whether the channel being shown was chosen so that the focus stays where it is. */
	public static boolean keepsFocus(MApplication application, ChannelRef ref) {
		return ref != null && ref.equals(application.getContext().get(KEEP_FOCUS));
	}

	private static final String KEEP_FOCUS = "org.felund.ui.selection.keepFocus";

	public static ChannelRef current(MApplication application) {
		return application.getContext().get(ChannelRef.class);
	}

	/** Shows a channel and scrolls to one of its messages. */
	public static void reveal(MApplication application, Reveal reveal) {
		select(application, new ChannelRef(reveal.circleId(), reveal.channelId()));
		application.getContext().set(Reveal.class, reveal);
	}
}
