package org.felund.calls.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

import org.felund.api.call.CallService;
import org.felund.calls.CallsOptions;
import org.felund.webrtc.AudioMode;
import org.felund.webrtc.IceSettings;
import org.felund.webrtc.WebRtcSettings;

/**
 * The calls plugin's configuration (Configuration Admin PID {@value #PID}, described by {@link CallsMetaType}) turned
 * into {@link CallsOptions}. A key absent from the configuration falls back to a framework property
 * ({@code felund.calls.<key>}, for the headless node and tests), then to the default.
 */
public final class CallsSettings {
	public static final String PID = "org.felund.calls";

	public static final String VIEWER_CAP = "viewer.cap";
	public static final String RELAY_URL = "relay.url";
	public static final String ICE_SERVERS = WebRtcSettings.ICE_SERVERS;
	public static final String ICE_USERNAME = WebRtcSettings.ICE_USERNAME;
	public static final String ICE_CREDENTIAL = WebRtcSettings.ICE_CREDENTIAL;
	public static final String PORT_MIN = WebRtcSettings.PORT_MIN;
	public static final String PORT_MAX = WebRtcSettings.PORT_MAX;
	public static final String LOOPBACK = WebRtcSettings.LOOPBACK;
	public static final String MICROPHONE = "audio.input";
	public static final String SPEAKER = "audio.output";
	public static final String CAMERA = "video.input";
	public static final String CAMERA_ON_JOIN = "video.onJoin";
	public static final String AUDIO_MODE = "audio.devices";
	public static final String HOST_TIMEOUT = "host.timeout";

	private CallsSettings() {
	}

	/**
	 * @throws IllegalArgumentException naming the key whose value is unusable
	 */
	public static CallsOptions options(Function<String, Object> config, Function<String, String> framework) {
		Function<String, Object> v = key -> {
			Object value = config.apply(key);
			return value != null ? value : framework.apply("felund.calls." + key);
		};
		CallsOptions o = CallsOptions.defaults();
		o = checked(VIEWER_CAP, o, x -> x.withViewerCap(WebRtcSettings.integer(v.apply(VIEWER_CAP), VIEWER_CAP,
				CallService.DEFAULT_VIEWER_CAP)));
		String relay = string(v.apply(RELAY_URL));
		o = checked(RELAY_URL, o, x -> x.withRelayUrl(relay));
		// ICE servers, ports and loopback are read as every WebRTC plugin reads them (the shared layer's rules).
		IceSettings ice = WebRtcSettings.ice(v);
		o = o.withIce(ice);
		String microphone = string(v.apply(MICROPHONE));
		String speaker = string(v.apply(SPEAKER));
		String camera = string(v.apply(CAMERA));
		for (String[] check : new String[][] { { MICROPHONE, microphone, "MICROPHONE" }, { SPEAKER, speaker, "SPEAKER" },
				{ CAMERA, camera, "CAMERA" } }) {
			if (!check[1].isEmpty()) {
				try {
					MediaSources.check(org.felund.api.call.MediaSource.Kind.valueOf(check[2]), check[1]);
				} catch (IllegalArgumentException e) {
					throw new IllegalArgumentException(check[0] + ": " + e.getMessage(), e);
				}
			}
		}
		o = o.withSources(microphone, speaker, camera)
				.withCameraOnJoin(WebRtcSettings.bool(v.apply(CAMERA_ON_JOIN), CAMERA_ON_JOIN, true));
		String mode = string(v.apply(AUDIO_MODE)).toLowerCase(Locale.ROOT);
		o = o.withAudioMode(switch (mode) {
		case "", "system" -> AudioMode.SYSTEM;
		case "virtual", "headless" -> AudioMode.HEADLESS;
		default -> throw new IllegalArgumentException(AUDIO_MODE + " must be system or virtual, got '" + mode + "'");
		});
		int timeout = WebRtcSettings.integer(v.apply(HOST_TIMEOUT), HOST_TIMEOUT, 180);
		o = checked(HOST_TIMEOUT, o, x -> x.withHostTimeout(Duration.ofSeconds(timeout)));
		return o;
	}

	private interface Change {
		CallsOptions apply(CallsOptions o);
	}

	private static CallsOptions checked(String key, CallsOptions o, Change change) {
		try {
			return change.apply(o);
		} catch (IllegalArgumentException e) {
			throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
		}
	}

	private static String string(Object v) {
		return v == null ? "" : v.toString().trim();
	}
}
