package org.felund.ui.handlers;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.model.application.MApplication;
import org.felund.ui.internal.MessagePaths;

/**
 * Ctrl+Alt+P, View ▸ Show message paths: turns the path lines under your messages on or off. (Not Ctrl+Shift+D: GTK
 * binds it, with Ctrl+Shift+I, to its inspector wherever the inspector's key binding is enabled.)
 */
public class MessagePathsHandler {
	@Execute
	public void execute(MApplication app) {
		MessagePaths.set(app, !MessagePaths.shown((Boolean) app.getContext().get(MessagePaths.KEY)));
	}
}
