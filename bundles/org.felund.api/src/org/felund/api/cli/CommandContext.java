package org.felund.api.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;

/** What the command line gives a {@link NodeCommand} while it runs. */
public interface CommandContext {
	/** Standard output: results, one JSON document or line per item where the command says so. */
	PrintStream out();

	/** Standard error: one-line messages. */
	PrintStream err();

	/** Standard input. */
	InputStream in();

	/**
	 * Waits until the process is asked to stop or {@code timeout} passed.
	 *
	 * @return whether the process was asked to stop
	 */
	boolean awaitStop(Duration timeout) throws InterruptedException;
}
