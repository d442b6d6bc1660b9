package org.felund.calls;

import java.time.Duration;
import java.util.Objects;

import org.felund.api.call.CallService;
import org.felund.webrtc.AudioMode;
import org.felund.webrtc.IceSettings;
import org.felund.webrtc.SignalMailbox;
import org.felund.webrtc.Signaling;

/**
 * How the calls service works: its limits, where it signals, how it finds a path, which sources it uses. The DS
 * component builds one from the Configuration Admin PID {@code org.felund.calls}; tests build their own.
 *
 * @param viewerCap how many viewers a host sends to (1..64)
 * @param relayUrl the relay whose {@code /v1/signal} mailbox carries media signals ({@code ""}: the relay the node's
 *            relay transport advertises)
 * @param ice STUN/TURN servers, ports, loopback
 * @param audioMode the audio device module: {@link AudioMode#SYSTEM} (the sound system, virtual devices where there is
 *            none) or {@link AudioMode#HEADLESS}
 * @param microphone the microphone's source id (see {@code SourceIds})
 * @param speaker the speaker's source id
 * @param camera the camera's source id
 * @param cameraOnJoin whether video is on when joining (when a camera exists)
 * @param hostTimeout a call whose host was not heard of for this long ends here
 * @param signaling media signaling (ICE timeout 20 s, renegotiation)
 * @param mailbox the signal mailbox's polling and back-off
 * @param statsInterval how often each connection's statistics are read
 * @param retryMin first pause before offering again to a peer whose connection failed
 * @param retryMax longest such pause
 */
public record CallsOptions(int viewerCap, String relayUrl, IceSettings ice, AudioMode audioMode, String microphone,
		String speaker, String camera, boolean cameraOnJoin, Duration hostTimeout, Signaling.Options signaling,
		SignalMailbox.Options mailbox, Duration statsInterval, Duration retryMin, Duration retryMax) {
	public static final int MAX_VIEWER_CAP = 64;

	public CallsOptions {
		if (viewerCap < 1 || viewerCap > MAX_VIEWER_CAP) {
			throw new IllegalArgumentException("The viewer cap must be 1.." + MAX_VIEWER_CAP + ", got " + viewerCap);
		}
		relayUrl = relayUrl == null ? "" : relayUrl.strip();
		if (!relayUrl.isEmpty()) {
			SignalMailbox.signalUrl(relayUrl); // checks it
		}
		Objects.requireNonNull(ice, "ice");
		Objects.requireNonNull(audioMode, "audioMode");
		if (audioMode == AudioMode.NONE) {
			throw new IllegalArgumentException("Calls need an audio device module that plays (SYSTEM or HEADLESS)");
		}
		microphone = microphone == null || microphone.isBlank() ? "default" : microphone.strip();
		speaker = speaker == null || speaker.isBlank() ? "default" : speaker.strip();
		camera = camera == null || camera.isBlank() ? "default" : camera.strip();
		Objects.requireNonNull(hostTimeout, "hostTimeout");
		if (hostTimeout.toSeconds() < 10) {
			throw new IllegalArgumentException("The host timeout must be at least 10 s, got " + hostTimeout.toSeconds());
		}
		Objects.requireNonNull(signaling, "signaling");
		if (!signaling.renegotiation()) {
			throw new IllegalArgumentException("Media signaling must renegotiate (cameras turn on and off)");
		}
		Objects.requireNonNull(mailbox, "mailbox");
		Objects.requireNonNull(statsInterval, "statsInterval");
		Objects.requireNonNull(retryMin, "retryMin");
		Objects.requireNonNull(retryMax, "retryMax");
	}

	/** The defaults: the reference's cap and timeouts (§8.4, §8.5), the system's devices, host candidates only. */
	public static CallsOptions defaults() {
		return new CallsOptions(CallService.DEFAULT_VIEWER_CAP, "", IceSettings.hostOnly(), AudioMode.SYSTEM, "default",
				"default", "default", true, Duration.ofMinutes(3), Signaling.Options.media(),
				SignalMailbox.Options.defaults(), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(10));
	}

	public CallsOptions withViewerCap(int cap) {
		return new CallsOptions(cap, relayUrl, ice, audioMode, microphone, speaker, camera, cameraOnJoin, hostTimeout,
				signaling, mailbox, statsInterval, retryMin, retryMax);
	}

	public CallsOptions withRelayUrl(String url) {
		return new CallsOptions(viewerCap, url, ice, audioMode, microphone, speaker, camera, cameraOnJoin, hostTimeout,
				signaling, mailbox, statsInterval, retryMin, retryMax);
	}

	public CallsOptions withIce(IceSettings newIce) {
		return new CallsOptions(viewerCap, relayUrl, newIce, audioMode, microphone, speaker, camera, cameraOnJoin,
				hostTimeout, signaling, mailbox, statsInterval, retryMin, retryMax);
	}

	public CallsOptions withAudioMode(AudioMode mode) {
		return new CallsOptions(viewerCap, relayUrl, ice, mode, microphone, speaker, camera, cameraOnJoin, hostTimeout,
				signaling, mailbox, statsInterval, retryMin, retryMax);
	}

	public CallsOptions withSources(String newMicrophone, String newSpeaker, String newCamera) {
		return new CallsOptions(viewerCap, relayUrl, ice, audioMode, newMicrophone, newSpeaker, newCamera, cameraOnJoin,
				hostTimeout, signaling, mailbox, statsInterval, retryMin, retryMax);
	}

	public CallsOptions withCameraOnJoin(boolean on) {
		return new CallsOptions(viewerCap, relayUrl, ice, audioMode, microphone, speaker, camera, on, hostTimeout,
				signaling, mailbox, statsInterval, retryMin, retryMax);
	}

	public CallsOptions withHostTimeout(Duration timeout) {
		return new CallsOptions(viewerCap, relayUrl, ice, audioMode, microphone, speaker, camera, cameraOnJoin, timeout,
				signaling, mailbox, statsInterval, retryMin, retryMax);
	}

	public CallsOptions withSignaling(Signaling.Options newSignaling, SignalMailbox.Options newMailbox) {
		return new CallsOptions(viewerCap, relayUrl, ice, audioMode, microphone, speaker, camera, cameraOnJoin,
				hostTimeout, newSignaling, newMailbox, statsInterval, retryMin, retryMax);
	}

	public CallsOptions withTimings(Duration newStatsInterval, Duration newRetryMin, Duration newRetryMax) {
		return new CallsOptions(viewerCap, relayUrl, ice, audioMode, microphone, speaker, camera, cameraOnJoin,
				hostTimeout, signaling, mailbox, newStatsInterval, newRetryMin, newRetryMax);
	}
}
