package org.felund.relay.server;

import static org.felund.relay.server.RelayHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.felund.relay.server.RelayHarness.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** The WebRTC signaling mailbox (§7.6): shapes, validation, TTL clamps, expiry and the per-node rate limit. */
class SignalsTest {
	/** The storage the relays of this test use (the PostgreSQL variant overrides it). */
	RelayHarness.Backend backend() {
		return RelayHarness.Backend.SQLITE;
	}

	static final String A = "aaaaaaaaaaaaaaaaaaaaaaaa";
	static final String B = "bbbbbbbbbbbbbbbbbbbbbbbb";
	static final String SESSION = A + ":" + B;
	static final String HINT = "e03c84dccc271635";

	@TempDir
	Path dir;
	RelayHarness relay;

	@BeforeEach
	void start() throws Exception {
		relay = new RelayHarness(backend(), dir);
		// Unsigned signals pass between nodes registered in the circle (as web clients are).
		relay.present(HINT, A, B);
	}

	@AfterEach
	void stop() {
		relay.close();
	}

	static String signal(String from, String to, String type, String extra) {
		return signal(from, to, type, extra, HINT);
	}

	static String signal(String from, String to, String type, String extra, String hint) {
		return "{\"session_id\":\"" + SESSION + "\",\"from_node_id\":\"" + from + "\",\"to_node_id\":\"" + to
				+ "\",\"circle_hint\":\"" + hint + "\",\"type\":\"" + type
				+ "\",\"payload\":\"{\\\"type\\\":\\\"" + type + "\\\",\\\"sdp\\\":\\\"v=0\\\"}\"" + extra + "}";
	}

	JsonNode inbox(String query) {
		return expect(200, relay.get("/v1/signal?to_node_id=" + B + query)).get("signals");
	}

	@Test
	void postedSignalsAreReadByTheAddresseeWithIdsInOrder() {
		JsonNode posted = expect(200, relay.post("/v1/signal", signal(A, B, "offer", "")));
		assertTrue(posted.get("ok").booleanValue());
		assertEquals(RelayHarness.START, posted.get("server_time").longValue());
		expect(200, relay.post("/v1/signal", signal(A, B, "candidate", "")));
		expect(200, relay.post("/v1/signal", signal(B, A, "answer", "")));
		JsonNode got = expect(200, relay.get("/v1/signal?to_node_id=" + B));
		assertEquals(RelayHarness.START, got.get("server_time").longValue());
		JsonNode signals = got.get("signals");
		assertEquals(2, signals.size());
		JsonNode first = signals.get(0);
		assertEquals(SESSION, first.get("session_id").textValue());
		assertEquals(A, first.get("from_node").textValue());
		assertEquals(B, first.get("to_node").textValue());
		assertEquals("offer", first.get("type").textValue());
		assertEquals("{\"type\":\"offer\",\"sdp\":\"v=0\"}", first.get("payload").textValue());
		assertEquals(RelayHarness.START, first.get("created_at").longValue());
		long firstId = first.get("id").longValue();
		assertTrue(signals.get(1).get("id").longValue() > firstId);
		assertEquals(1, inbox("&since_id=" + firstId).size());
		assertEquals(2, inbox("&since_id=" + firstId + "x").size(), "a garbage since_id counts as 0");
		assertEquals(2, inbox("&session_id=" + SESSION).size());
		assertEquals(0, inbox("&session_id=other-session").size());
		assertEquals(2, inbox("").size(), "signals are not consumed by reading");
	}

	@Test
	void ttlIsClampedPerTypeAndSignalsExpire() {
		expect(200, relay.post("/v1/signal", signal(A, B, "candidate", ",\"ttl_s\":999")));
		expect(200, relay.post("/v1/signal", signal(A, B, "offer", "")));
		expect(200, relay.post("/v1/signal", signal(A, B, "media-offer", ",\"ttl_s\":1")));
		relay.clock.advance(Duration.ofSeconds(9));
		assertEquals(3, inbox("").size());
		relay.clock.advance(Duration.ofSeconds(1));
		assertEquals(2, inbox("").size(), "a 1 s TTL is raised to 10 s");
		relay.clock.advance(Duration.ofSeconds(50));
		assertEquals(1, inbox("").size(), "candidate TTL capped at 60 s");
		relay.clock.advance(Duration.ofSeconds(59));
		assertEquals(1, inbox("").size());
		relay.clock.advance(Duration.ofSeconds(1));
		assertEquals(0, inbox("").size(), "offer TTL defaults to 120 s");
	}

	@Test
	void invalidSignalsNameTheProblem() {
		String ok = signal(A, B, "offer", "");
		String[][] cases = {
				{ ok.replace(SESSION, "short"), "session_id must be a string of 8-256 characters" },
				{ ok.replace(SESSION, "s".repeat(257)), "session_id must be a string of 8-256 characters" },
				{ ok.replace("\"from_node_id\":\"" + A + "\"", "\"from_node_id\":\"a\""), "from_node_id must be a string of 8-128 characters" },
				{ ok.replace("\"to_node_id\":\"" + B + "\"", "\"to_node_id\":null"), "to_node_id must be a string of 8-128 characters" },
				{ ok.replace("e03c84dccc271635", "e03c"), "circle_hint must be a string of 8-128 characters" },
				{ ok.replace("\"type\":\"offer\"", "\"type\":\"hello\""),
						"type must be one of offer, answer, candidate, media-offer, media-answer, media-candidate" },
				{ ok.replaceAll("\"payload\":\"[^}]*}\"", "\"payload\":{}"), "payload must be a string of at most 65536 characters" },
				{ signal(A, B, "offer", "").replace("v=0", "v".repeat(65_536)), "payload must be a string of at most 65536 characters" },
				{ signal(A, B, "offer", ",\"ttl_s\":\"9\""), "ttl_s must be a number of seconds" }, };
		for (String[] c : cases) {
			assertEquals(c[1], expect(400, relay.post("/v1/signal", c[0])).get("detail").textValue(), c[0]);
		}
		assertEquals(0, inbox("").size());
		assertEquals("to_node_id must be a string of 8-128 characters",
				expect(400, relay.get("/v1/signal?to_node_id=b")).get("detail").textValue());
	}

	@Test
	void moreThanTwentySignalsInTenSecondsFromOneNodeAreRateLimited() {
		for (int i = 0; i < 20; i++) {
			expect(200, relay.post("/v1/signal", signal(A, B, "candidate", "")));
		}
		relay.clock.advance(Duration.ofMillis(3500));
		Reply limited = relay.post("/v1/signal", signal(A, B, "candidate", ""));
		JsonNode body = expect(429, limited);
		assertEquals("7", limited.header("Retry-After"));
		assertEquals("Rate limit exceeded, retry after 7 s", body.get("detail").textValue());
		HttpBasicsTest.assertCors(limited);
		expect(200, relay.post("/v1/signal", signal(B, A, "answer", "")));
		relay.clock.advance(Duration.ofMillis(6500));
		expect(200, relay.post("/v1/signal", signal(A, B, "candidate", "")));
		assertEquals(21, inbox("").size());
	}
}
