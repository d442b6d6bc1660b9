package org.felund.ui.contrib;

import java.util.Optional;

/** Where a {@link ChatCommand} was typed, and how it answers. Used on the UI thread only. */
public interface ChatContext {
	/** The circle the chat shows, if any. */
	Optional<String> circleId();

	/** The channel the chat shows, if any. */
	Optional<String> channelId();

	/** Shows a line in this chat only (never sent to anyone). */
	void print(String line);
}
