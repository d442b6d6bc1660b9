package org.felund.ui.handlers;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.workbench.IWorkbench;

/** Ctrl+Q: closes the workbench; the node keeps its state in the store. */
public class QuitHandler {
	@Execute
	public void execute(IWorkbench workbench) {
		workbench.close();
	}
}
