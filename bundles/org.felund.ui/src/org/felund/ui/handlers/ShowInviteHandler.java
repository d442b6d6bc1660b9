package org.felund.ui.handlers;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.di.extensions.Service;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.dnd.Clipboard;
import org.eclipse.swt.dnd.TextTransfer;
import org.eclipse.swt.dnd.Transfer;
import org.eclipse.swt.widgets.Shell;
import org.felund.api.node.NodeService;
import org.felund.ui.internal.ChannelRef;

import jakarta.inject.Named;

/** F2: shows the invite code of the selected circle and offers to copy it. */
public class ShowInviteHandler {
	@CanExecute
	public boolean canExecute(@Optional @Service NodeService node, @Optional ChannelRef ref) {
		return node != null && ref != null;
	}

	@Execute
	public void execute(@Named("activeShell") Shell shell, @Service NodeService node, ChannelRef ref) {
		String code = node.inviteCode(ref.circleId(), null);
		MessageDialog dialog = new MessageDialog(shell, "Invite code", null,
				"Anyone with this code can join the circle and read its messages:\n\n" + code,
				MessageDialog.INFORMATION, 0, "Copy and close", "Close");
		if (dialog.open() == 0) {
			Clipboard clipboard = new Clipboard(shell.getDisplay());
			try {
				clipboard.setContents(new Object[] { code }, new Transfer[] { TextTransfer.getInstance() });
			} finally {
				clipboard.dispose();
			}
		}
	}
}
