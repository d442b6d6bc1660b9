package org.felund.api.control;

/**
 * Hears control events as the node accepts them, created here or received by any transport, once each, in
 * acceptance order. Called on the node's event thread: return quickly and hop to your own thread for slow work.
 * <p>
 * Register it with {@link ControlEventService#addListener}, or as an OSGi service (whiteboard): the node delivers
 * to every registered {@code ControlListener} service, restricted to the event types named in its
 * {@value #TYPES_PROPERTY} service property when that property is set (e.g. {@code CALL_EVT}).
 */
@FunctionalInterface
public interface ControlListener {
	/** Service property: the {@code t} values (String or String[]) a whiteboard listener wants; absent = all. */
	String TYPES_PROPERTY = "felund.control.types";

	/**
	 * @param message the event and its carrying message
	 * @param originTransportId the transport that delivered it, {@code local} for events this node created, or
	 *            {@code store} for events another process stored in the same home
	 */
	void controlEvent(ControlMessage message, String originTransportId);
}
