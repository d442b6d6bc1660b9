package org.felund.ui.handlers;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.widgets.Shell;
import org.felund.ui.internal.SlashCommands;

import jakarta.inject.Named;

/**
 * F4 ({@value #COMMAND}) until a calls plugin is installed: it says so. The workbench keeps this handler at the
 * application; a calls plugin's model fragment adds its own handler for the same command to the main window,
 * which is nearer the focus and therefore wins while the plugin is there (docs/architecture.md, "UI
 * contributions").
 */
public class CallsHandler {
	public static final String COMMAND = "org.felund.ui.command.calls";

	@Execute
	public void execute(@Named("activeShell") Shell shell) {
		MessageDialog.openInformation(shell, "Calls", SlashCommands.CALLS_NOT_INSTALLED);
	}
}
