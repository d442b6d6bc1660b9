package org.felund.node.cli.internal;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.felund.node.cli.internal.Args.UsageException;
import org.felund.node.cli.internal.Configurations.Description;
import org.felund.node.cli.internal.Configurations.Setting;
import org.felund.node.cli.internal.Configurations.Type;
import org.felund.protocol.wire.Json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code felund-node config list|get|set|unset}: the plugins' configurations (Configuration Admin), typed and
 * checked by each plugin's metatype; and {@link #set} for the friendly flags of {@code init} and {@code run}, which
 * write the configuration of the plugin that owns the setting.
 */
final class ConfigCommand {
	private final Configurations configurations;
	private final PrintStream out;

	ConfigCommand(Configurations configurations, PrintStream out) {
		this.configurations = configurations;
		this.out = out;
	}

	void run(List<String> rest) {
		if (rest.isEmpty()) {
			throw new UsageException("config needs a subcommand: list, get, set, unset");
		}
		String sub = rest.get(0);
		Args a = new Args(rest.subList(1, rest.size()), Set.of(), Set.of("json"));
		List<String> p = a.positionals();
		switch (sub) {
		case "list" -> {
			expect(p, 0, 0, "config list");
			list(a.flag("json"));
		}
		case "get" -> {
			expect(p, 1, 2, "config get PID [KEY]");
			get(p.get(0), p.size() > 1 ? p.get(1) : null, a.flag("json"));
		}
		case "set" -> {
			expect(p, 3, 3, "config set PID KEY VALUE");
			Object value = set(p.get(0), p.get(1), p.get(2), null);
			print(a.flag("json"), p.get(0), p.get(1), value, false);
		}
		case "unset" -> {
			expect(p, 2, 2, "config unset PID KEY");
			unset(p.get(0), p.get(1), a.flag("json"));
		}
		default -> throw new UsageException("Unknown config subcommand '" + sub + "'");
		}
	}

	/**
	 * Sets one key, checked against the plugin's metatype.
	 *
	 * @param plugin what to call the plugin in the error when it is not installed (null: name the PID)
	 * @return the typed value written
	 */
	Object set(String pid, String key, String text, String plugin) {
		Description d = configurations.describe(pid).orElseThrow(() -> new IllegalArgumentException(plugin != null
				? "the " + plugin + " is not installed"
				: "No installed plugin has the configuration '" + pid + "'" + known()));
		Setting s = d.setting(key).orElseThrow(() -> new IllegalArgumentException(
				pid + " has no setting '" + key + "' (" + keys(d) + ")"));
		Object value = SettingValues.parse(pid, s, text);
		Map<String, Object> values = new LinkedHashMap<>(configurations.values(pid));
		values.put(key, value);
		configurations.replace(pid, values);
		return value;
	}

	/** The value in effect: the configured one, else the plugin's default; null when neither. */
	Object effective(String pid, String key) {
		Object v = configurations.values(pid).get(key);
		if (v != null) {
			return v;
		}
		return configurations.describe(pid).flatMap(d -> d.setting(key)).map(s -> SettingValues.defaultValue(pid, s))
				.orElse(null);
	}

	private void list(boolean json) {
		ObjectNode o = Json.object();
		ArrayNode list = o.putArray("configurations");
		for (String pid : configurations.pids()) {
			var d = configurations.describe(pid);
			boolean configured = !configurations.values(pid).isEmpty();
			String name = d.map(Description::name).orElse("");
			if (json) {
				ObjectNode e = list.addObject();
				e.put("pid", pid);
				e.put("name", name);
				e.put("installed", d.isPresent());
				e.put("configured", configured);
			} else {
				out.println(pid + "  " + (d.isPresent() ? name : "(no installed plugin)")
						+ (configured ? "" : "  (defaults)"));
			}
		}
		if (json) {
			out.println(Json.compact(o));
		}
	}

