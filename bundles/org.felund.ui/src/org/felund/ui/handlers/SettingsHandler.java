package org.felund.ui.handlers;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.di.extensions.Service;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.swt.widgets.Shell;
import org.felund.api.node.NodeService;
import org.felund.ui.internal.Actions;

import jakarta.inject.Named;

/** F3: the settings pages; changes go to the node through NodeService.configure. */
public class SettingsHandler {
	@Execute
	public void execute(@Named("activeShell") Shell shell, @Optional @Service NodeService node, UISynchronize sync) {
		Actions.showSettings(shell, node, sync);
	}
}
