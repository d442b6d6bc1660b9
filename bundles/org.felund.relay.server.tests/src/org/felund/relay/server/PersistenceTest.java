package org.felund.relay.server;

import static org.felund.relay.server.RelayHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.felund.relay.server.RelayHarness.Member;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** A restart keeps everything stored: messages (and cursors into them), presence, keys, nonces and signals. */
class PersistenceTest {
	/** The storage the relays of this test use (the PostgreSQL variant overrides it). */
	RelayHarness.Backend backend() {
		return RelayHarness.Backend.SQLITE;
	}

	@TempDir
	Path dir;
	RelayHarness relay;

	@BeforeEach
	void start() throws Exception {
		relay = new RelayHarness(backend(), dir, b -> b.signatures(SignaturePolicy.STRICT));
	}

	@AfterEach
	void stop() {
		relay.close();
	}

	@Test
	void restartLosesNothingStoredAndCursorsContinue() throws Exception {
		Member m = relay.member(RelayHarness.secret(1), "0123456789abcdef01234567");
		expect(200, m.register());
		List<String> before = new ArrayList<>();
		for (int i = 0; i < 120; i++) {
			before.add(MessagesTest.envelope(MessagesTest.id(i), RelayHarness.START));
		}
		for (int i = 0; i < before.size(); i += 50) {
			String body = MessagesTest.batch(m.hint(), before.subList(i, Math.min(before.size(), i + 50)));
			expect(200, m.signed("POST", "/v1/messages", body));
		}
		// Strict: signals are signed with the circle's key.
		String signal = SignalsTest.signal(SignalsTest.A, SignalsTest.B, "offer", "", m.hint());
		expect(200, m.signed("POST", "/v1/signal", signal));
		JsonNode firstPage = expect(200, m.signed("GET", "/v1/messages?circle_hint=" + m.hint() + "&limit=100", null));
		long cursor = firstPage.get("server_time").longValue();

		relay.restart();

		JsonNode rest = expect(200, m.signed("GET", "/v1/messages?circle_hint=" + m.hint() + "&since=" + cursor, null));
		assertEquals(20, rest.get("messages").size(), "the cursor from before the restart continues exactly");
		assertEquals(MessagesTest.id(100), rest.get("messages").get(0).get("msg_id").textValue());
		assertEquals(120, expect(200, m.signed("GET", "/v1/messages?circle_hint=" + m.hint(), null)).get("messages").size());
		// The key is still bound: unsigned or foreign-key requests stay out, the member's signed ones get in.
		expect(401, relay.get("/v1/peers?circle_hint=" + m.hint()));
		JsonNode peers = expect(200, relay.member(RelayHarness.secret(1), "ffffffffffffffffffffffff")
				.signed("GET", "/v1/peers?circle_hint=" + m.hint(), null));
		assertEquals(m.nodeId, peers.get("peers").get(0).get("node_id").textValue());
		assertEquals(1, expect(200, m.signed("GET", "/v1/signal?to_node_id=" + SignalsTest.B + "&circle_hint=" + m.hint(),
				null)).get("signals").size());
		// New rows continue after the old ones.
		String more = MessagesTest.batch(m.hint(), List.of(MessagesTest.envelope(MessagesTest.id(500), RelayHarness.START)));
		expect(200, m.signed("POST", "/v1/messages", more));
		JsonNode next = expect(200, m.signed("GET", "/v1/messages?circle_hint=" + m.hint() + "&since="
				+ rest.get("server_time").longValue(), null));
		assertEquals(1, next.get("messages").size());
		assertEquals(MessagesTest.id(500), next.get("messages").get(0).get("msg_id").textValue());
	}
}
