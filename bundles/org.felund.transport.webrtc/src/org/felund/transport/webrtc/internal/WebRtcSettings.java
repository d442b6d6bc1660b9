package org.felund.transport.webrtc.internal;

import java.util.Map;
import java.util.function.Function;

import org.felund.transport.webrtc.WebRtcOptions;

/**
 * The transport's configuration (Configuration Admin PID {@value #PID}, described for the preference page and the
 * CLI by {@code OSGI-INF/metatype/webrtc.xml}) turned into {@link WebRtcOptions}. A key absent from the configuration
 * falls back to a framework property ({@code felund.webrtc.*}, for the headless node and tests), then to the
 * default. The ICE keys are read by the shared layer ({@link org.felund.webrtc.WebRtcSettings}), as for calls.
 */
public final class WebRtcSettings {
	public static final String PID = "org.felund.transport.webrtc";

	public static final String ENABLED = "enabled";
	public static final String RELAY_URL = "relay.url";
	public static final String ICE_SERVERS = org.felund.webrtc.WebRtcSettings.ICE_SERVERS;
	public static final String ICE_USERNAME = org.felund.webrtc.WebRtcSettings.ICE_USERNAME;
	public static final String ICE_CREDENTIAL = org.felund.webrtc.WebRtcSettings.ICE_CREDENTIAL;
	public static final String PORT_MIN = org.felund.webrtc.WebRtcSettings.PORT_MIN;
	public static final String PORT_MAX = org.felund.webrtc.WebRtcSettings.PORT_MAX;
	public static final String LOOPBACK = org.felund.webrtc.WebRtcSettings.LOOPBACK;

	/** The framework property each ICE key falls back to. */
	private static final Map<String, String> ICE_PROPERTIES = Map.of(ICE_SERVERS, "felund.webrtc.iceServers",
			ICE_USERNAME, "felund.webrtc.iceUsername", ICE_CREDENTIAL, "felund.webrtc.iceCredential", PORT_MIN,
			"felund.webrtc.portMin", PORT_MAX, "felund.webrtc.portMax", LOOPBACK, "felund.webrtc.loopback");

	private WebRtcSettings() {
	}

	/**
	 * @param config the component's configuration (values as Configuration Admin stores them)
	 * @param framework framework properties
	 * @throws IllegalArgumentException naming the key whose value is unusable
	 */
	public static WebRtcOptions options(Function<String, Object> config, Function<String, String> framework) {
		WebRtcOptions o = WebRtcOptions.defaults();
		o = o.withEnabled(org.felund.webrtc.WebRtcSettings.bool(value(config, framework, ENABLED, "felund.webrtc.enabled"), ENABLED, true));
		String relay = string(value(config, framework, RELAY_URL, "felund.webrtc.relayUrl"));
		try {
			o = o.withRelayUrl(relay);
		} catch (IllegalArgumentException e) {
			throw new IllegalArgumentException(RELAY_URL + ": " + e.getMessage(), e);
		}
		return o.withIce(org.felund.webrtc.WebRtcSettings
				.ice(key -> value(config, framework, key, ICE_PROPERTIES.get(key))));
	}

	private static Object value(Function<String, Object> config, Function<String, String> framework, String key,
			String property) {
		Object v = config.apply(key);
		return v != null ? v : framework.apply(property);
	}

	private static String string(Object v) {
		return v == null ? "" : v.toString().trim();
	}
}
