package org.felund.ui.internal;

import org.eclipse.e4.ui.model.application.MApplication;

/** Publishes the current {@link ChannelRef} in the application context. */
public final class Selection {
	private Selection() {
	}

	public static void select(MApplication application, ChannelRef ref) {
		application.getContext().set(ChannelRef.class, ref);
	}
}
