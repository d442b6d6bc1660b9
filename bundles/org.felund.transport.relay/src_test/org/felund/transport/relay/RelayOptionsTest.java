package org.felund.transport.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.felund.core.node.NodeSettings;
import org.junit.jupiter.api.Test;

class RelayOptionsTest {
	@Test
	void followsTheNodesRelayUrlSettingByDefault() {
		assertEquals(NodeSettings.RELAY_URL, RelayOptions.URL_SETTING);
		RelayOptions d = RelayOptions.defaults();
		assertEquals(RelayOptions.URL_SETTING, d.urlSetting());
		assertEquals("", d.baseUrl());
		assertEquals(50, d.batchSize());
		assertTrue(d.webSocket());
		RelayOptions fixed = RelayOptions.fixed(" http://127.0.0.1:8787/ ");
		assertEquals("http://127.0.0.1:8787/", fixed.baseUrl());
		assertEquals("", fixed.urlSetting());
	}

	@Test
	void refusesValuesTheRelaysWouldReject() {
		RelayOptions d = RelayOptions.defaults();
		assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withBatchSize(51)).getMessage().contains("50"));
		assertThrows(IllegalArgumentException.class, () -> d.withBatchSize(0));
		assertThrows(IllegalArgumentException.class, () -> d.withPullLimit(501));
		assertThrows(IllegalArgumentException.class, () -> d.withPresence(Duration.ofSeconds(29), Duration.ofSeconds(1)));
		assertThrows(IllegalArgumentException.class, () -> d.withPresence(Duration.ofSeconds(601), Duration.ofSeconds(1)));
		assertThrows(IllegalArgumentException.class, () -> d.withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
		assertThrows(IllegalArgumentException.class, () -> d.withPollIntervals(Duration.ZERO, Duration.ofSeconds(1)));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withBaseUrl("ws://host")).getMessage()
				.contains("http://"));
		assertThrows(IllegalArgumentException.class, () -> d.withTcpEndpoint("nohostport"));
	}
}
