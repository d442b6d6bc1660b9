package org.felund.relay.server;

import static org.felund.relay.server.RelayHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.felund.relay.server.RelayHarness.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

class HttpBasicsTest {
	/** The storage the relays of this test use (the PostgreSQL variant overrides it). */
	RelayHarness.Backend backend() {
		return RelayHarness.Backend.SQLITE;
	}

	@TempDir
	Path dir;
	RelayHarness relay;

	@BeforeEach
	void start() throws Exception {
		relay = new RelayHarness(backend(), dir, b -> b.basePath("/api"));
	}

	@AfterEach
	void stop() {
		relay.close();
	}

	static void assertCors(Reply r) {
		assertEquals("*", r.header("Access-Control-Allow-Origin"), "CORS origin on " + r.status());
		assertEquals("GET, POST, DELETE, OPTIONS", r.header("Access-Control-Allow-Methods"));
		assertEquals("Content-Type, X-Felund-Node, X-Felund-Ts, X-Felund-Nonce, X-Felund-Signature",
				r.header("Access-Control-Allow-Headers"));
	}

	@Test
	void healthReportsApiVersionAndServerTime() {
		Reply r = relay.get("/v1/health");
		JsonNode body = expect(200, r);
		assertTrue(body.get("ok").booleanValue());
		assertEquals("0.4.0", body.get("version").textValue());
		assertEquals(RelayHarness.START, body.get("time").longValue());
		assertTrue(body.get("time").isIntegralNumber());
		assertCors(r);
	}

	@Test
	void optionsOnAnyPathIsAnEmptyPreflightAnswerWithCors() {
		for (String path : new String[] { "/v1/messages", "/v1/register", "/nowhere" }) {
			Reply r = relay.send("OPTIONS", path, null, Map.of("Origin", "https://example.org"));
			assertEquals(204, r.status());
			assertEquals("", r.body());
			assertCors(r);
		}
	}

	@Test
	void unknownPathIsJson404WithCors() {
		Reply r = relay.get("/v1/nothing");
		JsonNode body = expect(404, r);
		assertFalse(body.get("ok").booleanValue());
		assertEquals("Not found: GET /v1/nothing", body.get("detail").textValue());
		assertCors(r);
		expect(404, relay.get("/elsewhere/v1/health"));
	}

	@Test
	void wrongMethodIs405NamingTheAllowedOnes() {
		Reply r = relay.send("PUT", "/v1/messages", "{}", Map.of());
		JsonNode body = expect(405, r);
		assertEquals("Method not allowed: PUT /v1/messages", body.get("detail").textValue());
		assertEquals("POST, GET, OPTIONS", r.header("Allow"));
		assertCors(r);
	}

	@Test
	void basePathAndTrailingSlashReachTheSameRoutes() {
		expect(200, relay.get("/api/v1/health"));
		expect(200, relay.get("/api/v1/health/"));
		expect(200, relay.get("/v1/health/"));
	}

	@Test
	void bodiesThatAreNotJsonObjectsAreRejectedWith400() {
		for (String bad : new String[] { "", "nope", "[1,2]", "\"text\"", "{\"a\":1} trailing",
				"{\"node_id\":\"a\",\"node_id\":\"b\"}" }) {
			Reply r = relay.post("/v1/register", bad);
			JsonNode body = expect(400, r);
			assertFalse(body.get("ok").booleanValue());
			assertTrue(body.get("detail").textValue().startsWith("request body"), body.toString());
			assertCors(r);
		}
	}

	@Test
	void pipelinedRequestsAreAnsweredInOrderAndConnectionCloseIsHonoured() throws Exception {
		try (java.net.Socket socket = new java.net.Socket("127.0.0.1", relay.server().port())) {
			socket.setSoTimeout(5000);
			String post = "{\"circle_hint\":\"e03c84dccc271635\",\"messages\":[]}";
			String requests = "POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
					+ post.length() + "\r\n\r\n" + post
					+ "GET /v1/nothing HTTP/1.1\r\nHost: x\r\n\r\n"
					+ "GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
					+ "GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n";
			socket.getOutputStream().write(requests.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
			socket.getOutputStream().flush();
			String all = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
			java.util.List<String> statuses = new java.util.ArrayList<>();
			java.util.regex.Matcher m = java.util.regex.Pattern.compile("HTTP/1.1 (\\d{3})").matcher(all);
			while (m.find()) {
				statuses.add(m.group(1));
			}
			assertEquals(java.util.List.of("200", "404", "200"), statuses, all);
			assertTrue(all.indexOf("\"stored\":0") < all.indexOf("Not found"), all);
		}
	}

	@Test
	void malformedAndOversizedRequestHeadsGetTheirStatusAndTheConnectionCloses() throws Exception {
		String[][] cases = { { "GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n", "431" },
				{ "GET /v1/health?" + "q".repeat(9_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", "414" },
				{ "GET /v1/health HTTP/1.1\r\nHost: x\r\nContent-Length: nine\r\n\r\n", "400" } };
		for (String[] c : cases) {
			try (java.net.Socket socket = new java.net.Socket("127.0.0.1", relay.server().port())) {
				socket.setSoTimeout(5000);
				socket.getOutputStream().write(c[0].getBytes(java.nio.charset.StandardCharsets.US_ASCII));
				String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
				assertTrue(answer.startsWith("HTTP/1.1 " + c[1]), answer);
				assertTrue(answer.contains("\"ok\":false"), answer);
				assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("access-control-allow-origin: *"), answer);
				assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("connection: close"), answer);
			}
		}
	}

	@Test
	void oversizedBodyGets413WithCors() {
		String huge = "{\"circle_hint\":\"e03c84dccc271635\",\"pad\":\"" + "x".repeat(1024 * 1024) + "\"}";
		Reply r = relay.post("/v1/messages", huge);
		JsonNode body = expect(413, r);
		assertEquals("request body is larger than 1048576 bytes", body.get("detail").textValue());
		assertCors(r);
	}
}
