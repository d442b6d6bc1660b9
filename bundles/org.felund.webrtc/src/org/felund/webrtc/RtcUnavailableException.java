package org.felund.webrtc;

/** WebRTC cannot run in this process: the native library did not load, or a factory could not be created. */
public final class RtcUnavailableException extends Exception {
	private static final long serialVersionUID = 1L;

	public RtcUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}
}
