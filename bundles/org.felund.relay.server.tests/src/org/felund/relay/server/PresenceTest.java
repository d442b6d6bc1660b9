package org.felund.relay.server;

import static org.felund.relay.server.RelayHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.felund.relay.server.RelayHarness.Member;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Presence (§7.4): register, unregister and peers with the reference shapes, limits and TTL clamps. Presence
 * requests are signed in both policies (both reference clients sign them), so these tests sign with one circle
 * key bound to {@link #HINT}.
 */
class PresenceTest {
	/** The storage the relays of this test use (the PostgreSQL variant overrides it). */
	RelayHarness.Backend backend() {
		return RelayHarness.Backend.SQLITE;
	}

	static final String HINT = "e03c84dccc271635";

	@TempDir
	Path dir;
	RelayHarness relay;

	/** Signs for the circle {@link #HINT}: its key is bound by the first registration. */
	Member circle;

	@BeforeEach
	void start() throws Exception {
		relay = new RelayHarness(backend(), dir);
		circle = relay.member(RelayHarness.secret(5), "node-observer-0");
	}

	@AfterEach
	void stop() {
		relay.close();
	}

	static String register(String nodeId, String extra) {
		return "{\"node_id\":\"" + nodeId + "\",\"circle_hint\":\"" + HINT + "\"" + extra + "}";
	}

	/** A signed register of {@code nodeId} in {@link #HINT} with the circle's key. */
	RelayHarness.Reply reg(RelayHarness relay, String nodeId, String extra, Map<String, String> more) {
		String body = register(nodeId, extra + ",\"signing_key\":\"" + circle.key() + "\"");
		Map<String, String> headers = new java.util.HashMap<>(circle.sign("POST", "/register", body));
		headers.putAll(more);
		return relay.send("POST", "/v1/register", body, headers);
	}

	RelayHarness.Reply reg(String nodeId, String extra) {
		return reg(relay, nodeId, extra, Map.of());
	}

	/** Signed peers of {@link #HINT}, asked by {@code caller} ({@code X-Felund-Node}). */
	JsonNode peers(String query, String caller) {
		Member asker = relay.member(RelayHarness.secret(5), caller);
		return expect(200, relay.send("GET", "/v1/peers?circle_hint=" + HINT + query, null,
				asker.sign("GET", "/peers", null))).get("peers");
	}

	JsonNode peers(String query) {
		return peers(query, "node-observer-0");
	}

	@Test
	void registerAnswersExpiryAndTheObservedHost() {
		JsonNode r = expect(200, reg("node-aaaa-1",
				",\"endpoints\":[{\"transport\":\"ws\",\"host\":\"chat.example\",\"port\":443}],\"ttl_s\":300"));
		assertTrue(r.get("ok").booleanValue());
		assertEquals(RelayHarness.START, r.get("server_time").longValue());
		assertEquals(RelayHarness.START + 300, r.get("expires_at").longValue());
		assertEquals("127.0.0.1", r.get("observed_host").get("host").textValue());
		assertEquals("ipv4", r.get("observed_host").get("family").textValue());
		JsonNode peer = peers("").get(0);
		assertEquals("node-aaaa-1", peer.get("node_id").textValue());
		assertEquals(HINT, peer.get("circle_hint").textValue());
		assertEquals(RelayHarness.START, peer.get("observed_at").longValue());
		assertEquals(RelayHarness.START + 300, peer.get("expires_at").longValue());
		JsonNode endpoint = peer.get("endpoints").get(0);
		assertEquals("ws", endpoint.get("transport").textValue());
		assertEquals("ipv4", endpoint.get("family").textValue(), "default family");
		assertEquals("unknown", endpoint.get("nat").textValue(), "default nat");
		assertEquals(false, peer.get("capabilities").get("relay").booleanValue(), "default capabilities");
	}

	@Test
	void forwardedHeadersAreBelievedFromALoopbackProxyOnly() throws Exception {
		JsonNode viaProxy = expect(200, reg(relay, "node-aaaa-1", "", Map.of("X-Forwarded-For", "2001:db8::7, 10.0.0.1")));
		assertEquals("2001:db8::7", viaProxy.get("observed_host").get("host").textValue());
		assertEquals("ipv6", viaProxy.get("observed_host").get("family").textValue());
		JsonNode realIp = expect(200, reg(relay, "node-aaaa-1", "", Map.of("X-Real-IP", "203.0.113.7")));
		assertEquals("203.0.113.7", realIp.get("observed_host").get("host").textValue());
		try (RelayHarness direct = new RelayHarness(backend(), dir.resolve("n"), b -> b.trustProxy(TrustProxy.NEVER))) {
			JsonNode r = expect(200, reg(direct, "node-aaaa-1", "", Map.of("X-Forwarded-For", "198.51.100.1")));
			assertEquals("127.0.0.1", r.get("observed_host").get("host").textValue());
		}
	}

	@Test
	void capabilitiesAreKeptVerbatimIncludingCanAnchor() {
		expect(200, reg("node-aaaa-1",
				",\"capabilities\":{\"relay\":false,\"transport\":[\"tcp\"],\"can_anchor\":true,\"x\":{\"y\":1}}"));
		JsonNode caps = peers("").get(0).get("capabilities");
		assertTrue(caps.get("can_anchor").booleanValue());
		assertEquals(1, caps.get("x").get("y").intValue());
	}

	@Test
	void ttlIsClampedToThirtyToSixHundredSeconds() {
		assertEquals(RelayHarness.START + 30,
				expect(200, reg("node-aaaa-1", ",\"ttl_s\":5")).get("expires_at").longValue());
		assertEquals(RelayHarness.START + 600,
				expect(200, reg("node-aaaa-1", ",\"ttl_s\":99999")).get("expires_at").longValue());
		assertEquals(RelayHarness.START + 45,
				expect(200, reg("node-aaaa-1", ",\"ttl_s\":45.9")).get("expires_at").longValue());
		assertEquals(RelayHarness.START + 120,
				expect(200, reg("node-aaaa-1", "")).get("expires_at").longValue());
		assertEquals("ttl_s must be a number of seconds",
				expect(400, reg("node-aaaa-1", ",\"ttl_s\":\"60\"")).get("detail").textValue());
	}

	@Test
	void peersListsUnexpiredNodesNewestFirstWithoutTheCaller() {
		expect(200, reg("node-aaaa-1", ",\"ttl_s\":30"));
		relay.clock.advance(Duration.ofSeconds(10));
		expect(200, reg("node-bbbb-2", ",\"ttl_s\":600"));
		relay.clock.advance(Duration.ofSeconds(10));
		expect(200, reg("node-cccc-3", ",\"ttl_s\":600"));
		JsonNode all = peers("");
		assertEquals(3, all.size());
		assertEquals("node-cccc-3", all.get(0).get("node_id").textValue());
		assertEquals("node-aaaa-1", all.get(2).get("node_id").textValue());
		JsonNode others = peers("", "node-cccc-3");
		assertEquals(2, others.size());
		assertEquals("node-bbbb-2", others.get(0).get("node_id").textValue());
		assertEquals(1, peers("&limit=1").size());
		assertEquals(1, peers("&limit=0").size(), "limit is clamped to at least 1");
		assertEquals(3, peers("&limit=x").size());
		relay.clock.advance(Duration.ofSeconds(10));
		assertEquals(2, peers("").size(), "node-aaaa-1 expired after 30 s");
	}

	@Test
	void unregisterReportsWhetherARowWasRemoved() {
		expect(200, reg("node-aaaa-1", ""));
		String body = "{\"node_id\":\"node-aaaa-1\",\"circle_hint\":\"" + HINT + "\"}";
		assertTrue(expect(200, relay.send("DELETE", "/v1/register", body, circle.sign("DELETE", "/register", body)))
				.get("removed").booleanValue());
		assertEquals(false, expect(200, relay.send("DELETE", "/v1/register", body, circle.sign("DELETE", "/register", body)))
				.get("removed").booleanValue());
		assertEquals(0, peers("").size());
		assertEquals("node_id must be a string of 8-128 characters",
				expect(400, relay.send("DELETE", "/v1/register", "{\"circle_hint\":\"" + HINT + "\"}", Map.of()))
						.get("detail").textValue());
	}

	@Test
	void invalidRegistrationsNameTheProblem() {
		String[][] cases = {
				{ "{\"circle_hint\":\"" + HINT + "\"}", "node_id must be a string of 8-128 characters" },
				{ register("short", ""), "node_id must be a string of 8-128 characters" },
				{ register("n".repeat(129), ""), "node_id must be a string of 8-128 characters" },
				{ "{\"node_id\":\"node-aaaa-1\",\"circle_hint\":7}", "circle_hint must be a string of 8-128 characters" },
				{ register("node-aaaa-1", ",\"endpoints\":{}"), "endpoints must be an array of at most 16 objects" },
				{ register("node-aaaa-1", ",\"endpoints\":[" + String.join(",",
						java.util.Collections.nCopies(17, "{\"transport\":\"tcp\",\"host\":\"h\",\"port\":1}")) + "]"),
						"endpoints must be an array of at most 16 objects" },
				{ register("node-aaaa-1", ",\"endpoints\":[1]"), "endpoints[0] must be an object" },
				{ register("node-aaaa-1", ",\"endpoints\":[{\"transport\":\"udp\",\"host\":\"h\",\"port\":1}]"),
						"endpoints[0].transport must be \"tcp\" or \"ws\"" },
				{ register("node-aaaa-1", ",\"endpoints\":[{\"transport\":\"tcp\",\"host\":\"\",\"port\":1}]"),
						"endpoints[0].host must be a non-empty string of at most 255 characters" },
				{ register("node-aaaa-1", ",\"endpoints\":[{\"transport\":\"tcp\",\"host\":\"" + "h".repeat(256) + "\",\"port\":1}]"),
						"endpoints[0].host must be a non-empty string of at most 255 characters" },
				{ register("node-aaaa-1", ",\"endpoints\":[{\"transport\":\"tcp\",\"host\":\"h\",\"port\":0}]"),
						"endpoints[0].port must be an integer from 1 to 65535" },
				{ register("node-aaaa-1", ",\"endpoints\":[{\"transport\":\"tcp\",\"host\":\"h\",\"port\":65536}]"),
						"endpoints[0].port must be an integer from 1 to 65535" },
				{ register("node-aaaa-1", ",\"endpoints\":[{\"transport\":\"tcp\",\"host\":\"h\",\"port\":\"80\"}]"),
						"endpoints[0].port must be an integer from 1 to 65535" },
				{ register("node-aaaa-1", ",\"endpoints\":[{\"transport\":\"tcp\",\"host\":\"h\",\"port\":1,\"family\":\"ipx\"}]"),
						"endpoints[0].family must be \"ipv4\" or \"ipv6\"" },
				{ register("node-aaaa-1", ",\"endpoints\":[{\"transport\":\"tcp\",\"host\":\"h\",\"port\":1,\"nat\":\"cone\"}]"),
						"endpoints[0].nat must be one of \"unknown\", \"open\", \"restricted\", \"symmetric\"" },
				{ register("node-aaaa-1", ",\"capabilities\":[]"), "capabilities must be an object" },
				{ register("node-aaaa-1", ",\"capabilities\":{\"x\":\"" + "c".repeat(5000) + "\"}"),
						"capabilities must be at most 4096 bytes" },
				{ register("node-aaaa-1", ",\"signing_key\":\"abc\""), "signing_key must be 64 hex characters" },
				{ register("node-aaaa-1", ",\"signing_key\":\"" + "g".repeat(64) + "\""), "signing_key must be 64 hex characters" }, };
		for (String[] c : cases) {
			JsonNode body = expect(400, relay.post("/v1/register", c[0]));
			assertEquals(c[1], body.get("detail").textValue(), c[0]);
		}
		expect(200, reg("node-aaaa-1", ""));
		assertEquals(0, peers("&x=1", "node-aaaa-1").size(), "nothing but the valid registration was stored");
		expect(400, relay.get("/v1/peers?circle_hint=short"));
	}

	@Test
	void presenceIsSignedInBothPoliciesEvenBeforeAKeyIsBound() throws Exception {
		for (SignaturePolicy policy : SignaturePolicy.values()) {
			try (RelayHarness r = new RelayHarness(backend(), dir.resolve(policy.name()), b -> b.signatures(policy))) {
				// The reference relay_ws.py answered these unsigned; outsiders learned members' addresses that way.
				assertEquals("INVALID_SIGNATURE", expect(401, r.post("/v1/register", register("node-aaaa-1", "")))
						.get("code").textValue(), policy.name());
				expect(401, r.get("/v1/peers?circle_hint=" + HINT));
				expect(401, r.send("DELETE", "/v1/register", "{\"node_id\":\"node-aaaa-1\",\"circle_hint\":\"" + HINT + "\"}",
						Map.of()));
				expect(200, reg(r, "node-aaaa-1", "", Map.of()));
			}
		}
	}

	@Test
	void signingKeyInAnyCaseBindsTheLowerCaseKey() {
		Member m = relay.member(RelayHarness.secret(3), "node-aaaa-1");
		String body = m.registerBody(false).replace("\"ttl_s\":120",
				"\"ttl_s\":120,\"signing_key\":\"" + m.key().toUpperCase(java.util.Locale.ROOT) + "\"");
		expect(200, relay.send("POST", "/v1/register", body, m.sign("POST", "/register", body)));
		expect(200, m.signed("GET", "/v1/peers?circle_hint=" + m.hint(), null));
	}
}
