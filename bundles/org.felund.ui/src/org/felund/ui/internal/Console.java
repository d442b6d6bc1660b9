package org.felund.ui.internal;

import java.util.List;
import java.util.function.Consumer;

import org.felund.api.model.Circle;
import org.felund.api.node.NodeService;
import org.felund.ui.contrib.ChatCommand;

/** What slash commands may do in the window they are typed in. Called on the UI thread. */
public interface Console {
	/** The node, or null while it starts. */
	NodeService node();

	/** The slash commands plugins have registered now. */
	List<ChatCommand> contributions();

	/** The circle and channel the command was typed in, or null. */
	ChannelRef current();

	/** Shows a line only in this window (command output, errors). */
	void print(String line);

	/** Makes the window show a channel. */
	void select(ChannelRef ref);

	void showInvite();

	void showSettings();

	void showHelp();

	/** Asks the user a yes/no question. */
	boolean confirm(String question);

	/** Joins a circle in the background (it may wait for a first sync); {@code joined} runs on the UI thread. */
	void joinInBackground(String inviteCode, Consumer<Circle> joined);
}
