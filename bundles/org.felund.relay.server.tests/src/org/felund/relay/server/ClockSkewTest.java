package org.felund.relay.server;

import static org.felund.relay.server.RelayHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.felund.relay.server.RelayHarness.Member;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Fault campaign: clients whose clocks are 10 minutes off the relay's. Everything the relay times itself (TTLs,
 * cursors, retention, WebSocket) keeps working; signed requests outside {@code --clock-skew-s} are refused with
 * the relay's time in the answer, so a client can sign with it (the desktop transport does, from
 * {@code /v1/health}); a wider skew setting admits them without opening a replay window.
 */
class ClockSkewTest {
	/** The storage the relays of this test use (the PostgreSQL variant overrides it). */
	RelayHarness.Backend backend() {
		return RelayHarness.Backend.SQLITE;
	}

	static final long TEN_MINUTES = 600;

	@TempDir
	Path dir;
	RelayHarness relay;

	@AfterEach
	void stop() {
		if (relay != null) {
			relay.close();
		}
	}

	@Test
	void clientsTenMinutesOffKeepEverythingTheRelayTimesAndSignWithTheRelaysTime() throws Exception {
		relay = new RelayHarness(backend(), dir);
		long server = relay.clock.seconds();
		for (long offset : new long[] { -TEN_MINUTES, TEN_MINUTES }) {
			Member m = relay.member(RelayHarness.secret(offset < 0 ? 1 : 2), "skewed-node-" + (offset < 0 ? "behind" : "ahead1"));
			String body = m.registerBody(true);
			// Signed with its own clock: refused, and the answer carries the relay's clock ...
			JsonNode refused = expect(400, relay.send("POST", "/v1/register", body,
					m.signAt("POST", "/register", body, server + offset, relay.freshNonce())));
			assertEquals("EXPIRED_TIMESTAMP", refused.get("code").textValue());
			assertEquals(server, refused.get("server_time").longValue());
			// ... with which it signs from then on (as it would after reading /v1/health's time).
			long relayTime = refused.get("server_time").longValue();
			expect(200, relay.send("POST", "/v1/register", body, m.signAt("POST", "/register", body, relayTime,
					relay.freshNonce())));
			expect(200, relay.send("GET", "/v1/peers?circle_hint=" + m.hint(), null,
					m.signAt("GET", "/peers", null, relayTime, relay.freshNonce())));
			assertEquals(server, expect(200, relay.get("/v1/health")).get("time").longValue());
		}
	}

	@Test
	void unsignedTrafficCursorsTtlsAndTheWebSocketDoNotDependOnClientClocks() throws Exception {
		relay = new RelayHarness(backend(), dir);
		Subscriber sub = new Subscriber(MessagesTest.HINT, "listening-node-1").connect(relay.server().port());
		try {
			long server = relay.clock.seconds();
			// Messages whose authors' clocks are 10 minutes apart, posted in this order.
			expect(200, relay.post("/v1/messages", MessagesTest.batch(MessagesTest.HINT,
					List.of(MessagesTest.envelope(MessagesTest.id(1), server + TEN_MINUTES)))));
			expect(200, relay.post("/v1/messages", MessagesTest.batch(MessagesTest.HINT,
					List.of(MessagesTest.envelope(MessagesTest.id(2), server - TEN_MINUTES)))));
			JsonNode page = expect(200, relay.get("/v1/messages?circle_hint=" + MessagesTest.HINT + "&since=0"));
			assertEquals(MessagesTest.id(1), page.get("messages").get(0).get("msg_id").textValue(), "storage order");
			long cursor = page.get("server_time").longValue();
			expect(200, relay.post("/v1/messages", MessagesTest.batch(MessagesTest.HINT,
					List.of(MessagesTest.envelope(MessagesTest.id(3), server - 2 * TEN_MINUTES)))));
			JsonNode next = expect(200, relay.get("/v1/messages?circle_hint=" + MessagesTest.HINT + "&since=" + cursor));
			assertEquals(1, next.get("messages").size(), "the cursor is the relay's, not a clock");
			assertTrue(sub.awaitAll(java.util.Set.of(MessagesTest.id(1), MessagesTest.id(2), MessagesTest.id(3)), 5000));
			// Presence lives by the relay's clock: 120 s of TTL are 120 s whatever the client's clock says.
			relay.present(SignalsTest.HINT, SignalsTest.A, SignalsTest.B);
			expect(200, relay.post("/v1/signal", SignalsTest.signal(SignalsTest.A, SignalsTest.B, "offer", "")));
			assertEquals(1, expect(200, relay.get("/v1/signal?to_node_id=" + SignalsTest.B)).get("signals").size());
		} finally {
			sub.close();
		}
	}

	@Test
	void aWiderSkewAdmitsTenMinutesAndStillCatchesEveryReplay() throws Exception {
		relay = new RelayHarness(backend(), dir, b -> b.clockSkew(Duration.ofSeconds(900)).pruneInterval(Duration.ofMillis(100)));
		long server = relay.clock.seconds();
		Member m = relay.member(RelayHarness.secret(1), "skewed-node-behind");
		expect(200, m.register());
		String nonce = relay.freshNonce();
		Map<String, String> behind = m.signAt("GET", "/peers", null, server - TEN_MINUTES, nonce);
		String query = "/v1/peers?circle_hint=" + m.hint();
		expect(200, relay.send("GET", query, null, behind));
		assertEquals("NONCE_REPLAY", expect(409, relay.send("GET", query, null, behind)).get("code").textValue());
		// The nonce is kept as long as its timestamp is acceptable, also across the prune.
		relay.clock.advance(Duration.ofSeconds(299));
		Thread.sleep(400); // several prune rounds
		assertEquals("NONCE_REPLAY", expect(409, relay.send("GET", query, null, behind)).get("code").textValue());
		relay.restart();
		assertEquals("NONCE_REPLAY", expect(409, relay.send("GET", query, null, behind)).get("code").textValue());
		relay.clock.advance(Duration.ofSeconds(2));
		assertEquals("EXPIRED_TIMESTAMP", expect(400, relay.send("GET", query, null, behind)).get("code").textValue());
		expect(200, relay.send("GET", query, null, m.signAt("GET", "/peers", null, relay.clock.seconds() + TEN_MINUTES,
				relay.freshNonce())));
	}
}
