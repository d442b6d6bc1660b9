package org.felund.transport.relay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.felund.core.node.NodeSettings;
import org.felund.store.sqlite.SqliteNodeStore;
import org.felund.transport.relay.RelayOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RelayTransportComponentTest {
	@TempDir
	Path home;

	private static RelayOptions options(Map<String, String> properties, boolean gossip) {
		return RelayTransportComponent.options(properties::get, gossip, null);
	}

	@Test
	void withoutPropertiesTheRelayComesFromTheNodeSettingAndNoEndpointIsAdvertised() {
		assertEquals(RelayOptions.defaults(), options(Map.of(), false));
	}

	@Test
	void propertiesSetFallbackUrlPollingSocketsAndEndpoint() {
		RelayOptions o = options(Map.of("felund.relay.url", "https://relay.example.org", "felund.relay.poll", "8",
				"felund.relay.ws", "false", "felund.relay.tcpEndpoint", "192.0.2.1:9000"), true);
		assertEquals("https://relay.example.org", o.baseUrl());
		assertEquals(RelayOptions.URL_SETTING, o.urlSetting());
		assertEquals(Duration.ofSeconds(8), o.pollInterval());
		assertFalse(o.webSocket());
		assertEquals("192.0.2.1:9000", o.tcpEndpoint());
		assertEquals("", options(Map.of("felund.relay.url", "http://h", "felund.relay.followSetting", "false"), false)
				.urlSetting());
	}

	@Test
	void aRunningGossipTransportIsAdvertisedWhereTheGossipComponentListens() {
		assertEquals(NodeSettings.PORT, RelayTransportComponent.NODE_PORT_SETTING);
		assertEquals(NodeSettings.BIND_HOST, RelayTransportComponent.NODE_BIND_SETTING);
		assertEquals(":9999", options(Map.of(), true).tcpEndpoint());
		assertEquals("198.51.100.4:9100",
				options(Map.of("felund.gossip.advertise", "198.51.100.4", "felund.gossip.port", "9100"), true)
						.tcpEndpoint());
		assertEquals("", options(Map.of("felund.gossip.port", "9100"), false).tcpEndpoint());
		try (SqliteNodeStore store = SqliteNodeStore.open(home, null)) {
			store.state().putSetting(NodeSettings.PORT, "9100");
			store.state().putSetting(NodeSettings.BIND_HOST, "0.0.0.0");
			assertEquals(":9100", RelayTransportComponent.options(Map.<String, String>of()::get, true, store.state())
					.tcpEndpoint(), "a wildcard bind: the host is the one the relay observes");
			store.state().putSetting(NodeSettings.BIND_HOST, "192.168.1.20");
			assertEquals("192.168.1.20:9100",
					RelayTransportComponent.options(Map.<String, String>of()::get, true, store.state()).tcpEndpoint());
			assertEquals("192.168.1.20:9200", RelayTransportComponent
					.options(Map.of("felund.gossip.port", "9200")::get, true, store.state()).tcpEndpoint(),
					"framework properties win, as in the gossip component");
		}
	}

	@Test
	void badPropertiesNameTheProperty() {
		assertTrue(assertThrows(IllegalArgumentException.class, () -> options(Map.of("felund.relay.poll", "soon"), false))
				.getMessage().contains("felund.relay.poll"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> options(Map.of("felund.relay.url", "relay"), false))
				.getMessage().contains("felund.relay.url"));
		assertTrue(assertThrows(IllegalArgumentException.class,
				() -> options(Map.of("felund.relay.tcpEndpoint", "x"), false)).getMessage().contains("'x'"));
		assertTrue(assertThrows(IllegalArgumentException.class,
				() -> options(Map.of("felund.gossip.port", "ninety"), true)).getMessage().contains("felund.gossip.port"));
	}
}
