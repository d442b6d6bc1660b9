package org.felund.transport.gossip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.felund.transport.gossip.GossipOptions;
import org.junit.jupiter.api.Test;

class GossipTransportComponentTest {
	@Test
	void withoutPropertiesTheReferenceDefaultsApplyAndEncryptionIsRequired() {
		GossipOptions o = GossipTransportComponent.options(Map.<String, String>of()::get);
		assertEquals("0.0.0.0", o.bindHost());
		assertEquals(9999, o.port());
		assertEquals(Duration.ofSeconds(5), o.interval());
		assertEquals(5, o.fanOut());
		assertFalse(o.allowLegacyPlaintext());
		assertTrue(o.extensions());
	}

	@Test
	void frameworkPropertiesOverrideTheDefaults() {
		Map<String, String> p = Map.of("felund.gossip.port", "9100", "felund.gossip.bind", "127.0.0.1",
				"felund.gossip.interval", "2", "felund.gossip.fanout", "3", "felund.gossip.allowLegacyPlaintext", "true",
				"felund.gossip.extensions", "false", "felund.gossip.advertise", "chat.example");
		GossipOptions o = GossipTransportComponent.options(p::get);
		assertEquals("127.0.0.1", o.bindHost());
		assertEquals(9100, o.port());
		assertEquals("chat.example", o.advertisedHost());
		assertEquals(Duration.ofSeconds(2), o.interval());
		assertEquals(3, o.fanOut());
		assertTrue(o.allowLegacyPlaintext());
		assertFalse(o.extensions());
	}

	@Test
	void theNodesConfiguredAddressAppliesUnlessAPropertyOverridesIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
		try (org.felund.store.sqlite.SqliteNodeStore store = org.felund.store.sqlite.SqliteNodeStore.open(tmp, null)) {
			store.state().putSetting(org.felund.core.node.NodeSettings.BIND_HOST, "127.0.0.1");
			store.state().putSetting(org.felund.core.node.NodeSettings.PORT, "9555");
			GossipOptions fromNode = GossipTransportComponent.options(Map.<String, String>of()::get, store.state());
			assertEquals("127.0.0.1", fromNode.bindHost());
			assertEquals(9555, fromNode.port());
			GossipOptions overridden = GossipTransportComponent.options(Map.of("felund.gossip.port", "9100")::get,
					store.state());
			assertEquals(9100, overridden.port());
		}
	}

	@Test
	void badValuesAreRefusedWithTheirPropertyName() {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> GossipTransportComponent.options(Map.of("felund.gossip.port", "99x")::get));
		assertTrue(e.getMessage().contains("felund.gossip.port"));
		assertThrows(IllegalArgumentException.class,
				() -> GossipTransportComponent.options(Map.of("felund.gossip.port", "70000")::get));
		assertThrows(IllegalArgumentException.class,
				() -> GossipTransportComponent.options(Map.of("felund.gossip.interval", "0")::get));
	}
}
