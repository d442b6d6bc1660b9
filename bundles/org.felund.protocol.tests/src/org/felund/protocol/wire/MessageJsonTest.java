package org.felund.protocol.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.felund.api.model.ChatMessage;
import org.felund.api.model.Envelope;
import org.felund.api.model.ProtocolException;
import org.felund.testsupport.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

class MessageJsonTest {

	static Stream<Arguments> encryptionCases() {
		return Vectors.cases("message_encryption.json").stream().map(c -> Arguments.of(c.get("desc").asText(), c));
	}

	static Stream<Arguments> gossipCases() {
		return encryptionCases().filter(a -> ((JsonNode) a.get()[1]).has("gossip_message_dict"));
	}

	@Test
	void everyEncryptionVectorIsCoveredByAGossipOrDecryptOnlyCase() {
		List<JsonNode> all = Vectors.cases("message_encryption.json");
		long gossip = all.stream().filter(c -> c.has("gossip_message_dict")).count();
		long decryptOnly = all.stream().filter(c -> c.has("reference_decrypt_result")).count();
		assertEquals(all.size(), gossip + decryptOnly, "a case is neither a gossip nor a decrypt-only case");
		assertTrue(gossip >= 5);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("gossipCases")
	void gossipDictParsesToTheVectorFields(String desc, JsonNode c) {
		ChatMessage m = MessageJson.fromWire(c.get("gossip_message_dict"));
		assertEquals(c.get("msg_id").asText(), m.msgId());
		assertEquals(c.get("circle_id").asText(), m.circleId());
		assertEquals(c.get("channel_id").asText(), m.channelId());
		assertEquals(c.get("author_node_id").asText(), m.authorNodeId());
		assertEquals(c.get("created_ts").asLong(), m.createdTs());
		assertEquals(c.get("display_name").asText(), m.displayName());
		assertEquals(c.get("text").asText(), m.text());
		assertEquals(c.get("gossip_message_dict").get("mac").asText(), m.mac());
		assertEquals(2, m.schemaVersion());
		assertEquals(c.get("enc").get("nonce").asText(), m.enc().nonce());
		assertEquals(c.get("enc").get("ciphertext").asText(), m.enc().ciphertext());
		assertEquals("AES-256-GCM", m.enc().alg());
		assertEquals("epoch-0", m.enc().keyId());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("gossipCases")
	void gossipDictIsWrittenBackWithTheReferenceKeysInTheReferenceOrder(String desc, JsonNode c) {
		JsonNode dict = c.get("gossip_message_dict");
		ObjectNode written = MessageJson.toWire(MessageJson.fromWire(dict));
		assertEquals(MessageJson.WIRE_KEYS, keys(written));
		// Jackson keeps the vector file's key order, which is the order Python wrote.
		assertEquals(Json.compact(dict), Json.compact(written));
		assertEquals(Json.ascii(dict), Json.ascii(written));
		assertTrue(written.get("created_ts").isIntegralNumber());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("gossipCases")
	void relayEnvelopeIsWrittenAndReadLikeTheReference(String desc, JsonNode c) {
		JsonNode relay = c.get("relay_envelope");
		ChatMessage fromGossip = MessageJson.fromWire(c.get("gossip_message_dict"));
		ObjectNode written = MessageJson.toRelayEnvelope(fromGossip);
		assertEquals(MessageJson.RELAY_KEYS, keys(written));
		assertEquals(Json.compact(relay), Json.compact(written));

		ChatMessage read = MessageJson.fromRelayEnvelope(relay);
		assertEquals(fromGossip.ciphertextOnly().withMac(""), read);
		assertEquals(2, read.schemaVersion());
		assertEquals("", read.text());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("encryptionCases")
	void asciiWriterProducesThePythonPlaintextBytes(String desc, JsonNode c) {
		if (!c.has("tag_hex")) {
			return; // decrypt-only cases carry web-client or hand-written plaintexts, not Python output
		}
		ObjectNode body = Json.object();
		body.put("display_name", c.get("display_name").asText());
		body.put("text", c.get("text").asText());
		String expected = new String(java.util.HexFormat.of().parseHex(c.get("plaintext_hex").asText()),
				java.nio.charset.StandardCharsets.UTF_8);
		assertEquals(expected, Json.ascii(body));
	}

	@Test
	void asciiWriterEscapesLikePythonEnsureAscii() {
		ObjectNode o = Json.object();
		o.put("b", "\u0000\u001f\u007f/é😀\"\\\b\f\n\r\t");
		o.put("a", 12);
		o.putNull("n");
		o.put("t", true);
		o.set("l", Json.MAPPER.createArrayNode().add(1).add("x"));
		assertEquals("{\"b\":\"\\u0000\\u001f\\u007f/\\u00e9\\ud83d\\ude00\\\"\\\\\\b\\f\\n\\r\\t\",\"a\":12,\"n\":null,"
				+ "\"t\":true,\"l\":[1,\"x\"]}", Json.ascii(o));
		assertEquals("{\"a\":12,\"b\":\"\\u0000\\u001f\\u007f/\\u00e9\\ud83d\\ude00\\\"\\\\\\b\\f\\n\\r\\t\",\"l\":[1,\"x\"],"
				+ "\"n\":null,\"t\":true}", Json.asciiSorted(o));
	}

	@Test
	void compactWriterKeepsNonAsciiRaw() {
		ObjectNode o = Json.object();
		o.put("display_name", "Zoë");
		o.put("text", "grüße ✓");
		assertEquals("{\"display_name\":\"Zoë\",\"text\":\"grüße ✓\"}", Json.compact(o));
	}

	@Test
	void schemaOneMessageIsWrittenWithNullEncAndReadBack() {
		ChatMessage m = new ChatMessage("5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f", "630dcd2966c4336691125448", "general",
				"0123456789abcdef01234567", 1700000000L, "alice", "hello",
				"974dd442ac9b05da8b24471f7956eed3da0a896993df5471c26f7207787db162", 1, null);
		String text = MessageJson.toWireString(m);
		assertEquals("{\"msg_id\":\"5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f\",\"circle_id\":\"630dcd2966c4336691125448\","
				+ "\"author_node_id\":\"0123456789abcdef01234567\",\"created_ts\":1700000000,\"text\":\"hello\","
				+ "\"channel_id\":\"general\",\"display_name\":\"alice\","
				+ "\"mac\":\"974dd442ac9b05da8b24471f7956eed3da0a896993df5471c26f7207787db162\","
				+ "\"schema_version\":1,\"enc\":null}", text);
		assertEquals(m, MessageJson.fromWire(text));
	}

	@Test
	void optionalKeysTakeTheReferenceDefaults() {
		ChatMessage m = MessageJson.fromWire("{\"msg_id\":\"m1\",\"circle_id\":\"c1\",\"author_node_id\":\"a1\","
				+ "\"created_ts\":5,\"text\":\"\"}");
		assertEquals("general", m.channelId());
		assertEquals("", m.displayName());
		assertEquals("", m.mac());
		assertEquals(1, m.schemaVersion());
		assertNull(m.enc());
	}

	@Test
	void negativeMergeVectorsParseAsWireMessages() {
		// The merge cases are well-formed on the wire; their fate is decided by decryption in the node.
		for (JsonNode c : Vectors.cases("negative.json")) {
			if ("merge".equals(c.get("kind").asText()) || "mac".equals(c.get("kind").asText())) {
				ChatMessage m = MessageJson.fromWire(c.get("message"));
				assertEquals(c.get("message").get("msg_id").asText(), m.msgId());
			}
		}
	}

	private static List<String> keys(JsonNode node) {
		List<String> out = new ArrayList<>();
		node.fieldNames().forEachRemaining(out::add);
		return out;
	}

	private static ObjectNode validDict() {
		return (ObjectNode) Vectors.cases("message_encryption.json").get(0).get("gossip_message_dict").deepCopy();
	}

	@ParameterizedTest
	@ValueSource(strings = { "msg_id", "circle_id", "author_node_id", "created_ts", "text" })
	void missingRequiredKeyIsRejectedNamingTheKey(String key) {
		ObjectNode dict = validDict();
		dict.remove(key);
		var e = assertThrows(ProtocolException.class, () -> MessageJson.fromWire(dict));
		assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
	}

	@Test
	void unknownKeyIsRejectedLikeTheReferenceDoes() {
		ObjectNode dict = validDict();
		dict.put("reply_to", "x");
		var e = assertThrows(ProtocolException.class, () -> MessageJson.fromWire(dict));
		assertTrue(e.getMessage().contains("'reply_to'"), e.getMessage());
	}

	@Test
	void nonIntegerTimestampsAreRejected() {
		for (String ts : new String[] { "1767225600.0", "1.7e9", "\"1767225600\"", "null", "true",
				"99999999999999999999999" }) {
			String json = Json.compact(validDict()).replace("\"created_ts\":1767225600", "\"created_ts\":" + ts);
			var e = assertThrows(ProtocolException.class, () -> MessageJson.fromWire(json), ts);
			assertTrue(e.getMessage().contains("'created_ts'"), e.getMessage());
		}
	}

	@Test
	void wrongTypesAreRejectedNamingTheKey() {
		String[][] cases = { { "text", "5" }, { "channel_id", "null" }, { "display_name", "[]" }, { "mac", "1" },
				{ "schema_version", "\"2\"" }, { "schema_version", "2.0" }, { "msg_id", "{}" }, { "enc", "\"x\"" },
				{ "enc", "[]" } };
		for (String[] c : cases) {
			ObjectNode dict = validDict();
			dict.set(c[0], Json.parse(c[1]));
			var e = assertThrows(ProtocolException.class, () -> MessageJson.fromWire(dict), c[0] + "=" + c[1]);
			assertTrue(e.getMessage().contains("'" + c[0]), e.getMessage());
		}
	}

	@Test
	void encWithoutNonceOrCiphertextIsRejected() {
		for (String missing : new String[] { "nonce", "ciphertext" }) {
			ObjectNode dict = validDict();
			((ObjectNode) dict.get("enc")).remove(missing);
			var e = assertThrows(ProtocolException.class, () -> MessageJson.fromWire(dict));
			assertTrue(e.getMessage().contains("'enc." + missing + "'"), e.getMessage());
		}
	}

	@Test
	void algAndKeyIdAreCarriedUnchecked() {
		ObjectNode dict = validDict();
		((ObjectNode) dict.get("enc")).put("alg", "XChaCha20").put("key_id", "epoch-9");
		Envelope enc = MessageJson.fromWire(dict).enc();
		assertEquals("XChaCha20", enc.alg());
		assertEquals("epoch-9", enc.keyId());
	}

	@Test
	void emptyIdsAndLoneSurrogatesAreRejected() {
		ObjectNode dict = validDict();
		dict.put("msg_id", "");
		assertThrows(ProtocolException.class, () -> MessageJson.fromWire(dict));
		ObjectNode dict2 = validDict();
		dict2.put("text", "broken \ud83d");
		var e = assertThrows(ProtocolException.class, () -> MessageJson.fromWire(dict2));
		assertTrue(e.getMessage().contains("surrogate"), e.getMessage());
	}

	@Test
	void notAnObjectAndDuplicateKeysAreRejected() {
		assertThrows(ProtocolException.class, () -> MessageJson.fromWire("[]"));
		assertThrows(ProtocolException.class, () -> MessageJson.fromWire("{\"msg_id\":\"a\",\"msg_id\":\"b\"}"));
		assertThrows(ProtocolException.class, () -> MessageJson.fromWire("{} {}"));
		assertThrows(ProtocolException.class, () -> MessageJson.fromWire("{"));
	}

	@Test
	void legacyPlaintextRelayFormIsReadAsSchemaOne() {
		ChatMessage m = MessageJson.fromRelayEnvelope("{\"msg_id\":\"5f5f5f5f\",\"circle_id\":\"c\","
				+ "\"channel_id\":\"general\",\"author_node_id\":\"n\",\"display_name\":\"alice\","
				+ "\"created_ts\":1700000000,\"text\":\"hello\",\"mac\":\"ab\",\"stored_by\":\"relay\"}");
		assertEquals(1, m.schemaVersion());
		assertNull(m.enc());
		assertEquals("hello", m.text());
		assertEquals("alice", m.displayName());
		assertEquals("ab", m.mac());
	}

	@Test
	void relayElementWithoutEncNeedsTextAndMac() {
		var e = assertThrows(ProtocolException.class, () -> MessageJson.fromRelayEnvelope(
				"{\"msg_id\":\"m\",\"circle_id\":\"c\",\"author_node_id\":\"n\",\"created_ts\":1,\"text\":\"x\"}"));
		assertTrue(e.getMessage().contains("'mac'"), e.getMessage());
		assertThrows(ProtocolException.class, () -> MessageJson.fromRelayEnvelope(
				"{\"msg_id\":\"m\",\"circle_id\":\"c\",\"author_node_id\":\"n\",\"created_ts\":1.5,\"enc\":null}"));
	}

	@Test
	void schemaOneMessageHasNoRelayEnvelope() {
		ChatMessage m = new ChatMessage("m", "c", "general", "n", 1, "", "x", "ab", 1, null);
		assertThrows(IllegalArgumentException.class, () -> MessageJson.toRelayEnvelope(m));
	}
}
