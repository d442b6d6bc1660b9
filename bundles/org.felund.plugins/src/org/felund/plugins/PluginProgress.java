package org.felund.plugins;

/** Progress of a long operation, and the way to cancel it. Called from the thread doing the work. */
public interface PluginProgress {
	/** Does nothing and never cancels. */
	PluginProgress NONE = new PluginProgress() {
	};

	/** The operation's name and its amount of work, or a negative amount when unknown. */
	default void begin(String task, int totalWork) {
	}

	/** What it is doing now (e.g. the file being downloaded). */
	default void subTask(String name) {
	}

	default void worked(int work) {
	}

	/** Polled by the operation: true stops it, and the installation stays unchanged. */
	default boolean isCanceled() {
		return false;
	}
}
