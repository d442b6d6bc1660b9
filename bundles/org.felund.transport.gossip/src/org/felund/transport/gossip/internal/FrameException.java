package org.felund.transport.gossip.internal;

/**
 * A frame that breaks the protocol. {@link #errorText()} is the reference's {@code ERROR} text to answer with,
 * or {@code null} when the connection is just closed (what the reference client does, and what we do when the
 * peer itself reported an error).
 */
public final class FrameException extends Exception {
	private static final long serialVersionUID = 1L;
	private final String errorText;

	public FrameException(String errorText, String detail) {
		super(detail);
		this.errorText = errorText;
	}

	public FrameException(String errorText, String detail, Throwable cause) {
		super(detail, cause);
		this.errorText = errorText;
	}

	public String errorText() {
		return errorText;
	}
}
