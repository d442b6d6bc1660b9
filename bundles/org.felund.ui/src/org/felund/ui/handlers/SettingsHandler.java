package org.felund.ui.handlers;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.di.extensions.Service;
import org.eclipse.swt.widgets.Shell;
import org.felund.api.node.NodeService;
import org.felund.ui.internal.Actions;
import org.felund.ui.settings.PluginConfigurations;

import jakarta.inject.Named;

/** F3: the node's name, the notifications, and the settings page of every plugin configuration. */
public class SettingsHandler {
	@Execute
	public void execute(@Named("activeShell") Shell shell, @Optional @Service NodeService node,
			@Optional PluginConfigurations plugins, org.eclipse.e4.ui.model.application.MApplication app) {
		Actions.showSettings(shell, node, plugins, app);
	}
}
