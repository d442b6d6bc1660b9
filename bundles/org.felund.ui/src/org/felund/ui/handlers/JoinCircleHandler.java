package org.felund.ui.handlers;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.di.extensions.Service;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.swt.widgets.Shell;
import org.felund.api.node.NodeService;
import org.felund.ui.internal.Actions;

import jakarta.inject.Named;

/** Ctrl+J: joins a circle with a pasted invite code, in the background. */
public class JoinCircleHandler {
	@CanExecute
	public boolean canExecute(@Optional @Service NodeService node) {
		return node != null;
	}

	@Execute
	public void execute(@Named("activeShell") Shell shell, @Service NodeService node, MApplication app,
			UISynchronize sync) {
		Actions.joinCircle(shell, node, app, sync);
	}
}
