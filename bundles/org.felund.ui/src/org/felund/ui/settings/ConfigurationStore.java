package org.felund.ui.settings;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.Set;

import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Reads and writes plugin configurations through Configuration Admin. Configurations are created unbound
 * ({@code "?"}, any bundle may receive them), so the plugin's component gets them whoever wrote them: the
 * settings, the setup or the CLI.
 */
public final class ConfigurationStore {
	private static final Set<String> MANAGED = Set.of(Constants.SERVICE_PID, ConfigurationAdmin.SERVICE_FACTORYPID,
			ConfigurationAdmin.SERVICE_BUNDLELOCATION);

	private final ConfigurationAdmin admin;

	public ConfigurationStore(ConfigurationAdmin admin) {
		this.admin = admin;
	}

	/** The configuration's properties (without those Configuration Admin manages), empty when there is none. */
	public Map<String, Object> read(String pid) throws IOException {
		Configuration c = find(pid);
		Map<String, Object> out = new HashMap<>();
		Dictionary<String, Object> props = c == null ? null : c.getProperties();
		if (props != null) {
			for (Enumeration<String> keys = props.keys(); keys.hasMoreElements();) {
				String key = keys.nextElement();
				if (!MANAGED.contains(key)) {
					out.put(key, props.get(key));
				}
			}
		}
		return out;
	}

	/**
	 * Sets the given attributes (a null value removes one), keeping every other property the configuration has.
	 * Creates the configuration only when there is something to keep in it.
	 *
	 * @return whether the configuration changed
	 */
	public boolean write(String pid, Map<String, Object> attributes) throws IOException {
		Configuration existing = find(pid);
		Hashtable<String, Object> props = new Hashtable<>(read(pid));
		attributes.forEach((key, value) -> {
			if (value == null) {
				props.remove(key);
			} else {
				props.put(key, value);
			}
		});
		if (existing == null && props.isEmpty()) {
			return false;
		}
		Configuration target = existing != null ? existing : admin.getConfiguration(pid, "?");
		return target.updateIfDifferent(props);
	}

	private Configuration find(String pid) throws IOException {
		try {
			Configuration[] found = admin.listConfigurations("(" + Constants.SERVICE_PID + "=" + escape(pid) + ")");
			return found == null || found.length == 0 ? null : found[0];
		} catch (InvalidSyntaxException e) {
			throw new IllegalArgumentException("Not a configuration PID: " + pid, e);
		}
	}

	private static String escape(String value) {
		StringBuilder out = new StringBuilder(value.length());
		for (char c : value.toCharArray()) {
			if (c == '(' || c == ')' || c == '*' || c == '\\') {
				out.append('\\');
			}
			out.append(c);
		}
		return out.toString();
	}
}
