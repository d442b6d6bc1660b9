package org.felund.api.control;

/**
 * {@code CIRCLE_NAME_EVT} (protocol §5.3). We always emit {@code circle_id} (Python ignores the event without it)
 * and accept the web's form without it.
 */
public record CircleNameEvent(String circleId, String name) implements ControlEvent {
	public static final String TYPE = "CIRCLE_NAME_EVT";

	@Override
	public String type() {
		return TYPE;
	}
}
