package org.felund.api.control;

/**
 * A control event: what a message on channel {@code __control} carries (protocol §5). Optional fields are
 * {@code null} when absent, so an event read from the wire is written back with exactly the fields it had. The
 * wire form (key order, escapes, parse rules) lives in {@code org.felund.protocol.control.ControlEvents}.
 */
public sealed interface ControlEvent permits ChannelEvent, CircleNameEvent, AnchorAnnounce, CallEvent {
	/** The {@code t} value. */
	String type();
}
