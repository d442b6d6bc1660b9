package org.felund.node.cli.internal;

import java.util.List;
import java.util.Optional;

import org.felund.api.cli.NodeCommand;

/** The commands that installed plugins add to {@code felund-node} ({@link NodeCommand} services), by name. */
interface PluginCommands {
	PluginCommands NONE = new PluginCommands() {
		@Override
		public Lookup find(String name) {
			return new Lookup(Optional.empty(), "");
		}

		@Override
		public List<NodeCommand> all() {
			return List.of();
		}

		@Override
		public List<NodeCommand> settled() {
			return List.of();
		}
	};

	/**
	 * The command of that name, waiting (bounded) while a plugin that declares a command is still starting.
	 *
	 * @return the command, or why there is none ({@code ""}: no installed plugin declares one of that name)
	 */
	Lookup find(String name) throws InterruptedException;

	/** The commands there are now, by name. */
	List<NodeCommand> all();

	/** The commands once those that plugins declare have come up (waiting a bounded time), by name. */
	List<NodeCommand> settled() throws InterruptedException;

	/** @param pending when no command was found: which plugin command did not come up, and what it waits for */
	record Lookup(Optional<NodeCommand> command, String pending) {
	}
}
