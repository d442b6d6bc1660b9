package org.felund.ui.contrib;

import java.util.List;
import java.util.Objects;

/**
 * A slash command a plugin adds to the composer, registered as an OSGi service. While it is registered its
 * usages appear in completion and in the help (F1), and a line that starts with its {@link #name()} runs it;
 * when its bundle stops, the command goes with it. A name the workbench already uses is ignored.
 * <p>
 * The workbench reserves a few names for plugins it knows may be missing ({@code /call}): until a command of
 * that name is registered, typing it says which plugin to install.
 */
public interface ChatCommand {
	/** The first word, with its slash and in lower case, e.g. {@code /call}. */
	String name();

	/** One entry per form of the command, for completion and help; each {@link Usage#words()} starts with the name. */
	List<Usage> usages();

	/**
	 * Runs a line typed in the composer, on the UI thread; work that may take a while belongs in a background job.
	 * Throw {@link IllegalArgumentException} with a message fit to show (e.g. the usage) to refuse the line.
	 *
	 * @param arguments the words after the name, already split at white space
	 */
	void run(List<String> arguments, ChatContext context);

	/**
	 * A form of a command as completion and help show it.
	 *
	 * @param words the command words, e.g. {@code /call start}
	 * @param arguments what follows them, e.g. {@code [broadcast]}, or empty
	 * @param description what it does, in a few words
	 */
	record Usage(String words, String arguments, String description) {
		public Usage {
			Objects.requireNonNull(words, "words");
			arguments = arguments == null ? "" : arguments;
			description = description == null ? "" : description;
		}
	}
}
