package org.felund.protocol.invite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.felund.api.model.Invite;
import org.felund.api.model.ProtocolException;
import org.felund.testsupport.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

class InviteCodesTest {
	private static final String SEQ = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

	/**
	 * Our decision for every case, by description. Where Python and the web disagree (web_client_crosscheck ok=false)
	 * the comment says which side we follow and why.
	 */
	private static final Map<String, String> EXPECTED_ERROR = new HashMap<>();
	static {
		EXPECTED_ERROR.put("NEGATIVE: wrong prefix", "starts with 'felund1.'");
		EXPECTED_ERROR.put("NEGATIVE: version 2", "Unsupported invite version 2");
		EXPECTED_ERROR.put("NEGATIVE: missing secret", "no secret");
		// Web accepts a non-hex secret and fails later; Python rejects it: so do we, with the position.
		EXPECTED_ERROR.put("NEGATIVE: non-hex secret", "non-hex character at position 1");
		// Web accepts peers without a usable port; nothing could dial them: we reject like Python.
		EXPECTED_ERROR.put("NEGATIVE: peer without port", "has no port");
		EXPECTED_ERROR.put("NEGATIVE: peer with non-numeric port", "no numeric port");
		// Python accepts any even-length hex; a felund circle key is 32 bytes in every client: we reject.
		EXPECTED_ERROR.put("short secret (any even-length hex accepted)", "64 hex characters, got 4");
	}

