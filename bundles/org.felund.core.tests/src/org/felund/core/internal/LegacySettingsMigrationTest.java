package org.felund.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;

import org.felund.core.InMemoryCircleStore;
import org.junit.jupiter.api.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** An old home's port, bind host, relay and anchor offer move once into the plugins' configurations. */
class LegacySettingsMigrationTest {
	/** Configuration Admin reduced to what the migration uses, keeping configurations in a map. */
	private static ConfigurationAdmin admin(Map<String, Dictionary<String, Object>> store) {
		return (ConfigurationAdmin) Proxy.newProxyInstance(ConfigurationAdmin.class.getClassLoader(),
				new Class<?>[] { ConfigurationAdmin.class }, (p, m, args) -> {
					if (!m.getName().equals("getConfiguration") || args.length != 2) {
						throw new UnsupportedOperationException(m.getName());
					}
					String pid = (String) args[0];
					return Proxy.newProxyInstance(Configuration.class.getClassLoader(),
							new Class<?>[] { Configuration.class }, (p2, m2, a2) -> switch (m2.getName()) {
							case "getProperties" -> store.containsKey(pid) ? new Hashtable<>(toMap(store.get(pid))) : null;
							case "update" -> {
								@SuppressWarnings("unchecked")
								Dictionary<String, Object> d = (Dictionary<String, Object>) a2[0];
								store.put(pid, d);
								yield null;
							}
							default -> throw new UnsupportedOperationException(m2.getName());
							});
				});
	}

	private static Map<String, Object> toMap(Dictionary<String, Object> d) {
		Map<String, Object> out = new HashMap<>();
		for (var keys = d.keys(); keys.hasMoreElements();) {
			String k = keys.nextElement();
			out.put(k, d.get(k));
		}
		return out;
	}

	@Test
	void oldSettingsMoveOnceAndNeverOverwriteWhatIsConfigured() {
		InMemoryCircleStore state = new InMemoryCircleStore();
		state.putSetting("node.bind", "127.0.0.1");
		state.putSetting("node.port", "9876");
		state.putSetting("node.relay_url", "https://relay.example.org");
		state.putSetting("node.can_anchor", "true");
		Map<String, Dictionary<String, Object>> configs = new HashMap<>();
		Hashtable<String, Object> gossip = new Hashtable<>();
		gossip.put("port", 19999); // set by the user since: kept
		configs.put(LegacySettingsMigration.GOSSIP_PID, gossip);

		var written = LegacySettingsMigration.migrate(state, admin(configs));

		assertEquals("127.0.0.1", configs.get(LegacySettingsMigration.GOSSIP_PID).get("bindHost"));
		assertEquals(19999, configs.get(LegacySettingsMigration.GOSSIP_PID).get("port"));
		assertArrayEquals(new String[] { "https://relay.example.org" },
				(String[]) configs.get(LegacySettingsMigration.RELAY_PID).get("urls"));
		assertEquals(Boolean.TRUE, configs.get(LegacySettingsMigration.ANCHOR_PID).get("offer"));
		assertEquals(3, written.size());

		configs.clear();
		assertTrue(LegacySettingsMigration.migrate(state, admin(configs)).isEmpty(), "once");
		assertTrue(configs.isEmpty());
	}

	@Test
	void aFreshHomeWritesNothing() {
		InMemoryCircleStore state = new InMemoryCircleStore();
		state.putSetting("node.port", "not a port");
		state.putSetting("node.can_anchor", "false");
		Map<String, Dictionary<String, Object>> configs = new HashMap<>();
		assertTrue(LegacySettingsMigration.migrate(state, admin(configs)).isEmpty());
		assertTrue(configs.isEmpty());
		assertEquals("1", state.setting(LegacySettingsMigration.DONE).orElseThrow());
	}
}
