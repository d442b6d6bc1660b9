package org.felund.api.node;

import java.util.Optional;

import org.felund.api.control.ControlListener;
import org.felund.api.control.ControlMessage;

/**
 * A plugin's say in how the chat tells the control events it deals with: the calls plugin, for one, marks a
 * {@code CALL_EVT} it ignored (a member who is not the host ending the call). Registered as an OSGi service
 * (whiteboard); {@link NodeService#describe} asks every contributor whose {@value #TYPES_PROPERTY} property names the
 * event's type ({@code t}), in service ranking order, each one getting the line the one before left.
 */
@FunctionalInterface
public interface SystemNoteContributor {
	/** Service property: the {@code t} values (String or String[]) a contributor deals with; required. */
	String TYPES_PROPERTY = ControlListener.TYPES_PROPERTY;

	/**
	 * Called on the caller's thread (often the UI thread): answer from memory, quickly.
	 *
	 * @param message the event and the message that carried it
	 * @param proposed the line the chat would show, or empty when it would show none
	 * @return the line to show: {@code proposed} to keep it, another one, or empty to show nothing
	 */
	Optional<SystemNote> describe(ControlMessage message, Optional<SystemNote> proposed);
}