	static Stream<Arguments> inviteCases() {
		return Vectors.cases("invite_codes.json").stream().map(c -> Arguments.of(c.get("desc").asText(), c));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("inviteCases")
	void decodesEveryReferenceCaseAsDocumented(String desc, JsonNode c) {
		String code = c.get("code").asText();
		String expectedError = EXPECTED_ERROR.get(desc);
		if (expectedError != null) {
			var e = assertThrows(ProtocolException.class, () -> InviteCodes.decode(code));
			assertTrue(e.getMessage().contains(expectedError), desc + ": " + e.getMessage());
			return;
		}
		assertTrue(c.get("python_decode_ok").asBoolean(), desc + " must be a case Python accepts");
		Invite invite = InviteCodes.decode(code);
		assertEquals(c.get("python_decoded").get(0).asText(), invite.secretHex());
		assertEquals(c.get("python_decoded").get(1).asText(), invite.peer());
		if (c.has("is_relay_url")) {
			assertEquals(c.get("is_relay_url").asBoolean(), invite.peerIsRelayUrl());
			assertEquals(c.get("is_relay_url").asBoolean(), InviteCodes.isRelayUrl(invite.peer()));
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("inviteCases")
	void encodesByteIdenticallyToTheReference(String desc, JsonNode c) {
		if (!c.has("payload_json")) {
			return; // decode-only case
		}
		String peer = c.get("peer").asText();
		String expectedCode = c.get("code").asText();
		String expectedPayload = c.get("payload_json").asText();
		assertEquals(expectedPayload, new String(Base64.getUrlDecoder().decode(
				expectedCode.substring(InviteCodes.PREFIX.length())), StandardCharsets.UTF_8));
		if (peer.isEmpty()) {
			// Both clients cannot read an empty peer (the web rejects it): we never emit one.
			var e = assertThrows(IllegalArgumentException.class, () -> InviteCodes.encode(c.get("secret_hex").asText(), peer));
			assertTrue(e.getMessage().contains("needs a peer"), e.getMessage());
		} else {
			assertEquals(expectedCode, InviteCodes.encode(c.get("secret_hex").asText(), peer));
		}
	}

	@Test
	void everyWebCrosscheckInviteCaseHasADocumentedOutcome() {
		JsonNode results = Vectors.file("web_client_crosscheck.json").get("results").get("invite_codes");
		int checked = 0;
		for (JsonNode r : results) {
			String desc = r.get("desc").asText();
			String caseDesc = desc.replaceFirst("^web (makeInviteCode equal|parseInviteCode agrees with python): ", "");
			JsonNode c = Vectors.cases("invite_codes.json").stream()
					.filter(v -> v.get("desc").asText().equals(caseDesc)).findFirst().orElseThrow(() -> new AssertionError(desc));
			if (desc.startsWith("web makeInviteCode")) {
				// The web writes the same bytes as Python for these payloads, so our encoder matches both.
				assertEquals(c.get("code").asText(), r.get("detail").asText());
			} else if (!r.get("ok").asBoolean()) {
				String code = c.get("code").asText();
				switch (caseDesc) {
				case "empty peer" -> assertEquals("", InviteCodes.decode(code).peer()); // Python's form accepted
				case "surrounding whitespace is stripped" -> assertEquals(SEQ, InviteCodes.decode(code).secretHex());
				case "NEGATIVE: non-hex secret", "NEGATIVE: peer without port", "NEGATIVE: peer with non-numeric port" ->
					assertThrows(ProtocolException.class, () -> InviteCodes.decode(code)); // the web's leniency is not followed
				default -> throw new AssertionError("Undocumented divergence: " + desc);
				}
			}
			checked++;
		}
		assertEquals(results.size(), checked);
		assertTrue(checked >= 20);
	}

	@Test
	void webInviteWithoutRelayDecodesToNoPeer() {
		String code = InviteCodes.PREFIX + Base64.getUrlEncoder().withoutPadding()
				.encodeToString(("{\"v\":1,\"secret\":\"" + SEQ + "\",\"peer\":\"relay\"}").getBytes(StandardCharsets.UTF_8));
		Invite invite = InviteCodes.decode(code);
		assertEquals(SEQ, invite.secretHex());
		assertEquals("", invite.peer());
	}

	@Test
	void missingPeerIsAcceptedAndRelayUrlLosesTrailingSlash() {
		assertEquals("", InviteCodes.decode(code("{\"v\":1,\"secret\":\"" + SEQ + "\"}")).peer());
		assertEquals("https://relay.example.org",
				InviteCodes.decode(code("{\"v\":1,\"secret\":\"" + SEQ + "\",\"peer\":\"https://relay.example.org/\"}")).peer());
		assertEquals("::1:9999", InviteCodes.decode(code("{\"v\":1.0,\"secret\":\"" + SEQ + "\",\"peer\":\"::1:9999\"}")).peer());
	}

	@Test
	void precisErrorsForBrokenCodes() {
		assertMessage("", "empty");
		assertMessage("felund1.", "nothing after");
		assertMessage("felund1.ab$cd", "not base64 at position 11");
		assertMessage("felund1.a", "truncated");
		assertMessage("felund1." + Base64.getUrlEncoder().withoutPadding().encodeToString("hello".getBytes()), "not contain JSON");
		assertMessage(code("[1]"), "must be a JSON object");
		assertMessage(code("{\"secret\":\"" + SEQ + "\"}"), "no version");
		assertMessage(code("{\"v\":\"1\",\"secret\":\"" + SEQ + "\"}"), "Unsupported invite version");
		assertMessage(code("{\"v\":1,\"secret\":5}"), "must be a string");
		assertMessage(code("{\"v\":1,\"secret\":\"" + SEQ + "\",\"peer\":\"host:0\"}"), "outside 1..65535");
		assertMessage(code("{\"v\":1,\"secret\":\"" + SEQ + "\",\"peer\":\":99\"}"), "has no host");
		assertMessage(code("{\"v\":1,\"secret\":\"" + SEQ + "\",\"peer\":7}"), "peer must be a string");
	}

	@Test
	void standardAlphabetAndWrappedLinesAreAccepted() {
		String good = InviteCodes.encode(SEQ, "192.168.1.10:9999");
		String body = good.substring(InviteCodes.PREFIX.length());
		String wrapped = InviteCodes.PREFIX + body.substring(0, 20) + "\n  " + body.substring(20);
		assertEquals("192.168.1.10:9999", InviteCodes.decode(wrapped).peer());
		String standard = InviteCodes.PREFIX + body.replace('-', '+').replace('_', '/');
		assertEquals(SEQ, InviteCodes.decode(standard).secretHex());
	}

	@Test
	void encodingMatchesTheProtocolExampleAndRefusesUnusablePeers() {
		assertEquals("felund1.eyJ2IjoxLCJzZWNyZXQiOiIwMDAxMDIwMzA0MDUwNjA3MDgwOTBhMGIwYzBkMGUwZjEwMTExMjEzMTQxNTE2MTcxODE5MWExYjFjMWQxZTFmIiwicGVlciI6IjE5Mi4xNjguMS4xMDo5OTk5In0",
				InviteCodes.encode(SEQ, "192.168.1.10:9999"));
		assertThrows(IllegalArgumentException.class, () -> InviteCodes.encode(SEQ, "relay"));
		assertThrows(IllegalArgumentException.class, () -> InviteCodes.encode(SEQ, "localhost"));
		assertThrows(IllegalArgumentException.class, () -> InviteCodes.encode(SEQ, " "));
		assertThrows(IllegalArgumentException.class, () -> InviteCodes.encode("abcd", "localhost:1"));
		assertEquals("https://relay.example.org",
				InviteCodes.decode(InviteCodes.encode(SEQ, "https://relay.example.org/")).peer());
	}

	@Test
	void hostPortSplitsOnTheLastColon() {
		assertEquals(new InviteCodes.HostPort("::1", 9999), InviteCodes.parseHostPort("[::1]:9999"));
		assertEquals(new InviteCodes.HostPort("::1", 9999), InviteCodes.parseHostPort("::1:9999"));
		assertEquals("::1:9999", InviteCodes.parseHostPort("[::1]:9999").address());
		assertEquals("h:1", InviteCodes.parseHostPort("h:1").address());
	}

	private static String code(String json) {
		return InviteCodes.PREFIX
				+ Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
	}

	private static void assertMessage(String code, String fragment) {
		var e = assertThrows(ProtocolException.class, () -> InviteCodes.decode(code), code);
		assertTrue(e.getMessage().contains(fragment), e.getMessage());
	}
}
