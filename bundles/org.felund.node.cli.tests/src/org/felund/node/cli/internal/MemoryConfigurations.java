package org.felund.node.cli.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

import org.felund.node.cli.internal.Configurations.Description;
import org.felund.node.cli.internal.Configurations.Setting;
import org.felund.node.cli.internal.Configurations.Type;

/**
 * Configurations in memory, described like the gossip and relay transports and the anchor policy describe theirs
 * (the same keys, types, limits and defaults as their metatype XML).
 */
final class MemoryConfigurations implements Configurations {
	final Map<String, Description> installed = new TreeMap<>();
	final Map<String, Map<String, Object>> stored = new TreeMap<>();

	static MemoryConfigurations withTheUsualPlugins() {
		MemoryConfigurations c = new MemoryConfigurations();
		c.install(new Description(NodeCli.GOSSIP_PID, "Gossip (direct connections)", "", List.of(
				setting("enabled", Type.BOOLEAN, 0, "true"), setting("bindHost", Type.STRING, 0, "0.0.0.0"),
				range(setting("port", Type.INTEGER, 0, "9999"), 0, 65535),
				range(setting("interval", Type.INTEGER, 0, "5"), 1, 3600))));
		c.install(new Description(NodeCli.RELAY_PID, "Relay", "",
				List.of(setting("enabled", Type.BOOLEAN, 0, "true"), setting("urls", Type.STRING, 8, null))));
		c.install(new Description(NodeCli.ANCHOR_PID, "Anchor", "", List.of(setting("offer", Type.BOOLEAN, 0, "false"))));
		return c;
	}

	void install(Description d) {
		installed.put(d.pid(), d);
	}

	static Setting setting(String key, Type type, int cardinality, String defaultValue) {
		return new Setting(key, key, "", type, cardinality, defaultValue == null ? List.of() : List.of(defaultValue),
				List.of(), v -> "");
	}

	/** What Felix Metatype's validate says for min/max. */
	static Setting range(Setting s, long min, long max) {
		UnaryOperator<String> check = v -> {
			long n = Long.parseLong(v);
			return n < min ? "Value is less than minimum " + min : n > max ? "Value is greater than maximum " + max : "";
		};
		return new Setting(s.key(), s.name(), s.description(), s.type(), s.cardinality(), s.defaults(), s.options(),
				check);
	}

	@Override
	public List<String> pids() {
		TreeSet<String> pids = new TreeSet<>(installed.keySet());
		pids.addAll(stored.keySet());
		return new ArrayList<>(pids);
	}

	@Override
	public Optional<Description> describe(String pid) {
		return Optional.ofNullable(installed.get(pid));
	}

	@Override
	public Map<String, Object> values(String pid) {
		return new LinkedHashMap<>(stored.getOrDefault(pid, Map.of()));
	}

	@Override
	public void replace(String pid, Map<String, Object> values) {
		if (values.isEmpty()) {
			stored.remove(pid);
		} else {
			stored.put(pid, new LinkedHashMap<>(values));
		}
	}
}
