package org.felund.relay.server;

import org.felund.testsupport.Vectors;

import static org.felund.relay.server.RelayHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.felund.relay.server.RelayHarness.Member;
import org.felund.relay.server.RelayHarness.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Request signing (§3.8, §7.3) end to end: the reference vectors, every failure code, and the binding of a
 * circle's signing key that closes the reference's trust-on-first-use hole (§10 #21).
 */
class SigningTest {
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

	private RelayHarness start(SignaturePolicy policy) throws Exception {
		relay = new RelayHarness(backend(), dir, b -> b.signatures(policy).basePath("/api"));
		return relay;
	}

	private static Map<String, String> headers(JsonNode vector) {
		Map<String, String> h = new LinkedHashMap<>();
		vector.get("headers").properties().forEach(e -> h.put(e.getKey(), e.getValue().textValue()));
		return h;
	}

	private Reply sendVector(JsonNode v, Map<String, String> headers) {
		String body = v.get("body_utf8").textValue();
		return relay.send(v.get("method").textValue().toUpperCase(Locale.ROOT), v.get("request_path_and_query").textValue(),
				body.isEmpty() ? null : body, headers);
	}

	private static Map<String, String> withSignature(Map<String, String> h, String signature) {
		Map<String, String> copy = new LinkedHashMap<>(h);
		copy.put("X-Felund-Signature", signature);
		return copy;
	}

	private static String flipLastHex(String hex) {
		char last = hex.charAt(hex.length() - 1);
		return hex.substring(0, hex.length() - 1) + (last == '0' ? '1' : '0');
	}

	@Test
	void referenceVectorsAreAcceptedInOrderAndTamperedCopiesRejected() throws Exception {
		start(SignaturePolicy.STRICT);
		List<JsonNode> cases = Vectors.cases("api_signing.json");
		assertEquals(6, cases.size());
		for (JsonNode v : cases) {
			// A tampered signature fails without consuming the nonce ...
			Reply bad = sendVector(v, withSignature(headers(v), flipLastHex(v.get("signature").textValue())));
			JsonNode badBody = expect(401, bad);
			assertEquals("INVALID_SIGNATURE", badBody.get("code").textValue(), v.get("desc").textValue());
			// ... so the genuine request still goes through.
			Reply ok = sendVector(v, headers(v));
			JsonNode body = expect(200, ok);
			assertTrue(body.get("ok").booleanValue(), v.get("desc").textValue());
			switch (v.get("desc").textValue()) {
			case "POST /register" -> assertEquals(RelayHarness.START + 120, body.get("expires_at").longValue());
			case "GET /peers" -> assertEquals(0, body.get("peers").size(), "the caller is not listed");
			case "DELETE /register" -> assertTrue(body.get("removed").booleanValue());
			case "POST /messages" -> assertEquals(1, body.get("stored").intValue());
			case "GET /messages" -> {
				assertEquals(1, body.get("messages").size());
				assertEquals("f3d7b18ee2cd9889f40add8b3bcfcb09",
						body.get("messages").get(0).get("msg_id").textValue());
			}
			default -> assertEquals(0, body.get("stored").intValue(), v.get("desc").textValue());
			}
			// The same request again is a replay.
			JsonNode replay = expect(409, sendVector(v, headers(v)));
			assertEquals("NONCE_REPLAY", replay.get("code").textValue());
			assertFalse(replay.get("ok").booleanValue());
		}
	}

	@Test
	void timestampsOutsideThreeHundredSecondsAreExpired() throws Exception {
		start(SignaturePolicy.STRICT);
		Member m = relay.member(RelayHarness.secret(1), "0123456789abcdef01234567");
		expect(200, m.register());
		long now = relay.clock.seconds();
		for (long ts : new long[] { now - 301, now + 301 }) {
			Reply r = relay.send("GET", "/v1/peers?circle_hint=" + m.hint(), null,
					m.signAt("GET", "/peers", null, ts, relay.freshNonce()));
			JsonNode body = expect(400, r);
			assertEquals("EXPIRED_TIMESTAMP", body.get("code").textValue());
		}
		for (long ts : new long[] { now - 300, now + 300 }) {
			expect(200, relay.send("GET", "/v1/peers?circle_hint=" + m.hint(), null,
					m.signAt("GET", "/peers", null, ts, relay.freshNonce())));
		}
		Map<String, String> garbage = new HashMap<>(m.sign("GET", "/peers", null));
		garbage.put("X-Felund-Ts", "soon");
		assertEquals("EXPIRED_TIMESTAMP",
				expect(400, relay.send("GET", "/v1/peers?circle_hint=" + m.hint(), null, garbage)).get("code").textValue());
	}

	@Test
	void missingHeaderWrongPathWrongBodyAndWrongKeyAreInvalidSignatures() throws Exception {
		start(SignaturePolicy.COMPAT);
		Member m = relay.member(RelayHarness.secret(1), "0123456789abcdef01234567");
		expect(200, m.register());
		String query = "/v1/messages?circle_hint=" + m.hint();
		for (String header : new String[] { "X-Felund-Ts", "X-Felund-Nonce", "X-Felund-Signature" }) {
			Map<String, String> h = new HashMap<>(m.sign("GET", "/messages", null));
			h.remove(header);
			JsonNode body = expect(401, relay.send("GET", query, null, h));
			assertEquals("INVALID_SIGNATURE", body.get("code").textValue(), header);
		}
		expect(401, relay.send("GET", query, null, m.sign("GET", "/peers", null)));
		String post = "{\"circle_hint\":\"" + m.hint() + "\",\"messages\":[]}";
		expect(401, relay.send("POST", "/v1/messages", post, m.sign("POST", "/messages", post.replace("[]", "[ ]"))));
		Member stranger = relay.member(RelayHarness.secret(2), m.nodeId);
		expect(401, relay.send("GET", query, null, stranger.sign("GET", "/messages", null)));
		// Upper-case hex is the same signature (the reference lower-cases the header).
		Map<String, String> upper = new HashMap<>(m.sign("GET", "/messages", null));
		upper.put("X-Felund-Signature", upper.get("X-Felund-Signature").toUpperCase(Locale.ROOT));
		expect(200, relay.send("GET", query, null, upper));
	}

	@Test
	void signedRequestForACircleWithoutKeyIsRejected() throws Exception {
		start(SignaturePolicy.COMPAT);
		Member m = relay.member(RelayHarness.secret(1), "0123456789abcdef01234567");
		JsonNode body = expect(401, m.signed("GET", "/v1/messages?circle_hint=" + m.hint(), null));
		assertEquals("INVALID_SIGNATURE", body.get("code").textValue());
		assertTrue(body.get("detail").textValue().contains("register"), body.toString());
	}

	@Test
	void signedPathIgnoresBasePathTrailingSlashAndQuery() throws Exception {
		start(SignaturePolicy.STRICT);
		Member m = relay.member(RelayHarness.secret(1), "0123456789abcdef01234567");
		expect(200, m.register());
		String post = "{\"circle_hint\":\"" + m.hint() + "\",\"messages\":[]}";
		expect(200, relay.send("POST", "/api/v1/messages/", post, m.sign("POST", "/messages", post)));
		expect(200, relay.send("GET", "/api/v1/peers/?circle_hint=" + m.hint() + "&limit=5", null,
				m.sign("GET", "/peers", null)));
	}

	@Test
	void strictPolicyRejectsUnsignedRequestsCompatServesTheWebClientsUnsignedMessages() throws Exception {
		try (RelayHarness strict = new RelayHarness(backend(), dir.resolve("strict"), b -> b.signatures(SignaturePolicy.STRICT))) {
			Member a = strict.member(RelayHarness.secret(1), "0123456789abcdef01234567");
			String unsignedRegister = a.registerBody(false);
			expect(401, strict.post("/v1/register", unsignedRegister));
			expect(401, strict.get("/v1/peers?circle_hint=" + a.hint()));
			expect(200, a.register());
			String post = "{\"circle_hint\":\"" + a.hint() + "\",\"messages\":[]}";
			assertEquals("INVALID_SIGNATURE", expect(401, strict.post("/v1/messages", post)).get("code").textValue());
			expect(401, strict.get("/v1/messages?circle_hint=" + a.hint()));
			expect(200, strict.send("POST", "/v1/messages", post, a.sign("POST", "/messages", post)));
		}
		try (RelayHarness compat = new RelayHarness(backend(), dir.resolve("compat"), b -> b)) {
			Member a = compat.member(RelayHarness.secret(1), "0123456789abcdef01234567");
			// Unlike relay_ws, presence is signed in compat too (both reference clients sign it), key bound or not.
			expect(401, compat.post("/v1/register", a.registerBody(false)));
			expect(401, compat.get("/v1/peers?circle_hint=" + a.hint()));
			expect(200, a.register());
			String post = "{\"circle_hint\":\"" + a.hint() + "\",\"messages\":[]}";
			// The web client's unsigned message requests are served.
			expect(200, compat.post("/v1/messages", post));
			expect(200, compat.get("/v1/messages?circle_hint=" + a.hint()));
			expect(401, compat.get("/v1/peers?circle_hint=" + a.hint()));
			expect(401, compat.post("/v1/register", a.registerBody(false)));
			expect(401, compat.send("DELETE", "/v1/register",
					"{\"node_id\":\"" + a.nodeId + "\",\"circle_hint\":\"" + a.hint() + "\"}", Map.of()));
		}
	}

	@Test
	void nobodyWithoutTheBoundKeyCanReplaceOrWipeIt() throws Exception {
		start(SignaturePolicy.COMPAT);
		Member owner = relay.member(RelayHarness.secret(1), "0123456789abcdef01234567");
		expect(200, owner.register());
		// An attacker knows the hint and the node id and has a key of its own (a different secret).
		Member attacker = relay.member(RelayHarness.secret(9), owner.nodeId);
		String hijack = owner.registerBody(false).replace("\"ttl_s\":120",
				"\"ttl_s\":120,\"signing_key\":\"" + attacker.key() + "\"");
		JsonNode denied = expect(401, relay.send("POST", "/v1/register", hijack, attacker.sign("POST", "/register", hijack)));
		assertEquals("INVALID_SIGNATURE", denied.get("code").textValue());
		// Registering a new node id into the circle with its own key fails the same way.
		String newcomer = hijack.replace(owner.nodeId, "feedfacefeedfacefeedface");
		expect(401, relay.send("POST", "/v1/register", newcomer, attacker.sign("POST", "/register", newcomer)));
		// A register without signing_key (the reference's way to wipe the key) is refused ...
		expect(401, relay.post("/v1/register", owner.registerBody(false)));
		// ... and when the owner itself omits signing_key, the key stays.
		String keyless = owner.registerBody(false);
		expect(200, relay.send("POST", "/v1/register", keyless, owner.sign("POST", "/register", keyless)));
		expect(200, owner.signed("GET", "/v1/peers?circle_hint=" + owner.hint(), null));
		// The attacker cannot unregister the owner either.
		String delete = "{\"node_id\":\"" + owner.nodeId + "\",\"circle_hint\":\"" + owner.hint() + "\"}";
		expect(401, relay.send("DELETE", "/v1/register", delete, attacker.sign("DELETE", "/register", delete)));
		JsonNode removed = expect(200, owner.signed("DELETE", "/v1/register", delete));
		assertTrue(removed.get("removed").booleanValue());
		assertFalse(expect(200, owner.signed("DELETE", "/v1/register", delete)).get("removed").booleanValue());
	}

	@Test
	void otherMembersOfTheCircleShareTheKeyAndRegisterWithIt() throws Exception {
		start(SignaturePolicy.STRICT);
		Member a = relay.member(RelayHarness.secret(1), "0123456789abcdef01234567");
		Member web = relay.member(RelayHarness.secret(1), "00112233445566778899aabbccddeeff");
		expect(200, a.register());
		expect(200, web.register());
		JsonNode peers = expect(200, a.signed("GET", "/v1/peers?circle_hint=" + a.hint(), null));
		assertEquals(1, peers.get("peers").size());
		assertEquals(web.nodeId, peers.get("peers").get(0).get("node_id").textValue());
	}

	@Test
	void keyBindingOutlivesPresenceAndEndsAfterTheRetentionWithoutUse() throws Exception {
		relay = new RelayHarness(backend(), dir, b -> b.keyRetention(Duration.ofDays(2)));
		Member owner = relay.member(RelayHarness.secret(1), "0123456789abcdef01234567");
		expect(200, owner.register());
		relay.clock.advance(Duration.ofSeconds(601));
		JsonNode peersOfOther = expect(200,
				relay.member(RelayHarness.secret(1), "99999999999999999999").signed("GET", "/v1/peers?circle_hint=" + owner.hint(), null));
		assertEquals(0, peersOfOther.get("peers").size(), "presence expired");
		Member attacker = relay.member(RelayHarness.secret(9), owner.nodeId);
		String hijack = owner.registerBody(false).replace("\"ttl_s\":120",
				"\"ttl_s\":120,\"signing_key\":\"" + attacker.key() + "\"");
		expect(401, relay.send("POST", "/v1/register", hijack, attacker.sign("POST", "/register", hijack)));
		// Verified use renews the binding; after a full retention period without use it lapses.
		relay.clock.advance(Duration.ofDays(1));
		expect(200, owner.signed("GET", "/v1/peers?circle_hint=" + owner.hint(), null));
		relay.clock.advance(Duration.ofDays(1).plusHours(12));
		expect(200, owner.signed("GET", "/v1/peers?circle_hint=" + owner.hint(), null));
		relay.clock.advance(Duration.ofDays(2).plusSeconds(1));
		expect(200, relay.send("POST", "/v1/register", hijack, attacker.sign("POST", "/register", hijack)));
	}

	/**
	 * Issue 14 #2, performed: a former member still knows the circle's key and registers with another
	 * {@code signing_key}, signed with the bound one. The reference's rotation would lock the members out for the
	 * key retention (30 days); here it is refused and nothing changes.
	 */
	@Test
	void aRegisterOfferingAnotherKeyIsRefusedEvenWhenSignedWithTheBoundKey() throws Exception {
		start(SignaturePolicy.STRICT);
		Member member = relay.member(RelayHarness.secret(1), "0123456789abcdef01234567");
		Member formerMember = relay.member(RelayHarness.secret(1), "badbadbadbadbadbadbadbad");
		Member rotated = relay.member(RelayHarness.secret(5), formerMember.nodeId);
		expect(200, member.register());
		String rotate = formerMember.registerBody(false).replace("\"ttl_s\":120",
				"\"ttl_s\":120,\"signing_key\":\"" + rotated.key() + "\"");
		expect(401, relay.send("POST", "/v1/register", rotate, rotated.sign("POST", "/register", rotate)));
		JsonNode refused = expect(409, relay.send("POST", "/v1/register", rotate, formerMember.sign("POST", "/register", rotate)));
		assertEquals("KEY_MISMATCH", refused.get("code").textValue());
		assertTrue(refused.get("detail").textValue().contains("admin rebind-key"), refused.toString());
		String query = "/v1/peers?circle_hint=" + member.hint();
		JsonNode peers = expect(200, relay.send("GET", query, null, member.sign("GET", "/peers", null)));
		assertEquals(0, peers.get("peers").size(), "the refused register stored no presence either");
		expect(401, relay.send("GET", query, null, rotated.sign("GET", "/peers", null)));
		expect(200, member.register());
		// After the restart too.
		relay.restart();
		expect(200, relay.send("GET", query, null, member.sign("GET", "/peers", null)));
	}

	@Test
	void nonceOfASuccessfulRequestCannotBeReusedOnAnotherRoute() throws Exception {
		start(SignaturePolicy.STRICT);
		Member m = relay.member(RelayHarness.secret(1), "0123456789abcdef01234567");
		expect(200, m.register());
		String nonce = relay.freshNonce();
		long ts = relay.clock.seconds();
		expect(200, relay.send("GET", "/v1/peers?circle_hint=" + m.hint(), null, m.signAt("GET", "/peers", null, ts, nonce)));
		JsonNode body = expect(409, relay.send("GET", "/v1/messages?circle_hint=" + m.hint(), null,
				m.signAt("GET", "/messages", null, ts, nonce)));
		assertEquals("NONCE_REPLAY", body.get("code").textValue());
		// Nonces survive a restart: a replay right after it is still caught.
		relay.restart();
		expect(409, relay.send("GET", "/v1/messages?circle_hint=" + m.hint(), null,
				m.signAt("GET", "/messages", null, ts, nonce)));
	}
}
