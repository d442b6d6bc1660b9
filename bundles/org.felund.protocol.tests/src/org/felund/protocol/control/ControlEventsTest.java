package org.felund.protocol.control;

import org.felund.api.control.ControlEvent;
import org.felund.api.control.ChannelEvent;
import org.felund.api.control.CircleNameEvent;
import org.felund.api.control.AnchorAnnounce;
import org.felund.api.control.CallEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import java.util.stream.Stream;

import org.felund.api.model.AccessMode;
import org.felund.testsupport.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

class ControlEventsTest {
	private static final String CIRCLE = "630dcd2966c4336691125448";
	private static final String ALICE = "6bcb32dbbbb6b4e48a83ed0b";
	private static final long TS = 1767225600L;
	private static final String SESSION = "5e555e555e555e555e555e555e555e55";

	static Stream<Arguments> cases() {
		return Vectors.cases("control_events.json").stream().map(c -> Arguments.of(c.get("desc").asText(), c));
	}

	/** Cases where we knowingly accept more than Python: the web's CIRCLE_NAME_EVT without circle_id. */
	private static boolean weAcceptWhatPythonIgnores(JsonNode c) {
		return c.get("desc").asText().startsWith("web CIRCLE_NAME_EVT");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void parsesExactlyWhatTheReferenceParsers(String desc, JsonNode c) {
		Optional<ControlEvent> parsed = ControlEvents.parse(c.get("text").asText());
		boolean pythonAccepts = c.get("accepted_by").size() > 0;
		if (weAcceptWhatPythonIgnores(c)) {
			CircleNameEvent e = assertInstanceOf(CircleNameEvent.class, parsed.orElseThrow());
			assertEquals("Book Club", e.name());
			assertEquals(null, e.circleId());
			return;
		}
		assertEquals(pythonAccepts, parsed.isPresent(), desc);
		if (pythonAccepts) {
			String parser = c.get("accepted_by").get(0).asText();
			String expectedType = switch (parser) {
			case "parse_channel_event" -> ChannelEvent.TYPE;
			case "parse_circle_name_event" -> CircleNameEvent.TYPE;
			case "parse_anchor_announce_event" -> AnchorAnnounce.TYPE;
			case "parse_call_event" -> CallEvent.TYPE;
			default -> throw new AssertionError(parser);
			};
			assertEquals(expectedType, parsed.get().type());
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void writesTheReferenceTextByteForByte(String desc, JsonNode c) {
		if (c.get("message").isNull()) {
			return; // web-form and malformed texts are only parsed, never written by us
		}
		String text = c.get("text").asText();
		assertEquals(text, ControlEvents.toText(ControlEvents.parse(text).orElseThrow()));
		assertEquals(text, new String(HexFormat.of().parseHex(c.get("text_hex").asText()), StandardCharsets.UTF_8));
	}

	@Test
	void webFormCallCreateParsesToTheSameEventAsThePythonForm() {
		JsonNode web = Vectors.cases("control_events.json").stream()
				.filter(c -> c.get("desc").asText().startsWith("web CALL_EVT create")).findFirst().orElseThrow();
		ControlEvent fromWeb = ControlEvents.parse(web.get("text").asText()).orElseThrow();
		assertEquals(CallEvent.create(SESSION, ALICE, CIRCLE, "general", TS), fromWeb);
	}

	@Test
	void factoriesEmitTheInteractiveClientsFields() {
		assertEquals(text("CHANNEL_EVT join"),
				ControlEvents.toText(ChannelEvent.membership(ChannelEvent.Op.JOIN, CIRCLE, "random", "ad5ea04dac0fcd74dce5128d", ALICE, TS)));
		assertEquals(text("CHANNEL_EVT request"),
				ControlEvents.toText(ChannelEvent.membership(ChannelEvent.Op.REQUEST, CIRCLE, "vip", "cbf98fd76a33e3bafa5fc47a", ALICE, TS)));
		assertEquals(text("CHANNEL_EVT leave"),
				ControlEvents.toText(ChannelEvent.membership(ChannelEvent.Op.LEAVE, CIRCLE, "random", "ad5ea04dac0fcd74dce5128d", ALICE, TS)));
		assertEquals(text("CHANNEL_EVT approve"),
				ControlEvents.toText(ChannelEvent.approve(CIRCLE, "vip", "cbf98fd76a33e3bafa5fc47a", ALICE, TS)));
		assertEquals(text("CHANNEL_EVT rename"), ControlEvents.toText(ChannelEvent.rename(CIRCLE, ALICE, "Alice Ä.", ALICE, TS)));
		assertEquals(text("CIRCLE_NAME_EVT (reference)"), ControlEvents.toText(new CircleNameEvent(CIRCLE, "Book Club ✓")));
		assertEquals(text("ANCHOR_ANNOUNCE"), ControlEvents.toText(new AnchorAnnounce(ALICE, TS, true, false, false)));
		assertEquals(text("CALL_EVT create"), ControlEvents.toText(CallEvent.create(SESSION, ALICE, CIRCLE, "general", TS)));
		assertEquals(text("CALL_EVT join"),
				ControlEvents.toText(CallEvent.participation(CallEvent.Op.JOIN, SESSION, "ad5ea04dac0fcd74dce5128d", ALICE)));
		assertEquals(text("CALL_EVT view"),
				ControlEvents.toText(CallEvent.participation(CallEvent.Op.VIEW, SESSION, "cbf98fd76a33e3bafa5fc47a", ALICE)));
		assertEquals(text("CALL_EVT leave"),
				ControlEvents.toText(CallEvent.participation(CallEvent.Op.LEAVE, SESSION, "ad5ea04dac0fcd74dce5128d", ALICE)));
		assertEquals(text("CALL_EVT revoke"), ControlEvents.toText(CallEvent.revoke(SESSION, "cbf98fd76a33e3bafa5fc47a", ALICE)));
		assertEquals(text("CALL_EVT end"), ControlEvents.toText(CallEvent.end(SESSION, ALICE)));

		// The interactive client's create also carries created_by and key_hash; the vector's builder input had
		// only some of them, so compare the parsed fields.
		String keyHash = "081425fa688f00c21cade5ccde0136e884d5ee18430237e836d4eebafa3fe306";
		ChannelEvent create = ChannelEvent.create(CIRCLE, "secret-room", AccessMode.KEY, keyHash, ALICE, TS);
		assertEquals("{\"access_mode\":\"key\",\"actor_node_id\":\"" + ALICE + "\",\"channel_id\":\"secret-room\","
				+ "\"circle_id\":\"" + CIRCLE + "\",\"created_by\":\"" + ALICE + "\",\"created_ts\":" + TS
				+ ",\"key_hash\":\"" + keyHash + "\",\"op\":\"create\",\"t\":\"CHANNEL_EVT\"}", ControlEvents.toText(create));
		ChannelEvent reference = (ChannelEvent) ControlEvents.parse(text("CHANNEL_EVT create (key)")).orElseThrow();
		assertEquals(reference.keyHash(), create.keyHash());
		assertEquals(reference.owner(), create.owner());
	}

	@Test
	void channelKeyHashMatchesTheVector() {
		// The vector's key_hash is SHA-256("630dcd2966c4336691125448|secret-room|hunter2").
		ChannelEvent reference = (ChannelEvent) ControlEvents.parse(text("CHANNEL_EVT create (key)")).orElseThrow();
		assertEquals(reference.keyHash(), ChannelIds.keyHash(CIRCLE, "secret-room", "hunter2"));
	}

	@Test
	void nonEventsAreNotParsed() {
		for (String text : new String[] { "", "hello", "[1,2]", "{}", "{\"t\":5}", "{\"t\":\"NOPE\"}",
				"{\"t\":\"CIRCLE_NAME_EVT\",\"name\":\"  \"}", "{\"t\":\"ANCHOR_ANNOUNCE\",\"node_id\":\"\"}",
				"{\"t\":\"CALL_EVT\",\"op\":\"create\",\"session_id\":\"\"}" }) {
			assertFalse(ControlEvents.parse(text).isPresent(), text);
		}
	}

	@Test
	void channelIdRules() {
		assertTrue(ChannelIds.isPortable("games_2-x"));
		assertFalse(ChannelIds.isPortable("Games"));
		assertFalse(ChannelIds.isPortable("__control"));
		assertFalse(ChannelIds.isPortable("a".repeat(33)));
		assertFalse(ChannelIds.isPortable("café"));
		assertTrue(ChannelIds.isAcceptable("café"));
		assertTrue(ChannelIds.isAcceptable("日本語"));
		assertTrue(ChannelIds.isAcceptable("x²½"));
		assertTrue(ChannelIds.isAcceptable("é".repeat(32)));
		assertFalse(ChannelIds.isAcceptable("é".repeat(33)));
		assertFalse(ChannelIds.isAcceptable("a b"));
		assertFalse(ChannelIds.isAcceptable("a.b"));
		assertFalse(ChannelIds.isAcceptable("__x"));
		assertEquals("games", ChannelIds.requirePortable("  #Games "));
		assertEquals("café", ChannelIds.acceptFromEvent(" Café ").orElseThrow());
		for (String bad : new String[] { "", "#", "__x", "a b", "café", "a".repeat(33) }) {
			try {
				ChannelIds.requirePortable(bad);
				throw new AssertionError("accepted " + bad);
			} catch (IllegalArgumentException expected) {
				assertFalse(expected.getMessage().isBlank());
			}
		}
	}

	private static String text(String descPrefix) {
		return Vectors.cases("control_events.json").stream().filter(c -> c.get("desc").asText().startsWith(descPrefix))
				.findFirst().orElseThrow(() -> new AssertionError(descPrefix)).get("text").asText();
	}
}
