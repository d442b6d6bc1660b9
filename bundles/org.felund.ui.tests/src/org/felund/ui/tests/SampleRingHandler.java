package org.felund.ui.tests;

import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.e4.core.di.annotations.Execute;

/** The handler of the test calls plugin's own command (F7). */
public class SampleRingHandler {
	static final AtomicInteger RUNS = new AtomicInteger();

	@Execute
	public void execute() {
		RUNS.incrementAndGet();
	}
}
