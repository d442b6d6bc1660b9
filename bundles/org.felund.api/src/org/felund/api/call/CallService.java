package org.felund.api.call;

import java.util.List;
import java.util.Optional;

/**
 * Audio and video calls among the members of a circle, announced with {@code CALL_EVT} control events (protocol §5.5)
 * and carried by WebRTC (§8.4): calls where everyone sends and receives, and broadcasts where the host sends to
 * viewers that only receive (§8.5). This node is in at most one call at a time. Provided by the calls plugin when
 * it is installed.
 * <p>
 * Rule breaches (not the host, the viewer cap reached, already in another call, an unknown call) throw
 * {@link IllegalStateException} or {@link IllegalArgumentException} with a message fit to show; nothing is sent then.
 */
public interface CallService {
	/** The number of viewers a host sends to unless configured otherwise (the reference's cap). */
	int DEFAULT_VIEWER_CAP = 6;

	/** The calls of a circle that have not ended, oldest first. */
	List<Call> calls(String circleId);

	/** A call by its session id, also an ended one this node still remembers. */
	Optional<Call> call(String sessionId);

	/** The call this node takes part in or watches. */
	Optional<Call> current();

	/** Starts a call in a channel, with this node as its host and first participant. */
	Call start(String circleId, String channelId);

	/** Joins a call: sends and receives audio (and video when the camera is on) with its other participants. */
	Call join(String sessionId);

	/** Watches a call: receives the host's media and sends nothing. Refused when the viewer cap is reached. */
	Call view(String sessionId);

	/** Leaves the call (as participant or viewer). */
	void leave(String sessionId);

	/** Ends the call for everyone; host only. */
	void end(String sessionId);

	/** Removes a participant or viewer from the call and stops media with it; host only. */
	void revoke(String sessionId, String nodeId);

	/** How many viewers a host sends to. */
	int viewerCap();

	LocalMedia localMedia();

	/** Mutes or unmutes the microphone of the current call, without renegotiating. */
	void setMuted(boolean muted);

	/** Turns video on or off in the current call (renegotiates with every peer). */
	void setCamera(boolean on);

	/** The microphones, speakers and cameras found now, and the test sources; the first of each kind is the default. */
	List<MediaSource> sources();

	/**
	 * Uses a source in this process from now on, instead of the one the settings name (the current call's media
	 * restarts with it).
	 *
	 * @throws IllegalArgumentException for an id that names no source of that kind
	 */
	void selectSource(MediaSource.Kind kind, String id);

	/** The connections of the current call, one per peer this node exchanges media with. */
	List<PeerMedia> peers();

	/**
	 * Shows a peer's video of the current call (this node's own id: the local camera, as a preview) to a sink until
	 * the returned handle is closed; a peer whose video is not there yet is shown once it arrives.
	 */
	AutoCloseable watch(String nodeId, VideoSink sink);

	void addListener(CallListener listener);

	void removeListener(CallListener listener);
}
