package org.felund.ui.handlers;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.di.extensions.Service;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.widgets.Shell;
import org.felund.api.call.CallService;
import org.felund.ui.internal.SlashCommands;

import jakarta.inject.Named;

/** F4: brings the call panel forward once the calls plugin is installed, and says so until then. */
public class CallPanelHandler {
	public static final String CALL_PART = "org.felund.ui.part.call";

	@Execute
	public void execute(@Named("activeShell") Shell shell, @Optional @Service CallService calls, EPartService parts) {
		if (calls == null) {
			MessageDialog.openInformation(shell, "Calls", SlashCommands.CALLS_NOT_INSTALLED);
			return;
		}
		parts.showPart(CALL_PART, EPartService.PartState.ACTIVATE);
	}
}
