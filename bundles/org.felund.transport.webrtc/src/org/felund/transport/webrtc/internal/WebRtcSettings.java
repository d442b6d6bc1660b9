package org.felund.transport.webrtc.internal;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import org.felund.transport.webrtc.WebRtcOptions;
import org.felund.webrtc.IceServer;

/**
 * The transport's configuration (Configuration Admin PID {@value #PID}, described for the preference page and the
 * CLI by {@code OSGI-INF/metatype/webrtc.xml}) turned into {@link WebRtcOptions}. A key absent from the configuration
 * falls back to a framework property ({@code felund.webrtc.*}, for the headless node and tests), then to the
 * default.
 */
public final class WebRtcSettings {
	public static final String PID = "org.felund.transport.webrtc";

	public static final String ENABLED = "enabled";
	public static final String RELAY_URL = "relay.url";
	public static final String ICE_SERVERS = "ice.servers";
	public static final String ICE_USERNAME = "ice.username";
	public static final String ICE_CREDENTIAL = "ice.credential";
	public static final String PORT_MIN = "ice.port.min";
	public static final String PORT_MAX = "ice.port.max";
	public static final String LOOPBACK = "ice.loopback";

	private WebRtcSettings() {
	}

	/**
	 * @param config the component's configuration (values as Configuration Admin stores them)
	 * @param framework framework properties
	 * @throws IllegalArgumentException naming the key whose value is unusable
	 */
	public static WebRtcOptions options(Function<String, Object> config, Function<String, String> framework) {
		WebRtcOptions o = WebRtcOptions.defaults();
		o = o.withEnabled(bool(value(config, framework, ENABLED, "felund.webrtc.enabled"), ENABLED, true));
		String relay = string(value(config, framework, RELAY_URL, "felund.webrtc.relayUrl"));
		try {
			o = o.withRelayUrl(relay);
		} catch (IllegalArgumentException e) {
			throw new IllegalArgumentException(RELAY_URL + ": " + e.getMessage(), e);
		}
		String user = string(value(config, framework, ICE_USERNAME, "felund.webrtc.iceUsername"));
		String credential = string(value(config, framework, ICE_CREDENTIAL, "felund.webrtc.iceCredential"));
		List<IceServer> servers = new ArrayList<>();
		for (String url : strings(value(config, framework, ICE_SERVERS, "felund.webrtc.iceServers"))) {
			boolean turn = url.toLowerCase(Locale.ROOT).startsWith("turn");
			try {
				servers.add(new IceServer(url, turn ? user : "", turn ? credential : ""));
			} catch (IllegalArgumentException e) {
				throw new IllegalArgumentException(ICE_SERVERS + ": " + e.getMessage(), e);
			}
		}
		int min = integer(value(config, framework, PORT_MIN, "felund.webrtc.portMin"), PORT_MIN);
		int max = integer(value(config, framework, PORT_MAX, "felund.webrtc.portMax"), PORT_MAX);
		boolean loopback = bool(value(config, framework, LOOPBACK, "felund.webrtc.loopback"), LOOPBACK, false);
		try {
			o = o.withIce(o.ice().withServers(servers).withPorts(min, max).withLoopback(loopback));
		} catch (IllegalArgumentException e) {
			throw new IllegalArgumentException(PORT_MIN + "/" + PORT_MAX + ": " + e.getMessage(), e);
		}
		return o;
	}

	private static Object value(Function<String, Object> config, Function<String, String> framework, String key,
			String property) {
		Object v = config.apply(key);
		return v != null ? v : framework.apply(property);
	}

	private static String string(Object v) {
		return v == null ? "" : v.toString().trim();
	}

	/** A string array, a collection, or one comma/whitespace-separated string. */
	private static List<String> strings(Object v) {
		List<String> out = new ArrayList<>();
		if (v == null) {
			return out;
		}
		if (v.getClass().isArray()) {
			for (int i = 0; i < Array.getLength(v); i++) {
				add(out, Array.get(v, i));
			}
		} else if (v instanceof Collection<?> c) {
			c.forEach(x -> add(out, x));
		} else {
			for (String s : v.toString().split("[,\\s]+")) {
				add(out, s);
			}
		}
		return out;
	}

	private static void add(List<String> out, Object x) {
		if (x != null && !x.toString().isBlank()) {
			out.add(x.toString().trim());
		}
	}

	private static boolean bool(Object v, String key, boolean fallback) {
		if (v == null || v.toString().isBlank()) {
			return fallback;
		}
		if (v instanceof Boolean b) {
			return b;
		}
		String s = v.toString().trim().toLowerCase(Locale.ROOT);
		if (s.equals("true") || s.equals("false")) {
			return Boolean.parseBoolean(s);
		}
		throw new IllegalArgumentException(key + " must be true or false, got '" + v + "'");
	}

	private static int integer(Object v, String key) {
		if (v == null || v.toString().isBlank()) {
			return 0;
		}
		if (v instanceof Number n) {
			return n.intValue();
		}
		try {
			return Integer.parseInt(v.toString().trim());
		} catch (NumberFormatException e) {
			throw new IllegalArgumentException(key + " must be an integer, got '" + v + "'", e);
		}
	}
}
