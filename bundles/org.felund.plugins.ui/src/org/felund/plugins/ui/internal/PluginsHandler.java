package org.felund.plugins.ui.internal;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.di.extensions.Service;
import org.eclipse.e4.ui.workbench.IWorkbench;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.widgets.Shell;
import org.felund.plugins.PluginService;

import jakarta.inject.Named;

/** Felund ▸ Plugins… (Ctrl+Shift+P): the Plugins dialog. */
public class PluginsHandler {
	@CanExecute
	public boolean canExecute(@Optional @Service PluginService plugins) {
		return plugins != null;
	}

	@Execute
	public void execute(@Named("activeShell") Shell shell, @Optional @Service PluginService plugins,
			IWorkbench workbench) {
		if (plugins == null) {
			MessageDialog.openInformation(shell, "Plugins", "The plugin manager is not running in this product.");
			return;
		}
		new PluginsDialog(shell, plugins, workbench::restart).open();
	}
}
