package org.felund.webrtc;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The ICE part of a WebRTC plugin's configuration, read the same way by every plugin on this layer (the DataChannel
 * transport and calls use the same keys in their own PIDs): STUN/TURN URLs, the TURN user and credential (given to
 * {@code turn:}/{@code turns:} URLs only), the UDP port range and the loopback workaround.
 */
public final class WebRtcSettings {
	public static final String ICE_SERVERS = "ice.servers";
	public static final String ICE_USERNAME = "ice.username";
	public static final String ICE_CREDENTIAL = "ice.credential";
	public static final String PORT_MIN = "ice.port.min";
	public static final String PORT_MAX = "ice.port.max";
	public static final String LOOPBACK = "ice.loopback";

	private WebRtcSettings() {
	}

	/**
	 * @param value a key's value as Configuration Admin stores it (a string, number, boolean, array or collection), or
	 *            {@code null} when the key is not set (the caller applies its own fallbacks)
	 * @throws IllegalArgumentException naming the key whose value is unusable
	 */
	public static IceSettings ice(Function<String, Object> value) {
		String user = string(value.apply(ICE_USERNAME));
		String credential = string(value.apply(ICE_CREDENTIAL));
		List<IceServer> servers = new ArrayList<>();
		for (String url : strings(value.apply(ICE_SERVERS))) {
			boolean turn = url.toLowerCase(Locale.ROOT).startsWith("turn");
			try {
				servers.add(new IceServer(url, turn ? user : "", turn ? credential : ""));
			} catch (IllegalArgumentException e) {
				throw new IllegalArgumentException(ICE_SERVERS + ": " + e.getMessage(), e);
			}
		}
		int min = integer(value.apply(PORT_MIN), PORT_MIN, 0);
		int max = integer(value.apply(PORT_MAX), PORT_MAX, 0);
		boolean loopback = bool(value.apply(LOOPBACK), LOOPBACK, false);
		try {
			return new IceSettings(servers, min, max, loopback);
		} catch (IllegalArgumentException e) {
			throw new IllegalArgumentException(PORT_MIN + "/" + PORT_MAX + ": " + e.getMessage(), e);
		}
	}

	private static String string(Object v) {
		return v == null ? "" : v.toString().trim();
	}

	/** A string array, a collection, or one comma/whitespace-separated string. */
	public static List<String> strings(Object v) {
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

	/** A Configuration Admin value as a boolean ({@code fallback} when unset), or an error naming {@code key}. */
	public static boolean bool(Object v, String key, boolean fallback) {
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

	/** A Configuration Admin value as an integer ({@code fallback} when unset), or an error naming {@code key}. */
	public static int integer(Object v, String key, int fallback) {
		if (v == null || v.toString().isBlank()) {
			return fallback;
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
