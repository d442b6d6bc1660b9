package org.felund.relay.server;

import static org.felund.relay.server.RelayHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** Store-and-forward (§7.5): shapes, validation, dedupe, retention and the lossless poll cursor (§10 #25). */
class MessagesTest {
	/** The storage the relays of this test use (the PostgreSQL variant overrides it). */
	RelayHarness.Backend backend() {
		return RelayHarness.Backend.SQLITE;
	}

	static final String HINT = "e03c84dccc271635";
	static final String OTHER_HINT = "0011223344556677";

	@TempDir
	Path dir;
	RelayHarness relay;

	@BeforeEach
	void start() throws Exception {
		relay = new RelayHarness(backend(), dir);
	}

	@AfterEach
	void stop() {
		relay.close();
	}

	static String envelope(String msgId, long createdTs) {
		return "{\"msg_id\":\"" + msgId + "\",\"circle_id\":\"630dcd2966c4336691125448\",\"channel_id\":\"general\","
				+ "\"author_node_id\":\"0123456789abcdef01234567\",\"created_ts\":" + createdTs
				+ ",\"enc\":{\"alg\":\"AES-256-GCM\",\"key_id\":\"epoch-0\",\"nonce\":\"AAECAwQFBgcICQoL\","
				+ "\"ciphertext\":\"P+qAgq7+/8wc0tBDIRdixIF9acii+xplJavxON37gZgiV68RQgL/MgdkbUPMQX9vgxtUQvDjTA==\"}}";
	}

	static String id(int n) {
		return String.format("%032x", n);
	}

	static String batch(String hint, List<String> elements) {
		return "{\"circle_hint\":\"" + hint + "\",\"messages\":[" + String.join(",", elements) + "]}";
	}

	/** Posts {@code count} messages in batches of 50 and returns their ids. */
	List<String> postMany(String hint, int first, int count) {
		List<String> ids = new ArrayList<>();
		for (int start = first; start < first + count; start += 50) {
			List<String> elements = new ArrayList<>();
			for (int i = start; i < Math.min(first + count, start + 50); i++) {
				ids.add(id(i));
				elements.add(envelope(id(i), RelayHarness.START));
			}
			JsonNode r = expect(200, relay.post("/v1/messages", batch(hint, elements)));
			assertEquals(elements.size(), r.get("stored").intValue());
		}
		return ids;
	}

	JsonNode pull(String hint, long since, int limit) {
		return expect(200, relay.get("/v1/messages?circle_hint=" + hint + "&since=" + since + "&limit=" + limit));
	}

	/** The Python TUI's loop: {@code since = server_time} when larger, limit 200 (§8.6). */
	List<String> pythonFollower(long[] cursor) {
		List<String> got = new ArrayList<>();
		while (true) {
			JsonNode page = pull(HINT, cursor[0], 200);
			page.get("messages").forEach(m -> got.add(m.get("msg_id").textValue()));
			cursor[0] = Math.max(cursor[0], page.get("server_time").longValue());
			if (page.get("messages").isEmpty()) {
				return got;
			}
		}
	}

	/** The web client's loop: {@code since = max(since, server_time - 1)}, dedupe by msg_id (§8.1). */
	Set<String> webFollower(long[] cursor) {
		Set<String> got = new LinkedHashSet<>();
		while (true) {
			JsonNode page = pull(HINT, cursor[0], 200);
			int before = got.size();
			page.get("messages").forEach(m -> got.add(m.get("msg_id").textValue()));
			cursor[0] = Math.max(cursor[0], page.get("server_time").longValue() - 1);
			if (got.size() == before) {
				return got;
			}
		}
	}

	@Test
	void postAnswersStoredCountAndServerTimeAndGetReturnsTheObjects() {
		JsonNode post = expect(200, relay.post("/v1/messages", batch(HINT, List.of(envelope(id(1), 5), envelope(id(2), 6)))));
		assertTrue(post.get("ok").booleanValue());
		assertEquals(2, post.get("stored").intValue());
		assertEquals(RelayHarness.START, post.get("server_time").longValue());
		JsonNode again = expect(200, relay.post("/v1/messages", batch(HINT, List.of(envelope(id(1), 5)))));
		assertEquals(0, again.get("stored").intValue(), "a known msg_id is ignored");
		JsonNode page = pull(HINT, 0, 200);
		assertTrue(page.get("ok").booleanValue());
		assertEquals(2, page.get("messages").size());
		assertEquals(id(1), page.get("messages").get(0).get("msg_id").textValue());
		assertEquals(5, page.get("messages").get(0).get("created_ts").longValue());
		assertTrue(page.get("server_time").isIntegralNumber());
		assertEquals(page.get("server_time"), page.get("cursor"));
		assertFalse(page.get("more").booleanValue());
		assertEquals(0, pull(OTHER_HINT, 0, 200).get("messages").size());
	}

	@Test
	void storedObjectsComeBackAsTheSameJsonIncludingUnknownKeysFloatsEmptyObjectsAndAnyString() throws Exception {
		String odd = "{\"msg_id\":\"" + id(7) + "\",\"created_ts\":1700000000,\"text\":\"h\\u00e9llo \\ud83c\\udf89 \\ud800 /\","
				+ "\"display_name\":\"\\u00c5sa\",\"mac\":\"\",\"future\":{\"x\":1.0,\"y\":{},\"z\":[],\"big\":123456789012345678901234567890,"
				+ "\"e\":2.5E1, \"u\":\"ünï\"}}";
		expect(200, relay.post("/v1/messages", batch(HINT, List.of(odd))));
		JsonNode stored = pull(HINT, 0, 200).get("messages").get(0);
		assertEquals(RelayHarness.JSON.readTree(odd), stored);
		assertEquals("h\u00e9llo \ud83c\udf89 \ud800 /", stored.get("text").textValue());
		assertTrue(stored.get("future").get("y").isObject(), "{} stays an object (PHP turns it into [])");
		String raw = relay.get("/v1/messages?circle_hint=" + HINT).body();
		assertTrue(raw.contains("\"x\":1.0"), "1.0 keeps its form (PHP writes 1): " + raw);
		// Each element is stored as the client's own text: 2.5E1 is not turned into 25 (an integer to Python).
		assertTrue(raw.contains(odd), "stored exactly as sent: " + raw);
	}

	@Test
	void theSameMsgIdInTwoCirclesIsTwoMessages() {
		assertEquals(1, expect(200, relay.post("/v1/messages", batch(HINT, List.of(envelope(id(3), 1))))).get("stored").intValue());
		assertEquals(1, expect(200, relay.post("/v1/messages", batch(OTHER_HINT, List.of(envelope(id(3), 1))))).get("stored").intValue());
		assertEquals(1, pull(OTHER_HINT, 0, 10).get("messages").size());
	}

	@Test
	void invalidRequestsNameTheProblem() {
		String ok = envelope(id(1), 1);
		String[][] cases = {
				{ "{\"messages\":[]}", "circle_hint must be a string of 8-128 characters" },
				{ "{\"circle_hint\":\"short\",\"messages\":[]}", "circle_hint must be a string of 8-128 characters" },
				{ "{\"circle_hint\":\"" + "h".repeat(129) + "\",\"messages\":[]}", "circle_hint must be a string of 8-128 characters" },
				{ "{\"circle_hint\":\"" + HINT + "\"}", "messages must be an array" },
				{ "{\"circle_hint\":\"" + HINT + "\",\"messages\":{}}", "messages must be an array" },
				{ batch(HINT, java.util.Collections.nCopies(51, ok)), "too many messages: at most 50 per request, got 51" },
				{ batch(HINT, List.of("7")), "messages[0] must be an object" },
				{ batch(HINT, List.of(ok.replace(id(1), "1234567"))), "messages[0].msg_id must be a string of 8-64 characters" },
				{ batch(HINT, List.of(ok.replace(id(1), "a".repeat(65)))), "messages[0].msg_id must be a string of 8-64 characters" },
				{ batch(HINT, List.of(ok.replace("\"" + id(1) + "\"", "12345678"))), "messages[0].msg_id must be a string of 8-64 characters" },
				{ batch(HINT, List.of(ok.replace("\"created_ts\":1", "\"created_ts\":-1"))), "messages[0].created_ts must be a non-negative integer" },
				{ batch(HINT, List.of(ok.replace("\"created_ts\":1", "\"created_ts\":1.5"))), "messages[0].created_ts must be a non-negative integer" },
				{ batch(HINT, List.of(ok.replace("\"created_ts\":1", "\"created_ts\":\"1\""))), "messages[0].created_ts must be a non-negative integer" },
				{ batch(HINT, List.of(ok.replace("\"created_ts\":1", "\"created_ts\":true"))), "messages[0].created_ts must be a non-negative integer" },
				{ batch(HINT, List.of(ok.replace("\"created_ts\":1,", ""))), "messages[0].created_ts must be a non-negative integer" },
				{ batch(HINT, List.of(ok.replace("\"created_ts\":1", "\"created_ts\":1,\"text\":\"" + "\u00e9".repeat(2049) + "\""))),
						"messages[0].text must be a string of at most 4096 bytes" },
				{ batch(HINT, List.of(ok.replace("\"created_ts\":1", "\"created_ts\":1,\"text\":5"))),
						"messages[0].text must be a string of at most 4096 bytes" },
				{ batch(HINT, List.of(ok.replace("\"created_ts\":1", "\"created_ts\":1,\"pad\":\"" + "p".repeat(70_000) + "\""))),
						"messages[0] is larger than 65536 bytes" }, };
		for (String[] c : cases) {
			JsonNode body = expect(400, relay.post("/v1/messages", c[0]));
			assertFalse(body.get("ok").booleanValue());
			assertEquals(c[1], body.get("detail").textValue());
		}
		assertEquals(0, pull(HINT, 0, 200).get("messages").size(), "nothing of the rejected requests was stored");
	}

	@Test
	void limitsThatAreExactlyAllowedPass() {
		String text4096 = envelope(id(1), 0).replace("\"created_ts\":0", "\"created_ts\":0,\"text\":\"" + "x".repeat(4096) + "\"");
		List<String> elements = new ArrayList<>(List.of(text4096, envelope("a".repeat(64), 1), envelope("b".repeat(8), 1)));
		for (int i = 10; i < 57; i++) {
			elements.add(envelope(id(i), 1));
		}
		assertEquals(50, expect(200, relay.post("/v1/messages", batch(HINT, elements))).get("stored").intValue());
	}

	@Test
	void aBadElementIsReportedWhileEveryValidElementOfTheBatchIsStored() {
		String body = batch(HINT, List.of(envelope(id(1), 1), envelope("short", 1), envelope(id(2), 1)));
		JsonNode r = expect(400, relay.post("/v1/messages", body));
		assertEquals("messages[1].msg_id must be a string of 8-64 characters", r.get("detail").textValue());
		assertEquals(2, r.get("stored").intValue());
		Set<String> ids = new HashSet<>();
		pull(HINT, 0, 200).get("messages").forEach(m -> ids.add(m.get("msg_id").textValue()));
		assertEquals(Set.of(id(1), id(2)), ids);
	}

	@Test
	void pythonStyleFollowerGetsAThousandMessagesStoredInOneSecondExactlyOnce() {
		List<String> posted = postMany(HINT, 0, 1000);
		long[] cursor = { 0 };
		List<String> got = pythonFollower(cursor);
		assertEquals(posted, got, "every message once, in storage order");
		// Messages stored later in the same second are not skipped by since = server_time.
		List<String> more = postMany(HINT, 1000, 120);
		assertEquals(more, pythonFollower(cursor));
		assertEquals(List.of(), pythonFollower(cursor));
	}

	@Test
	void aFollowerPollingWhileManyClientsPostGetsEveryMessageExactlyOnce() throws Exception {
		int posters = 8;
		int postsEach = 12;
		java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(posters);
		try {
			List<java.util.concurrent.Future<List<String>>> futures = new ArrayList<>();
			for (int t = 0; t < posters; t++) {
				int first = t * 1000;
				futures.add(pool.submit(() -> {
					List<String> ids = new ArrayList<>();
					for (int p = 0; p < postsEach; p++) {
						ids.addAll(postMany(HINT, first + p * 5, 5));
					}
					return ids;
				}));
			}
			List<String> received = new ArrayList<>();
			long cursor = 0;
			boolean postersDone = false;
			while (true) {
				// Small pages so that the follower races the posters across many page boundaries.
				JsonNode page = pull(HINT, cursor, 7);
				page.get("messages").forEach(m -> received.add(m.get("msg_id").textValue()));
				cursor = Math.max(cursor, page.get("server_time").longValue());
				if (page.get("messages").isEmpty()) {
					if (postersDone) {
						break;
					}
					postersDone = futures.stream().allMatch(java.util.concurrent.Future::isDone);
				}
			}
			Set<String> posted = new HashSet<>();
			for (var f : futures) {
				posted.addAll(f.get());
			}
			assertEquals(posters * postsEach * 5, posted.size());
			assertEquals(posted.size(), received.size(), "no duplicates");
			assertEquals(posted, new HashSet<>(received), "no losses");
		} finally {
			pool.shutdownNow();
		}
	}

	@Test
	void webStyleFollowerGetsEverythingWithoutLoopingForever() {
		List<String> posted = postMany(HINT, 0, 1000);
		long[] cursor = { 0 };
		assertEquals(new LinkedHashSet<>(posted), webFollower(cursor));
		List<String> more = postMany(HINT, 1000, 3);
		Set<String> next = webFollower(cursor);
		next.removeAll(posted);
		assertEquals(new LinkedHashSet<>(more), next, "new messages, plus at most re-sent old ones");
	}

	@Test
	void newcomerPagesThroughThirtyDaysOfHistory() {
		List<String> posted = new ArrayList<>();
		for (int day = 0; day < 3; day++) {
			posted.addAll(postMany(HINT, day * 1000, 250));
			relay.clock.advance(Duration.ofDays(1));
		}
		JsonNode first = pull(HINT, 0, 200);
		assertTrue(first.get("more").booleanValue());
		assertEquals(posted, pythonFollower(new long[] { 0 }));
	}

	@Test
	void aReferenceStyleSecondsCursorStillSelectsByStorageTime() {
		postMany(HINT, 0, 5);
		relay.clock.advance(Duration.ofSeconds(10));
		List<String> later = postMany(HINT, 100, 5);
		JsonNode page = pull(HINT, RelayHarness.START + 5, 200);
		List<String> got = new ArrayList<>();
		page.get("messages").forEach(m -> got.add(m.get("msg_id").textValue()));
		assertEquals(later, got);
		assertTrue(page.get("server_time").longValue() > 100_000_000_000L, "the answer carries a sequence cursor");
		assertEquals(0, pull(HINT, page.get("server_time").longValue(), 200).get("messages").size());
	}

	@Test
	void limitIsClampedAndGarbageFallsBackToTheDefault() {
		postMany(HINT, 0, 3);
		assertEquals(1, pull(HINT, 0, 0).get("messages").size());
		assertEquals(3, expect(200, relay.get("/v1/messages?circle_hint=" + HINT + "&limit=abc")).get("messages").size());
		assertEquals(3, expect(200, relay.get("/v1/messages?circle_hint=" + HINT + "&since=-5&limit=99999")).get("messages").size());
		assertEquals(3, expect(200, relay.get("/v1/messages?circle_hint=" + HINT + "&since=x")).get("messages").size());
		assertEquals("circle_hint must be a string of 8-128 characters",
				expect(400, relay.get("/v1/messages?since=0")).get("detail").textValue());
	}

	@Test
	void messagesExpireThirtyDaysAfterStorage() {
		postMany(HINT, 0, 2);
		relay.clock.advance(Duration.ofDays(30).minusSeconds(1));
		assertEquals(2, pull(HINT, 0, 200).get("messages").size());
		relay.clock.advance(Duration.ofSeconds(1));
		assertEquals(0, pull(HINT, 0, 200).get("messages").size());
	}
}
