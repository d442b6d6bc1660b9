package org.felund.transport.relay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTest {
	@Test
	void doublesUpToTheCapAndStartsOverAfterReset() {
		Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(700));
		assertEquals(100, b.next() / 1_000_000);
		assertEquals(200, b.next() / 1_000_000);
		assertEquals(400, b.next() / 1_000_000);
		assertEquals(700, b.next() / 1_000_000);
		assertEquals(700, b.next() / 1_000_000);
		b.reset();
		assertEquals(100, b.next() / 1_000_000);
	}
}
