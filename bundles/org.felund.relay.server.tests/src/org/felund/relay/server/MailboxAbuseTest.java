package org.felund.relay.server;

import static org.felund.relay.server.RelayHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import org.felund.relay.server.RelayHarness.Member;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Issue 14 #3, performed: in {@code compat} anyone who knows a circle hint (it travels in clear in every gossip
 * HELLO) may read and fill its relay mailbox with unsigned requests, as the web client does. What an outsider
 * can do is bounded: a circle holds at most its quota, an address posts at most its rate and binds few new
 * circles; everything else about a circle (presence, other members' addresses) needs its key.
 */
class MailboxAbuseTest {
	/** The storage the relays of this test use (the PostgreSQL variant overrides it). */
	RelayHarness.Backend backend() {
		return RelayHarness.Backend.SQLITE;
	}

	@TempDir
	Path dir;
	RelayHarness relay;

	@AfterEach
	void stop() {
		if (relay != null) {
			relay.close();
		}
	}

	private RelayHarness start(UnaryOperator<RelayLimits> limits) throws Exception {
		relay = new RelayHarness(backend(), dir,
				b -> b.trustProxy(TrustProxy.NEVER).pruneInterval(Duration.ofMillis(200)).limits(limits));
		return relay;
	}

	/** Posts until the answer is not 507 (expired rows count until the prune task deletes them). */
	private int postOnceRoomIsMade(String body) throws InterruptedException {
		long deadline = System.nanoTime() + 10_000_000_000L;
		int status;
		do {
			Thread.sleep(100);
			status = relay.post("/v1/messages", body).status();
		} while (status == 507 && System.nanoTime() < deadline);
		return status;
	}

	static String envelope(int n, int size) {
		return "{\"msg_id\":\"" + MessagesTest.id(n) + "\",\"created_ts\":1,\"enc\":{\"ciphertext\":\"" + "C".repeat(size)
				+ "\"}}";
	}

	@Test
	void anOutsiderWhoKnowsTheHintReadsAndPostsCiphertextButNothingElse() throws Exception {
		start(l -> l);
		Member member = relay.member(RelayHarness.secret(1), "member-node-0001");
		expect(200, member.register());
		expect(200, member.signed("POST", "/v1/messages", MessagesTest.batch(member.hint(), List.of(envelope(1, 100)))));
		String hint = member.hint();
		// What compat exposes: the circle's stored envelopes (ciphertext and their clear fields) and posting more.
		assertEquals(1, expect(200, relay.get("/v1/messages?circle_hint=" + hint)).get("messages").size());
		expect(200, relay.post("/v1/messages", MessagesTest.batch(hint, List.of(envelope(2, 100)))));
		// Not exposed: who is in the circle and where, joining its presence, removing members, signalling them.
		expect(401, relay.get("/v1/peers?circle_hint=" + hint));
		expect(401, relay.post("/v1/register", "{\"node_id\":\"outsider-node-1\",\"circle_hint\":\"" + hint + "\"}"));
		Member outsider = relay.member(RelayHarness.secret(66), "outsider-node-1");
		String own = "{\"node_id\":\"outsider-node-1\",\"circle_hint\":\"" + hint + "\",\"signing_key\":\"" + outsider.key()
				+ "\"}";
		expect(401, relay.send("POST", "/v1/register", own, outsider.sign("POST", "/register", own)));
		expect(401, relay.send("DELETE", "/v1/register",
				"{\"node_id\":\"member-node-0001\",\"circle_hint\":\"" + hint + "\"}", java.util.Map.of()));
		expect(403, relay.post("/v1/signal", SignalsTest.signal("outsider-node-1", "member-node-0001", "offer", "", hint)));
		JsonNode peers = expect(200, relay.member(RelayHarness.secret(1), "member-node-0002").signed("GET",
				"/v1/peers?circle_hint=" + hint, null)).get("peers");
		assertEquals(1, peers.size(), "the member's presence is untouched");
	}

	@Test
	void aCircleHoldsAtMostItsQuotaAndTheRestOfTheRelayIsUnaffected() throws Exception {
		start(l -> l.withCircleQuota(10, 100_000));
		List<String> ten = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			ten.add(envelope(i, 5000));
		}
		assertEquals(10, expect(200, relay.post("/v1/messages", MessagesTest.batch(MessagesTest.HINT, ten))).get("stored")
				.intValue());
		JsonNode full = expect(507, relay.post("/v1/messages", MessagesTest.batch(MessagesTest.HINT,
				List.of(envelope(10, 10)))));
		assertTrue(full.get("detail").textValue().contains("mailbox is full"), full.toString());
		// Bytes count as well: 2 messages of 60 KB do not fit in 100 KB.
		expect(507, relay.post("/v1/messages", MessagesTest.batch(MessagesTest.OTHER_HINT,
				List.of(envelope(20, 60_000), envelope(21, 60_000)))));
		assertEquals(0, expect(200, relay.get("/v1/messages?circle_hint=" + MessagesTest.OTHER_HINT)).get("messages")
				.size(), "a refused post stores nothing");
		expect(200, relay.post("/v1/messages", MessagesTest.batch(MessagesTest.OTHER_HINT, List.of(envelope(20, 60_000)))));
		// Re-posting what is stored is no growth (the web client re-pushes everything after a reload).
		assertEquals(10, expect(200, relay.get("/v1/messages?circle_hint=" + MessagesTest.HINT)).get("messages").size());
		// Once the messages expire (and the prune deleted them), the circle has room again.
		relay.clock.advance(Duration.ofDays(30).plusSeconds(1));
		assertEquals(200, postOnceRoomIsMade(MessagesTest.batch(MessagesTest.HINT, List.of(envelope(30, 10)))));
	}

	@Test
	void theQuotaMeasureShrinksWhenThePruneDeletesAndSurvivesARestart() throws Exception {
		start(l -> l.withCircleQuota(5, 1_000_000));
		List<String> five = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			five.add(envelope(i, 100));
		}
		expect(200, relay.post("/v1/messages", MessagesTest.batch(MessagesTest.HINT, five)));
		relay.restart();
		expect(507, relay.post("/v1/messages", MessagesTest.batch(MessagesTest.HINT, List.of(envelope(9, 100)))));
		relay.clock.advance(Duration.ofDays(31));
		assertEquals(200, postOnceRoomIsMade(MessagesTest.batch(MessagesTest.HINT, List.of(envelope(10, 100)))),
				"the prune took the deleted rows off the circle's usage");
	}

	@Test
	void postedBytesAndNewCirclesAreLimitedPerAddress() throws Exception {
		start(l -> l.withPostRate(1024, 100_000).withNewCirclesPerHour(2));
		HttpClient attacker = HttpClient.newBuilder().localAddress(ConnectionAbuseTest.loopback(1)).build();
		HttpClient bystander = HttpClient.newBuilder().localAddress(ConnectionAbuseTest.loopback(2)).build();
		String big = MessagesTest.batch(MessagesTest.HINT, List.of(envelope(1, 60_000)));
		assertEquals(200, post(attacker, big).statusCode());
		HttpResponse<String> limited = post(attacker,
				MessagesTest.batch(MessagesTest.HINT, List.of(envelope(2, 60_000))));
		assertEquals(429, limited.statusCode(), limited.body());
		assertTrue(Integer.parseInt(limited.headers().firstValue("Retry-After").orElse("0")) >= 1);
		assertEquals(200, post(bystander, MessagesTest.batch(MessagesTest.HINT, List.of(envelope(3, 60_000)))).statusCode());

		// Binding keys for new circles: two per hour from one address.
		List<Integer> statuses = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			Member m = relay.member(RelayHarness.secret(100 + i), "squatter-node-" + i);
			String body = m.registerBody(true);
			statuses.add(attacker.send(HttpRequest.newBuilder(relay.uri("/v1/register"))
					.header("Content-Type", "application/json").headers(flat(m.sign("POST", "/register", body)))
					.POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
					.statusCode());
		}
		assertEquals(List.of(200, 200, 429), statuses);
		// Members of a circle whose key is bound are not counted again.
		Member again = relay.member(RelayHarness.secret(100), "squatter-node-9");
		String body = again.registerBody(true);
		assertEquals(200, attacker.send(HttpRequest.newBuilder(relay.uri("/v1/register"))
				.header("Content-Type", "application/json").headers(flat(again.sign("POST", "/register", body)))
				.POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
				.statusCode());
	}

	static String[] flat(java.util.Map<String, String> headers) {
		List<String> out = new ArrayList<>();
		headers.forEach((k, v) -> {
			out.add(k);
			out.add(v);
		});
		return out.toArray(String[]::new);
	}

	private HttpResponse<String> post(HttpClient http, String body) throws Exception {
		return http.send(HttpRequest.newBuilder(relay.uri("/v1/messages")).header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
	}
}
