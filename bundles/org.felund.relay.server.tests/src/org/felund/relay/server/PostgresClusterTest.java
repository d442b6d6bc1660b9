package org.felund.relay.server;

import static org.felund.relay.server.RelayHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.felund.relay.server.RelayHarness.Backend;
import org.felund.relay.server.RelayHarness.Member;
import org.felund.relay.server.RelayHarness.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** Two relay instances on one PostgreSQL database behave as one relay. */
class PostgresClusterTest {
	static final String HINT = WebSocketTest.HINT;

	@TempDir
	Path dir;
	RelayHarness a;
	RelayHarness b;
	final List<Subscriber> subscribers = new ArrayList<>();

	@BeforeEach
	void start() throws Exception {
		String url = PostgresServer.shared().newSchemaUrl();
		a = new RelayHarness(Backend.POSTGRES, dir.resolve("a"), url, x -> x);
		b = new RelayHarness(Backend.POSTGRES, dir.resolve("b"), url, x -> x);
	}

	@AfterEach
	void stop() {
		subscribers.forEach(Subscriber::close);
		a.close();
		b.close();
	}

	Subscriber subscribe(RelayHarness relay, String nodeId) {
		Subscriber s = new Subscriber(HINT, nodeId).connect(relay.server().port());
		subscribers.add(s);
		return s;
	}

	static Reply postOne(RelayHarness relay, String id, String senderNode) {
		String body = MessagesTest.batch(HINT, List.of(MessagesTest.envelope(id, RelayHarness.START)));
		return relay.send("POST", "/v1/messages", body, Map.of("X-Felund-Node", senderNode));
	}

	@Test
	void aPostOnEitherInstanceReachesTheSubscribersOfBothExactlyOnce() throws Exception {
		Subscriber onA = subscribe(a, "subscriber-on-a");
		Subscriber onB = subscribe(b, "subscriber-on-b");
		Subscriber posterOnB = subscribe(b, "the-poster-node");
		Thread.sleep(200); // the sockets have joined their rooms
		Set<String> posted = new HashSet<>();
		for (int i = 0; i < 20; i++) {
			String id = MessagesTest.id(1000 + i);
			expect(200, postOne(i % 2 == 0 ? a : b, id, "the-poster-node"));
			posted.add(id);
		}
		assertTrue(onA.awaitAll(posted, 5000), () -> "missing on A: " + missing(posted, onA));
		assertTrue(onB.awaitAll(posted, 5000), () -> "missing on B: " + missing(posted, onB));
		Thread.sleep(300);
		for (Subscriber s : List.of(onA, onB)) {
			s.counts.forEach((id, n) -> assertEquals(1, n, id + " pushed " + n + " times"));
			assertEquals(posted, s.received);
		}
		assertEquals(Set.of(), posterOnB.received, "the poster's own socket is skipped on every instance");
	}

	static Set<String> missing(Set<String> expected, Subscriber s) {
		Set<String> m = new HashSet<>(expected);
		m.removeAll(s.received);
		return m;
	}

	@Test
	void aNonceUsedOnOneInstanceIsAReplayOnTheOther() {
		Member m = a.member(RelayHarness.secret(7), "member-node-0001");
		expect(200, m.register());
		String path = "/v1/peers?circle_hint=" + m.hint();
		Map<String, String> headers = m.sign("GET", "/peers", null);
		expect(200, a.send("GET", path, null, headers));
		JsonNode replay = expect(409, b.send("GET", path, null, headers));
		assertEquals("NONCE_REPLAY", replay.get("code").textValue());
		// The key bound through A guards the circle on B as well.
		Member intruder = b.member(RelayHarness.secret(8), "intruder-node-01");
		String body = "{\"node_id\":\"intruder-node-01\",\"circle_hint\":\"" + m.hint() + "\",\"signing_key\":\""
				+ intruder.key() + "\"}";
		expect(401, b.send("POST", "/v1/register", body, intruder.sign("POST", "/register", body)));
		Member other = b.member(RelayHarness.secret(7), "member-node-0002");
		expect(200, other.register());
		JsonNode peers = expect(200, a.send("GET", path, null, m.sign("GET", "/peers", null))).get("peers");
		assertEquals("member-node-0002", peers.get(0).get("node_id").textValue(), "presence is shared too");
	}

