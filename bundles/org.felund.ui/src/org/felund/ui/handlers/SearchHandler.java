package org.felund.ui.handlers;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.di.extensions.Service;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.swt.widgets.Shell;
import org.felund.api.node.NodeService;
import org.felund.ui.internal.Actions;
import org.felund.ui.internal.MessageIndex;

import jakarta.inject.Named;

/** Ctrl+F: searches the messages of every circle (the in-memory index the workbench keeps). */
public class SearchHandler {
	@Execute
	public void execute(@Named("activeShell") Shell shell, @Optional MessageIndex index,
			@Optional @Service NodeService node, MApplication app) {
		Actions.search(shell, index, node, app);
	}
}
