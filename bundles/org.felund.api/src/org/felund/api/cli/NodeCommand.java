package org.felund.api.cli;

import java.util.List;

/**
 * A command a plugin adds to {@code felund-node}, registered as a service: {@code felund-node NAME ARGS…} runs it in
 * the node's process, with the node and the plugin's services up. It goes when its plugin goes; the command line then
 * says that no installed plugin provides it.
 * <p>
 * Commands that keep running (e.g. taking part in a call) wait with {@link CommandContext#awaitStop} and return
 * when the process is asked to stop (Ctrl-C, SIGTERM).
 */
public interface NodeCommand {
	/** Exit code: done. */
	int OK = 0;
	/** Exit code: the command failed; nothing was changed. */
	int FAILED = 1;
	/** Exit code: bad usage. */
	int USAGE = 2;

	/** The command's name, the first word after {@code felund-node}: lower-case letters, digits and '-'. */
	String name();

	/** Usage lines for {@code felund-node --help}, each starting with the name, e.g. {@code call status [--json]}. */
	List<String> usage();

	/**
	 * Runs the command.
	 *
	 * @param args the words after the name
	 * @return an exit code ({@link #OK}, {@link #FAILED}, {@link #USAGE} or a documented one of the command's own)
	 * @throws IllegalArgumentException with a message for the user when an argument is wrong (exit {@link #USAGE})
	 * @throws IllegalStateException with a message for the user when the command cannot be done (exit {@link #FAILED})
	 */
	int run(List<String> args, CommandContext context) throws InterruptedException;
}
