package org.felund.transport.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class RelayOptionsTest {
	@Test
	void defaultsHaveNoRelayAndTheWebClientsCadence() {
		RelayOptions d = RelayOptions.defaults();
		assertEquals(List.of(), d.urls());
		assertEquals(Duration.ofSeconds(5), d.pollInterval());
		assertEquals(50, d.batchSize());
		assertTrue(d.webSocket());
		RelayOptions fixed = RelayOptions.fixed(" http://127.0.0.1:8787/ ");
		assertEquals(List.of("http://127.0.0.1:8787"), fixed.urls());
		assertEquals(List.of("http://a.example", "https://b.example/felund"),
				d.withUrls(List.of("http://a.example/", " https://b.example/felund", "http://a.example")).urls(),
				"normalized, in order, without repeats");
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
		List<String> nine = java.util.stream.IntStream.range(0, 9).mapToObj(i -> "http://r" + i + ".example").toList();
		assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withUrls(nine)).getMessage().contains("8"));
	}
}