	private void get(String pid, String key, boolean json) {
		var d = configurations.describe(pid);
		Map<String, Object> values = configurations.values(pid);
		if (d.isEmpty() && values.isEmpty()) {
			throw new IllegalArgumentException("No plugin has the configuration '" + pid + "'" + known());
		}
		if (key != null) {
			Setting s = d.flatMap(x -> x.setting(key)).orElse(null);
			if (s == null && !values.containsKey(key)) {
				throw new IllegalArgumentException(pid + " has no setting '" + key + "'"
						+ d.map(x -> " (" + keys(x) + ")").orElse(""));
			}
			boolean isDefault = !values.containsKey(key);
			print(json, pid, key, isDefault ? SettingValues.defaultValue(pid, s) : values.get(key), isDefault);
			return;
		}
		ObjectNode o = Json.object();
		o.put("pid", pid);
		ObjectNode vals = o.putObject("values");
		ArrayNode defaults = o.putArray("defaults");
		Map<String, Setting> settings = new LinkedHashMap<>();
		d.ifPresent(x -> x.settings().forEach(s -> settings.put(s.key(), s)));
		values.keySet().forEach(k -> settings.putIfAbsent(k, null));
		for (Map.Entry<String, Setting> e : settings.entrySet()) {
			String k = e.getKey();
			boolean isDefault = !values.containsKey(k);
			Object v = isDefault ? SettingValues.defaultValue(pid, e.getValue()) : values.get(k);
			Type t = e.getValue() == null ? Type.STRING : e.getValue().type();
			if (json) {
				vals.set(k, Json.MAPPER.valueToTree(t == Type.PASSWORD && v != null ? "********" : v));
				if (isDefault) {
					defaults.add(k);
				}
			} else {
				out.println(k + " = " + SettingValues.show(v, t) + (isDefault ? "  (default)" : "")
						+ (e.getValue() == null ? "  (not described by any installed plugin)" : ""));
			}
		}
		if (json) {
			out.println(Json.compact(o));
		}
	}

	private void unset(String pid, String key, boolean json) {
		Map<String, Object> values = new LinkedHashMap<>(configurations.values(pid));
		var d = configurations.describe(pid);
		if (d.isEmpty() && values.isEmpty()) {
			throw new IllegalArgumentException("No plugin has the configuration '" + pid + "'" + known());
		}
		Setting s = d.flatMap(x -> x.setting(key)).orElse(null);
		if (s == null && !values.containsKey(key)) {
			throw new IllegalArgumentException(pid + " has no setting '" + key + "'"
					+ d.map(x -> " (" + keys(x) + ")").orElse(""));
		}
		if (values.remove(key) != null) {
			configurations.replace(pid, values);
		}
		print(json, pid, key, s == null ? null : SettingValues.defaultValue(pid, s), true);
	}

	private void print(boolean json, String pid, String key, Object value, boolean isDefault) {
		Type t = configurations.describe(pid).flatMap(d -> d.setting(key)).map(Setting::type).orElse(Type.STRING);
		if (json) {
			ObjectNode o = Json.object();
			o.put("pid", pid);
			o.put("key", key);
			o.set("value", Json.MAPPER.valueToTree(t == Type.PASSWORD && value != null ? "********" : value));
			o.put("default", isDefault);
			out.println(Json.compact(o));
		} else {
			out.println(pid + " " + key + " = " + SettingValues.show(value, t) + (isDefault ? "  (default)" : ""));
		}
	}

	private String known() {
		List<String> pids = configurations.pids();
		return pids.isEmpty() ? "" : " (known: " + String.join(", ", pids) + ")";
	}

	private static String keys(Description d) {
		return "settings: " + d.settings().stream().map(Setting::key).collect(Collectors.joining(", "));
	}

	private static void expect(List<String> p, int min, int max, String usage) {
		if (p.size() < min || p.size() > max) {
			throw new UsageException("usage: " + usage);
		}
	}
}
