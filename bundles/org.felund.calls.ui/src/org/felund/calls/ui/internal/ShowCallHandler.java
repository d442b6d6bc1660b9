package org.felund.calls.ui.internal;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.workbench.modeling.EPartService;

/** F4 and View ▸ Calls while the calls plugin is installed: the call view beside the chat. */
public class ShowCallHandler {
	@Execute
	public void execute(EPartService parts) {
		parts.showPart(CallPart.ID, EPartService.PartState.ACTIVATE);
	}
}
