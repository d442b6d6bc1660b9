package org.felund.transport.relay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.felund.transport.relay.RelayOptions;
import org.junit.jupiter.api.Test;

class RelayTransportComponentTest {
	@Test
	void withoutPropertiesTheRelayComesFromTheNodeSettingAndNoEndpointIsAdvertised() {
		RelayOptions o = RelayTransportComponent.options(Map.<String, String>of()::get, false);
		assertEquals(RelayOptions.defaults(), o);
	}

	@Test
	void propertiesSetFallbackUrlPollingSocketsAndEndpoint() {
		Map<String, String> p = Map.of("felund.relay.url", "https://relay.example.org", "felund.relay.poll", "8",
				"felund.relay.ws", "false", "felund.relay.tcpEndpoint", "192.0.2.1:9000");
		RelayOptions o = RelayTransportComponent.options(p::get, true);
		assertEquals("https://relay.example.org", o.baseUrl());
		assertEquals(RelayOptions.URL_SETTING, o.urlSetting());
		assertEquals(Duration.ofSeconds(8), o.pollInterval());
		assertFalse(o.webSocket());
		assertEquals("192.0.2.1:9000", o.tcpEndpoint());
		assertEquals("", RelayTransportComponent.options(Map.of("felund.relay.url", "http://h",
				"felund.relay.followSetting", "false")::get, false).urlSetting());
	}

	@Test
	void aRunningGossipTransportIsAdvertisedWithItsPort() {
		assertEquals(":9999", RelayTransportComponent.options(Map.<String, String>of()::get, true).tcpEndpoint());
		assertEquals("198.51.100.4:9100", RelayTransportComponent.options(
				Map.of("felund.gossip.advertise", "198.51.100.4", "felund.gossip.port", "9100")::get, true).tcpEndpoint());
		assertEquals("", RelayTransportComponent.options(Map.of("felund.gossip.port", "9100")::get, false).tcpEndpoint());
	}

	@Test
	void badPropertiesNameTheProperty() {
		assertTrue(assertThrows(IllegalArgumentException.class,
				() -> RelayTransportComponent.options(Map.of("felund.relay.poll", "soon")::get, false)).getMessage()
				.contains("felund.relay.poll"));
		assertTrue(assertThrows(IllegalArgumentException.class,
				() -> RelayTransportComponent.options(Map.of("felund.relay.url", "relay")::get, false)).getMessage()
				.contains("felund.relay.url"));
		assertTrue(assertThrows(IllegalArgumentException.class,
				() -> RelayTransportComponent.options(Map.of("felund.relay.tcpEndpoint", "x")::get, false))
				.getMessage().contains("'x'"));
	}
}
