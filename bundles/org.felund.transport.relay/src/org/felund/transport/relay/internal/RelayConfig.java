package org.felund.transport.relay.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.felund.transport.relay.RelayOptions;

/**
 * The relay component's configuration (Configuration Admin PID {@value #PID}, described for users by
 * {@code OSGI-INF/metatype/relay.xml}) turned into {@link RelayOptions}. Without one the transport runs with no relay
 * (offline, sending nothing) until a URL is set. Framework properties ({@code felund.relay.*}, set by launch scripts
 * and tests) override single keys. A bad value fails with the key (or property) and the value named.
 */
public final class RelayConfig {
	public static final String PID = "org.felund.transport.relay";

	public static final String ENABLED = "enabled";
	public static final String URLS = "urls";
	public static final String POLL_INTERVAL = "pollInterval";
	public static final String WEB_SOCKET = "webSocket";

	static final int MAX_POLL_SECONDS = 600;

	/** Framework property → configuration key it overrides. */
	static final Map<String, String> OVERRIDES = Map.of("felund.relay.enabled", ENABLED, "felund.relay.url", URLS,
			"felund.relay.poll", POLL_INTERVAL, "felund.relay.ws", WEB_SOCKET);

	/** What the component runs: whether the relay transport is on at all, and with which options. */
	public record Settings(boolean enabled, RelayOptions options) {
	}

	private RelayConfig() {
	}

	/**
	 * @param config the component's properties (its configuration, if any, plus DS's own keys, which are ignored)
	 * @param frameworkProperty framework properties; a non-blank {@code felund.relay.*} value wins over the key
	 * @throws IllegalArgumentException naming the first bad key or property and its value
	 */
	public static Settings parse(Map<String, ?> config, Function<String, String> frameworkProperty) {
		Map<String, ?> c = config == null ? Map.of() : config;
		Function<String, String> p = frameworkProperty == null ? k -> null : frameworkProperty;
		RelayOptions d = RelayOptions.defaults();
		boolean enabled = bool(c, p, ENABLED, true);
		List<String> urls = list(c, p, URLS);
		for (String url : urls) {
			try {
				RelayUrl.parse(url);
			} catch (IllegalArgumentException e) {
				throw bad(p, URLS, url, e.getMessage());
			}
		}
		try {
			d = d.withUrls(urls);
		} catch (IllegalArgumentException e) {
			throw bad(p, URLS, String.join(", ", urls), e.getMessage());
		}
		int poll = integer(c, p, POLL_INTERVAL, (int) d.pollInterval().toSeconds(), 1, MAX_POLL_SECONDS);
		boolean ws = bool(c, p, WEB_SOCKET, d.webSocket());
		return new Settings(enabled, d.withPollIntervals(Duration.ofSeconds(poll), d.livePollInterval()).withWebSocket(ws));
	}

	private static String override(Function<String, String> p, String key) {
		for (Map.Entry<String, String> o : OVERRIDES.entrySet()) {
			if (o.getValue().equals(key)) {
				String v = p.apply(o.getKey());
				if (v != null && !v.isBlank()) {
					return o.getKey();
				}
			}
		}
		return null;
	}

	private static Object raw(Map<String, ?> c, Function<String, String> p, String key) {
		String property = override(p, key);
		return property != null ? p.apply(property).trim() : c.get(key);
	}

	private static IllegalArgumentException bad(Function<String, String> p, String key, Object value, String expected) {
		String property = override(p, key);
		String source = property != null ? "Framework property " + property : "Relay setting " + key;
		return new IllegalArgumentException(source + " = '" + value + "': " + expected);
	}

	/**
	 * A list key: an array or collection (what a metatype-aware editor writes), or one string of values separated by
	 * commas or white space (what a framework property or a plain editor holds).
	 */
	private static List<String> list(Map<String, ?> c, Function<String, String> p, String key) {
		Object v = raw(c, p, key);
		List<String> out = new ArrayList<>();
		if (v instanceof String[] array) {
			out.addAll(Arrays.asList(array));
		} else if (v instanceof Collection<?> collection) {
			collection.forEach(e -> out.add(String.valueOf(e)));
		} else if (v != null) {
			out.addAll(Arrays.asList(v.toString().split("[,\\s]+")));
		}
		out.replaceAll(String::trim);
		out.removeIf(String::isEmpty);
		return out;
	}

	private static boolean bool(Map<String, ?> c, Function<String, String> p, String key, boolean fallback) {
		Object v = raw(c, p, key);
		if (v == null) {
			return fallback;
		}
		if (v instanceof Boolean b) {
			return b;
		}
		String s = v.toString().trim();
		if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
			return Boolean.parseBoolean(s);
		}
		throw bad(p, key, v, "expected true or false");
	}

	private static int integer(Map<String, ?> c, Function<String, String> p, String key, int fallback, int min, int max) {
		Object v = raw(c, p, key);
		if (v == null || (v instanceof String s && s.isBlank())) {
			return fallback;
		}
		long n;
		if (v instanceof Integer || v instanceof Long || v instanceof Short) {
			n = ((Number) v).longValue();
		} else {
			try {
				n = Long.parseLong(v.toString().trim());
			} catch (NumberFormatException e) {
				throw bad(p, key, v, "expected a whole number from " + min + " to " + max);
			}
		}
		if (n < min || n > max) {
			throw bad(p, key, v, "expected a whole number from " + min + " to " + max);
		}
		return (int) n;
	}
}
