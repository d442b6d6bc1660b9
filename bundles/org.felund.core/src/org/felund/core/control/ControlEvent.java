package org.felund.core.control;

import org.felund.core.wire.Json;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A control event: the JSON object carried as the {@code text} of a message on channel {@code __control}
 * (protocol §5). Optional fields are {@code null} when absent, so an event read from the wire is written back
 * with exactly the fields it had.
 */
public sealed interface ControlEvent permits ChannelEvent, CircleNameEvent, AnchorAnnounce, CallEvent {
	/** The {@code t} value. */
	String type();

	/** The event object (field order does not matter; {@link #toText()} sorts). */
	ObjectNode toJson();

	/** The message text as the reference writes it: compact, keys sorted, non-ASCII escaped. */
	default String toText() {
		return Json.asciiSorted(toJson());
	}
}
