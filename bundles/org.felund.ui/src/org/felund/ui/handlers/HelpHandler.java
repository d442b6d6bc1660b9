package org.felund.ui.handlers;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.widgets.Shell;

import jakarta.inject.Named;

/** F1: the commands and keyboard shortcuts. */
public class HelpHandler {
	static final String TEXT = """
			Keyboard
			  F1            this help
			  F2            invite code of the selected circle (with copy)
			  Enter         send the message
			  Shift+Enter   new line in the message

			Circles
			  New circle…   creates a circle and shows its invite code
			  Join…         joins a circle with a felund1. invite code
			""";

	@Execute
	public void execute(@Named("activeShell") Shell shell) {
		MessageDialog.openInformation(shell, "Felund help", TEXT);
	}
}
