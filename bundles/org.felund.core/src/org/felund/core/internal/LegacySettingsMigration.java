package org.felund.core.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.felund.api.store.CircleStore;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Moves the transport settings that API 0.1 kept in the node's store ({@code node.bind}, {@code node.port},
 * {@code node.relay_url}, {@code node.can_anchor}) once into the configurations of the plugins that own them now, so
 * that an old home keeps its port, relay and anchor offer. A key a configuration already has is left alone (what
 * the user set since wins); the old values stay in the store, unread, and a marker keeps this from running again.
 */
@Component(immediate = true)
public final class LegacySettingsMigration {
	static final String DONE = "node.settings_migrated";
	static final String GOSSIP_PID = "org.felund.transport.gossip";
	static final String RELAY_PID = "org.felund.transport.relay";
	static final String ANCHOR_PID = "org.felund.anchor";

	private static final System.Logger LOG = System.getLogger(LegacySettingsMigration.class.getName());

	@Activate
	public LegacySettingsMigration(@Reference CircleStore state, @Reference ConfigurationAdmin configurations) {
		try {
			migrate(state, configurations);
		} catch (RuntimeException e) {
			LOG.log(Level.WARNING, "The old transport settings of this home were not moved: " + e.getMessage(), e);
		}
	}

	/** @return what was written, by PID (empty when nothing was to be moved or it ran before) */
	static Map<String, Map<String, Object>> migrate(CircleStore state, ConfigurationAdmin configurations) {
		Map<String, Map<String, Object>> written = new LinkedHashMap<>();
		if (setting(state, DONE).isPresent()) {
			return written;
		}
		Map<String, Object> gossip = new LinkedHashMap<>();
		setting(state, "node.bind").ifPresent(b -> gossip.put("bindHost", b));
		setting(state, "node.port").flatMap(LegacySettingsMigration::port).ifPresent(p -> gossip.put("port", p));
		Map<String, Object> relay = new LinkedHashMap<>();
		setting(state, "node.relay_url").ifPresent(u -> relay.put("urls", new String[] { u }));
		Map<String, Object> anchor = new LinkedHashMap<>();
		setting(state, "node.can_anchor").filter(Boolean::parseBoolean).ifPresent(a -> anchor.put("offer", true));
		merge(configurations, GOSSIP_PID, gossip, written);
		merge(configurations, RELAY_PID, relay, written);
		merge(configurations, ANCHOR_PID, anchor, written);
		state.putSetting(DONE, "1");
		if (!written.isEmpty()) {
			LOG.log(Level.INFO, "Moved this home's old transport settings into Configuration Admin: " + written.keySet());
		}
		return written;
	}

	private static void merge(ConfigurationAdmin admin, String pid, Map<String, Object> values,
			Map<String, Map<String, Object>> written) {
		if (values.isEmpty()) {
			return;
		}
		try {
			Configuration c = admin.getConfiguration(pid, "?");
			Dictionary<String, Object> props = c.getProperties() == null ? new Hashtable<>() : c.getProperties();
			Map<String, Object> added = new LinkedHashMap<>();
			values.forEach((k, v) -> {
				if (props.get(k) == null) {
					props.put(k, v);
					added.put(k, v);
				}
			});
			if (!added.isEmpty()) {
				c.update(props);
				written.put(pid, added);
			}
		} catch (IOException e) {
			throw new UncheckedIOException("Cannot write configuration " + pid + ": " + e.getMessage(), e);
		}
	}

	private static Optional<Integer> port(String text) {
		try {
			int p = Integer.parseInt(text.strip());
			return p >= 1 && p <= 65535 ? Optional.of(p) : Optional.empty();
		} catch (NumberFormatException e) {
			return Optional.empty();
		}
	}

	private static Optional<String> setting(CircleStore state, String key) {
		return state.setting(key).map(String::strip).filter(v -> !v.isEmpty());
	}
}
