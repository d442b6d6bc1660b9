package org.felund.api.call;

/**
 * This node's own media.
 *
 * @param sessionId the call this node is in, or {@code ""}
 * @param role what this node is in that call ({@link Role#NONE} when in none)
 * @param muted whether the microphone is muted (sends silence; nothing is renegotiated)
 * @param cameraOn whether video is sent
 * @param cameraAvailable whether a video source exists; without one the call is audio only
 * @param audioInput the audio source in use (a device's name, or a test source such as {@code tone 440 Hz})
 * @param videoInput the video source in use, or {@code ""}
 * @param problem what keeps media from working ({@code ""} when nothing does), e.g. no relay to signal through
 */
public record LocalMedia(String sessionId, Role role, boolean muted, boolean cameraOn, boolean cameraAvailable,
		String audioInput, String videoInput, String problem) {
	public static final LocalMedia NONE = new LocalMedia("", Role.NONE, false, false, false, "", "", "");

	public LocalMedia {
		sessionId = sessionId == null ? "" : sessionId;
		audioInput = audioInput == null ? "" : audioInput;
		videoInput = videoInput == null ? "" : videoInput;
		problem = problem == null ? "" : problem;
	}

	public boolean inCall() {
		return !sessionId.isEmpty();
	}
}
