package org.felund.transport.gossip.internal;

import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

import org.felund.transport.gossip.GossipOptions;

/**
 * The gossip component's configuration (Configuration Admin PID {@value #PID}, described for users by
 * {@code OSGI-INF/metatype/gossip.xml}) turned into {@link GossipOptions}. Absent keys take the reference's
 * defaults, so a fresh node gossips with no configuration at all. Framework properties ({@code felund.gossip.*},
 * set by launch scripts and tests) override single keys. A bad value fails with the key (or property) and the value
 * named.
 */
public final class GossipConfig {
	public static final String PID = "org.felund.transport.gossip";

	public static final String ENABLED = "enabled";
	public static final String BIND_HOST = "bindHost";
	public static final String PORT = "port";
	public static final String ADVERTISED_HOST = "advertisedHost";
	public static final String INTERVAL = "interval";
	public static final String FAN_OUT = "fanOut";
	public static final String ALLOW_LEGACY_PLAINTEXT = "allowLegacyPlaintext";
	public static final String EXTENSIONS = "extensions";

	static final int MAX_INTERVAL_SECONDS = 3600;
	static final int MAX_FAN_OUT = 64;

	/** Framework property → configuration key it overrides. */
	static final Map<String, String> OVERRIDES = Map.of("felund.gossip.enabled", ENABLED, "felund.gossip.bind",
			BIND_HOST, "felund.gossip.port", PORT, "felund.gossip.advertise", ADVERTISED_HOST, "felund.gossip.interval",
			INTERVAL, "felund.gossip.fanout", FAN_OUT, "felund.gossip.allowLegacyPlaintext", ALLOW_LEGACY_PLAINTEXT,
			"felund.gossip.extensions", EXTENSIONS);

	/** What the component runs: whether gossip is on at all, and with which options. */
	public record Settings(boolean enabled, GossipOptions options) {
	}

	private GossipConfig() {
	}

	/**
	 * @param config the component's properties (its configuration, if any, plus DS's own keys, which are ignored)
	 * @param frameworkProperty framework properties; a non-blank {@code felund.gossip.*} value wins over the key
	 * @throws IllegalArgumentException naming the first bad key or property and its value
	 */
	public static Settings parse(Map<String, ?> config, Function<String, String> frameworkProperty) {
		Values v = new Values(config, frameworkProperty);
		GossipOptions d = GossipOptions.defaults();
		boolean enabled = v.bool(ENABLED, true);
		String bind = v.host(BIND_HOST, d.bindHost(), false);
		int port = v.integer(PORT, d.port(), 0, 65535);
		String advertised = v.host(ADVERTISED_HOST, "", true);
		int interval = v.integer(INTERVAL, (int) d.interval().toSeconds(), 1, MAX_INTERVAL_SECONDS);
		int fanOut = v.integer(FAN_OUT, d.fanOut(), 1, MAX_FAN_OUT);
		boolean legacy = v.bool(ALLOW_LEGACY_PLAINTEXT, d.allowLegacyPlaintext());
		boolean extensions = v.bool(EXTENSIONS, d.extensions());
		GossipOptions options = d.withBind(bind, port).withAdvertisedHost(advertised)
				.withInterval(Duration.ofSeconds(interval)).withFanOut(fanOut).withAllowLegacyPlaintext(legacy)
				.withExtensions(extensions);
		return new Settings(enabled, options);
	}

	/** One key's value: a framework property override, else the configuration, else absent. */
	private static final class Values {
		private final Map<String, ?> config;
		private final Function<String, String> property;

		Values(Map<String, ?> config, Function<String, String> property) {
			this.config = config == null ? Map.of() : config;
			this.property = property == null ? k -> null : property;
		}

		private Object raw(String key) {
			for (Map.Entry<String, String> o : OVERRIDES.entrySet()) {
				if (o.getValue().equals(key)) {
					String p = property.apply(o.getKey());
					if (p != null && !p.isBlank()) {
						return p.trim();
					}
				}
			}
			return config.get(key);
		}

		private String source(String key) {
			for (Map.Entry<String, String> o : OVERRIDES.entrySet()) {
				if (o.getValue().equals(key)) {
					String p = property.apply(o.getKey());
					if (p != null && !p.isBlank()) {
						return "Framework property " + o.getKey();
					}
				}
			}
			return "Gossip setting " + key;
		}

		private IllegalArgumentException bad(String key, Object value, String expected) {
			return new IllegalArgumentException(source(key) + " = '" + value + "': " + expected);
		}

		boolean bool(String key, boolean fallback) {
			Object value = raw(key);
			if (value == null) {
				return fallback;
			}
			if (value instanceof Boolean b) {
				return b;
			}
			String s = value.toString().trim();
			if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
				return Boolean.parseBoolean(s);
			}
			throw bad(key, value, "expected true or false");
		}

		int integer(String key, int fallback, int min, int max) {
			Object value = raw(key);
			if (value == null || (value instanceof String s && s.isBlank())) {
				return fallback;
			}
			long n;
			if (value instanceof Integer || value instanceof Long || value instanceof Short) {
				n = ((Number) value).longValue();
			} else {
				try {
					n = Long.parseLong(value.toString().trim());
				} catch (NumberFormatException e) {
					throw bad(key, value, "expected a whole number from " + min + " to " + max);
				}
			}
			if (n < min || n > max) {
				throw bad(key, value, "expected a whole number from " + min + " to " + max);
			}
			return (int) n;
		}

		String host(String key, String fallback, boolean mayBeEmpty) {
			Object value = raw(key);
			if (value == null) {
				return fallback;
			}
			String s = value.toString().trim();
			if (s.isEmpty()) {
				if (mayBeEmpty) {
					return "";
				}
				return fallback;
			}
			if (s.startsWith("[") && s.endsWith("]")) {
				s = s.substring(1, s.length() - 1);
			}
			// A host alone: the port is a setting of its own, and an address with one would never be dialled.
			String host = s;
			if ((host.contains(":") && host.chars().filter(c -> c == ':').count() < 2)
					|| PeerAddress.parse(host + ":1").map(a -> !a.host().equalsIgnoreCase(host)).orElse(true)) {
				throw bad(key, value, "expected a host name or IP address without a port");
			}
			return s;
		}
	}
}