	@Test
	void signalsAndTheirRateLimitAreSharedAndPollCursorsContinueOnTheOtherInstance() {
		a.present(SignalsTest.HINT, SignalsTest.A, SignalsTest.B);
		expect(200, a.post("/v1/signal", SignalsTest.signal(SignalsTest.A, SignalsTest.B, "offer", "")));
		expect(200, b.post("/v1/signal", SignalsTest.signal(SignalsTest.A, SignalsTest.B, "answer", "")));
		JsonNode inbox = expect(200, b.get("/v1/signal?to_node_id=" + SignalsTest.B)).get("signals");
		assertEquals(2, inbox.size());
		assertEquals("offer", inbox.get(0).get("type").textValue());
		long lastId = inbox.get(1).get("id").longValue();
		assertTrue(lastId > inbox.get(0).get("id").longValue());
		expect(200, a.post("/v1/signal", SignalsTest.signal(SignalsTest.A, SignalsTest.B, "candidate", "")));
		JsonNode after = expect(200, a.get("/v1/signal?to_node_id=" + SignalsTest.B + "&since_id=" + lastId))
				.get("signals");
		assertEquals(1, after.size(), "exactly the newer one, read from the other instance");
		// 3 of the sender's 20 posts per window are used; 17 more pass, alternating instances, then 429 on both.
		for (int i = 0; i < 17; i++) {
			expect(200, (i % 2 == 0 ? b : a).post("/v1/signal",
					SignalsTest.signal(SignalsTest.A, SignalsTest.B, "candidate", "")));
		}
		Reply limited = a.post("/v1/signal", SignalsTest.signal(SignalsTest.A, SignalsTest.B, "candidate", ""));
		expect(429, limited);
		assertTrue(Integer.parseInt(limited.header("Retry-After")) >= 1);
		expect(429, b.post("/v1/signal", SignalsTest.signal(SignalsTest.A, SignalsTest.B, "candidate", "")));

		// Messages: a poll cursor handed out by A continues exactly on B.
		expect(200, postOne(a, MessagesTest.id(1), "n1"));
		expect(200, postOne(a, MessagesTest.id(2), "n1"));
		long cursor = expect(200, a.get("/v1/messages?circle_hint=" + HINT + "&since=0")).get("server_time")
				.longValue();
		expect(200, postOne(b, MessagesTest.id(3), "n1"));
		expect(200, postOne(a, MessagesTest.id(4), "n1"));
		JsonNode page = expect(200, b.get("/v1/messages?circle_hint=" + HINT + "&since=" + cursor));
		assertEquals(List.of(MessagesTest.id(3), MessagesTest.id(4)), msgIds(page));
	}

	static List<String> msgIds(JsonNode page) {
		List<String> ids = new ArrayList<>();
		page.get("messages").forEach(m -> ids.add(m.get("msg_id").textValue()));
		return ids;
	}

	@Test
	void aValueThatPostgresCannotStoreIs400AndFailsAlone() throws Exception {
		// U+0000 is valid JSON and SQLite stores it; PostgreSQL text cannot hold it. The post that carries it
		// fails with 400 on its own; posts committed in the same group commit are stored.
		List<Thread> others = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			String id = MessagesTest.id(7000 + i);
			others.add(Thread.ofPlatform().start(() -> expect(200, postOne(a, id, "n1"))));
		}
		String body = MessagesTest.batch(HINT, List.of(MessagesTest.envelope("bad\\u0000id-0001", RelayHarness.START)));
		Reply bad = a.send("POST", "/v1/messages", body, Map.of());
		for (Thread t : others) {
			t.join();
		}
		assertEquals(400, bad.status(), bad.body());
		JsonNode all = expect(200, b.get("/v1/messages?circle_hint=" + HINT));
		assertEquals(8, all.get("messages").size());
		expect(200, a.get("/v1/health"));
	}
}
