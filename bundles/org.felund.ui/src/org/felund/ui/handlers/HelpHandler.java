package org.felund.ui.handlers;

import java.util.List;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.di.extensions.Service;
import org.eclipse.swt.widgets.Shell;
import org.felund.ui.contrib.ChatCommand;
import org.felund.ui.internal.Actions;

import jakarta.inject.Named;

/** F1: keys and the slash commands, the plugins' included. */
public class HelpHandler {
	@Execute
	public void execute(@Named("activeShell") Shell shell, @Optional @Service List<ChatCommand> contributions) {
		Actions.showHelp(shell, contributions == null ? List.of() : contributions);
	}
}
