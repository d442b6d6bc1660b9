package org.felund.api.model;

/**
 * Input that violates the felund protocol: a malformed invite, id, event, frame or stored row.
 * The message is meant for the user or the log and names what was wrong.
 */
public class ProtocolException extends RuntimeException {
	private static final long serialVersionUID = 1L;

	public ProtocolException(String message) {
		super(message);
	}

	public ProtocolException(String message, Throwable cause) {
		super(message, cause);
	}
}
