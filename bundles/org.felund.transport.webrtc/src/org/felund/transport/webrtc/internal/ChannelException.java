package org.felund.transport.webrtc.internal;

/** Input on a channel that breaks the protocol; the message is the logged reason the session is closed for. */
final class ChannelException extends Exception {
	private static final long serialVersionUID = 1L;

	ChannelException(String reason) {
		super(reason);
	}

	ChannelException(String reason, Throwable cause) {
		super(reason, cause);
	}
}
