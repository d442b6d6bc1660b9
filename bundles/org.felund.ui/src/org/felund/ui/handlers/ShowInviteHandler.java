package org.felund.ui.handlers;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.di.extensions.Service;
import org.eclipse.swt.widgets.Shell;
import org.felund.api.node.NodeService;
import org.felund.ui.internal.Actions;
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
		Actions.showInvite(shell, node, ref.circleId());
	}
}
