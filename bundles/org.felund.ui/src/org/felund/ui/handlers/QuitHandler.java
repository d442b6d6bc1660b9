package org.felund.ui.handlers;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.workbench.IWorkbench;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.widgets.Shell;
import org.felund.ui.internal.ChannelRef;
import org.felund.ui.internal.Drafts;
import org.felund.ui.internal.WidgetIds;

import jakarta.inject.Named;

/**
 * Ctrl+Q: closes the workbench; the node keeps its state in the store. An unsent message is kept as a draft,
 * but the user is asked first, since quitting with one is more often a slip than a choice.
 */
public class QuitHandler {
	@Execute
	public void execute(IWorkbench workbench, @Optional Drafts drafts,
			@Optional @Named(org.eclipse.e4.ui.services.IServiceConstants.ACTIVE_SHELL) Shell shell) {
		ChannelRef unsent = drafts == null ? null : drafts.any().orElse(null);
		if (unsent != null && !confirm(shell, unsent)) {
			return;
		}
		workbench.close();
	}

	private static boolean confirm(Shell shell, ChannelRef unsent) {
		MessageDialog dialog = new MessageDialog(shell, "Quit Felund", null,
				"You have a message you have not sent (in #" + unsent.channelId()
						+ "). Quit anyway? It is kept as a draft for the next time.",
				MessageDialog.QUESTION, 1, "Quit", "Cancel") {
			@Override
			protected void configureShell(Shell s) {
				super.configureShell(s);
				WidgetIds.tag(s, "quit.dialog");
			}
		};
		return dialog.open() == 0;
	}
}
