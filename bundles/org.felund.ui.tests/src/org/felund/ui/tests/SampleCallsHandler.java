package org.felund.ui.tests;

import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.workbench.modeling.EPartService;

/** The test calls plugin's handler for the workbench's calls command (F4): shows its part. */
public class SampleCallsHandler {
	static final AtomicInteger RUNS = new AtomicInteger();

	@Execute
	public void execute(EPartService parts) {
		RUNS.incrementAndGet();
		parts.showPart(TestPlugins.CALLS_PART, EPartService.PartState.ACTIVATE);
	}
}
