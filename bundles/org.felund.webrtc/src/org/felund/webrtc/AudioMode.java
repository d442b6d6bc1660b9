package org.felund.webrtc;

/**
 * Which audio device module a peer-connection factory gets. libwebrtc needs one even for DataChannels, and its default
 * one aborts the JVM on a machine without a sound server, so the choice is always explicit.
 */
public enum AudioMode {
	/** A dummy module without devices: DataChannels, and media that is only sent from custom sources. */
	NONE,
	/**
	 * Virtual speaker and microphone without any sound system: receives audio (playout runs) on headless machines and
	 * in tests.
	 */
	HEADLESS,
	/** The platform's sound system (PulseAudio on Linux); falls back to {@link #HEADLESS} when it cannot start. */
	SYSTEM
}
