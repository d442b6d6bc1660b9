package org.felund.ui.handlers;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.swt.widgets.Shell;
import org.felund.ui.internal.Actions;

import jakarta.inject.Named;

/** F1: the keys and the commands. */
public class HelpHandler {
	@Execute
	public void execute(@Named("activeShell") Shell shell) {
		Actions.showHelp(shell);
	}
}
