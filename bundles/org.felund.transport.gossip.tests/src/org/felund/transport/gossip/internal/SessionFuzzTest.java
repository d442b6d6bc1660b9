package org.felund.transport.gossip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.felund.api.crypto.CircleCrypto;
import org.felund.api.crypto.CircleSecret;
import org.felund.api.crypto.SessionCipher;
import org.felund.api.model.ChatMessage;
import org.felund.core.node.MessageFactory;
import org.felund.protocol.wire.Json;
import org.felund.protocol.wire.MessageJson;
import org.felund.transport.gossip.GossipOptions;
import org.felund.transport.gossip.GossipTestNode;
import org.felund.transport.gossip.GossipTransport;
import org.felund.transport.gossip.MemoryAnchorStore;
import org.felund.transport.gossip.SyncReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Malformed, oversized, truncated, bit-flipped and out-of-order input against our server and client sessions:
 * each must end with the reference's ERROR text or a clean close, never an exception or a stored forgery.
 */
class SessionFuzzTest {
	static final String SECRET = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
	static final CircleCrypto CC = GossipTestNode.CRYPTO.forCircle(CircleSecret.fromHex(SECRET));
	static final String CIRCLE = CC.circleId();
	static final String CLIENT_ID = "ad5ea04dac0fcd74dce5128d";
	static final String CN = "00112233445566778899aabbccddeeff";
	static final String SN = "ffeeddccbbaa99887766554433221100";
	static final Set<String> REFERENCE_ERRORS = Set.of(Frames.ERR_EXPECTED_HELLO, Frames.ERR_UNKNOWN_CIRCLE,
			Frames.ERR_EXPECTED_HELLO_AUTH, Frames.ERR_AUTH_FAILED, Frames.ERR_BAD_SYNC_FRAMES,
			Frames.ERR_EXPECTED_MSGS_REQ, Frames.ERR_EXPECTED_MSGS_SEND, Frames.ERR_INTERNAL,
			Frames.ERR_ENCRYPTION_REQUIRED);

	@TempDir
	Path tmp;
	GossipTestNode server;
	/** What the server holds before any input: its own join announcement. */
	Set<String> held;

	@BeforeEach
	void start() {
		server = GossipTestNode.start(tmp.resolve("s"), GossipTestNode.fast());
		server.node.joinCircle(SECRET, "");
		held = server.ids(CIRCLE);
		assertEquals(1, held.size());
	}

	@AfterEach
	void stop() {
		server.close();
	}

	EmbeddedWire serverWire(GossipOptions options) {
		GossipEngine engine = new GossipEngine(options, () -> SN, () -> System.currentTimeMillis() / 1000,
				new MemoryAnchorStore());
		engine.attachForTest(server.node.context(), new GossipTransport(options), 9001);
		return new EmbeddedWire(GossipSession.server(engine));
	}

	EmbeddedWire serverWire() {
		return serverWire(GossipOptions.loopback().withExtensions(false));
	}

	static String hello(String nonce) {
		return "{\"t\":\"HELLO\",\"node_id\":\"" + CLIENT_ID + "\",\"circle_id\":\"" + CIRCLE
				+ "\",\"listen_addr\":\"127.0.0.1:9002\",\"nonce\":\"" + nonce + "\",\"can_anchor\":false}";
	}

	static String auth() {
		return "{\"t\":\"HELLO_AUTH\",\"token\":\"" + CC.gossipToken(CLIENT_ID, CIRCLE, SN) + "\"}";
	}

	/** Asserts the session answered with exactly this plaintext ERROR and closed. */
	static void assertPlainError(EmbeddedWire wire, String text) {
		List<String> out = wire.lines();
		assertEquals("{\"t\":\"ERROR\",\"err\":\"" + text + "\"}", out.get(out.size() - 1));
		assertFalse(wire.open());
		wire.channel.checkException();
	}

	/** A server session past WELCOME; returns the session cipher. */
	SessionCipher handshake(EmbeddedWire wire) throws Exception {
		wire.sendLine(hello(CN));
		assertTrue(wire.line().contains("CHALLENGE"));
		wire.sendLine(auth());
		List<String> out = wire.lines();
		assertTrue(out.get(0).contains("\"enc_ready\":true"));
		return CC.session(CN, SN);
	}

	static String seal(SessionCipher c, String json) {
		return c.seal(json.getBytes(StandardCharsets.US_ASCII));
	}

	static String errorOf(SessionCipher c, String line) throws Exception {
		ObjectNode f = (ObjectNode) Json.parse(c.open(line));
		assertEquals("ERROR", Frames.type(f));
		return Frames.text(f, "err");
	}

	@Test
	void handshakeViolationsGetTheReferenceErrorTexts() {
		EmbeddedWire w = serverWire();
		w.sendLine("{\"t\":\"PEERS\"}");
		assertPlainError(w, Frames.ERR_EXPECTED_HELLO);

		w = serverWire();
		w.sendLine(hello(CN).replace(CIRCLE, "ffffffffffffffffffffffff"));
		assertPlainError(w, Frames.ERR_UNKNOWN_CIRCLE);

		w = serverWire();
		w.sendLine(hello(CN));
		w.lines();
		w.sendLine("{\"t\":\"HELLO\"}");
		assertPlainError(w, Frames.ERR_EXPECTED_HELLO_AUTH);

		w = serverWire();
		w.sendLine(hello(CN));
		w.lines();
		w.sendLine("{\"t\":\"HELLO_AUTH\",\"token\":\"" + "0".repeat(64) + "\"}");
		assertPlainError(w, Frames.ERR_AUTH_FAILED);

		w = serverWire();
		w.sendLine(hello(CN));
		w.lines();
		w.sendLine(auth().replace("\"token\":\"", "\"token\":\"A"));
		assertPlainError(w, Frames.ERR_AUTH_FAILED);
	}

	@Test
	void malformedLinesGetInternalError() {
		for (String bad : new String[] { "not json", "[1,2]", "\"HELLO\"", "{\"t\":\"HELLO\"", "{}{}", "{\"t\":1}x",
				"\u0000\u0001", "{\"t\":\"HELLO\",\"t\":\"HELLO\"}", hello("abc"), hello("zz"),
				hello(CN).replace(CLIENT_ID, "a".repeat(5000)) }) {
			EmbeddedWire w = serverWire();
			w.sendLine(bad);
			List<String> out = w.lines();
			String last = out.get(out.size() - 1);
			assertTrue(last.equals("{\"t\":\"ERROR\",\"err\":\"Internal error\"}")
					|| last.equals("{\"t\":\"ERROR\",\"err\":\"Expected HELLO\"}")
					|| last.equals("{\"t\":\"ERROR\",\"err\":\"Unknown circle_id\"}"), bad + " -> " + last);
			assertFalse(w.open(), bad);
			w.channel.checkException();
		}
	}

	@Test
	void sessionsWithoutEncryptionAreRefusedUnlessAllowed() {
		EmbeddedWire w = serverWire();
		w.sendLine(hello(""));
		assertPlainError(w, Frames.ERR_ENCRYPTION_REQUIRED);

		EmbeddedWire legacy = serverWire(GossipOptions.loopback().withAllowLegacyPlaintext(true));
		legacy.sendLine(hello(""));
		assertTrue(legacy.line().contains("CHALLENGE"));
		legacy.sendLine(auth());
		List<String> out = legacy.lines();
		assertTrue(out.get(0).contains("\"enc_ready\":false"));
		assertTrue(out.get(1).startsWith("{\"t\":\"PEERS\""), "plaintext session");
	}

	@Test
	void oversizedAndTruncatedInputEndsCleanly() {
		EmbeddedWire w = serverWire();
		w.send("{\"t\":\"HELLO\",\"pad\":\"" + "x".repeat(FrameLimits.READ_LINE_MAX + 10));
		assertPlainError(w, Frames.ERR_INTERNAL);

		EmbeddedWire t = serverWire();
		t.send(hello(CN).substring(0, 40));
		t.channel.close();
		t.channel.runPendingTasks();
		t.channel.checkException();
		assertFalse(t.open());
	}

	@Test
	void theLargestLinesTheReferenceCanSendAreRead() throws Exception {
		EmbeddedWire w = serverWire();
		SessionCipher c = handshake(w);
		w.lines();
		// A 60 KiB encrypted PEERS line: more than we write, less than asyncio's 64 KiB, so it must be read.
		StringBuilder peers = new StringBuilder("{\"t\":\"PEERS\",\"circle_id\":\"" + CIRCLE + "\",\"peers\":[");
		for (int i = 0; peers.length() < 44_000; i++) {
			peers.append(i == 0 ? "" : ",").append("{\"node_id\":\"n").append(i).append("\",\"addr\":\"10.0.0.1:")
					.append(1000 + i).append("\",\"last_seen\":1}");
		}
		String line = seal(c, peers.append("]}").toString());
		assertTrue(line.length() > 58_000 && line.length() < FrameLimits.READ_LINE_MAX, "" + line.length());
		w.sendLine(line);
		w.sendLine(seal(c, "{\"t\":\"MSGS_HAVE\",\"circle_id\":\"" + CIRCLE + "\",\"msg_ids\":[]}"));
		assertEquals("MSGS_REQ", Frames.type(Json.parse(c.open(w.line()))));
	}

	@Test
	void outOfOrderSyncFramesGetTheReferenceErrorsEncrypted() throws Exception {
		EmbeddedWire w = serverWire();
		SessionCipher c = handshake(w);
		w.sendLine(seal(c, "{\"t\":\"MSGS_REQ\",\"circle_id\":\"" + CIRCLE + "\",\"msg_ids\":[]}"));
		assertEquals(Frames.ERR_BAD_SYNC_FRAMES, errorOf(c, w.line()));
		assertFalse(w.open());

		w = serverWire();
		c = handshake(w);
		w.sendLine(seal(c, "{\"t\":\"PEERS\",\"circle_id\":\"" + CIRCLE + "\",\"peers\":[]}"));
		w.sendLine(seal(c, "{\"t\":\"MSGS_HAVE\",\"circle_id\":\"" + CIRCLE + "\",\"msg_ids\":[]}"));
		w.lines();
		w.sendLine(seal(c, "{\"t\":\"MSGS_SEND\",\"circle_id\":\"" + CIRCLE + "\",\"messages\":[]}"));
		assertEquals(Frames.ERR_EXPECTED_MSGS_REQ, errorOf(c, w.line()));

		w = serverWire();
		c = handshake(w);
		w.sendLine(seal(c, "{\"t\":\"PEERS\",\"circle_id\":\"" + CIRCLE + "\",\"peers\":[]}"));
		w.sendLine(seal(c, "{\"t\":\"MSGS_HAVE\",\"circle_id\":\"" + CIRCLE + "\",\"msg_ids\":[]}"));
		w.sendLine(seal(c, "{\"t\":\"MSGS_REQ\",\"circle_id\":\"" + CIRCLE + "\",\"msg_ids\":[]}"));
		w.lines();
		w.sendLine(seal(c, "{\"t\":\"MSGS_REQ\",\"circle_id\":\"" + CIRCLE + "\",\"msg_ids\":[]}"));
		assertEquals(Frames.ERR_EXPECTED_MSGS_SEND, errorOf(c, w.line()));
	}

	@Test
	void bitFlippedAndForeignFramesInsideTheSessionAreRefusedEncrypted() throws Exception {
		Random rnd = new Random(7);
		for (int i = 0; i < 20; i++) {
			EmbeddedWire w = serverWire();
			SessionCipher c = handshake(w);
			byte[] blob = Base64.getDecoder()
					.decode(seal(c, "{\"t\":\"PEERS\",\"circle_id\":\"" + CIRCLE + "\",\"peers\":[]}"));
			blob[rnd.nextInt(blob.length)] ^= (byte) (1 << rnd.nextInt(8));
			w.sendLine(Base64.getEncoder().encodeToString(blob));
			List<String> out = w.lines();
			// Never a plaintext error inside an encrypted session.
			assertEquals(Frames.ERR_INTERNAL, errorOf(c, out.get(out.size() - 1)));
			assertFalse(w.open());
		}
		EmbeddedWire w = serverWire();
		handshake(w);
		w.sendLine("{\"t\":\"PEERS\",\"circle_id\":\"" + CIRCLE + "\",\"peers\":[]}");
		assertTrue(w.lines().isEmpty(), "a plaintext frame inside the encrypted session gets no answer");
		assertFalse(w.open());
	}

	@Test
	void forgedMessagesAreNeverStored() throws Exception {
		EmbeddedWire w = serverWire();
		SessionCipher c = handshake(w);
		ChatMessage good = MessageFactory.create(GossipTestNode.CRYPTO, CC, "general", CLIENT_ID, "eve", "hi", 1_767_225_600L);
		ChatMessage badMac = good.withEnvelope(null).withMac("0".repeat(64));
		ChatMessage otherText = good.withPlaintext("eve", "tampered");
		ChatMessage foreign = MessageFactory.create(GossipTestNode.CRYPTO,
				GossipTestNode.CRYPTO.forCircle(GossipTestNode.CRYPTO.newSecret()), "general", CLIENT_ID, "eve", "x",
				1_767_225_600L);
		w.sendLine(seal(c, "{\"t\":\"PEERS\",\"circle_id\":\"" + CIRCLE + "\",\"peers\":[{\"node_id\":\""
				+ server.nodeId() + "\",\"addr\":\"127.0.0.1:1\",\"last_seen\":1},{\"node_id\":\"x\",\"addr\":\"nope\"}]}"));
		w.sendLine(seal(c, "{\"t\":\"MSGS_HAVE\",\"circle_id\":\"" + CIRCLE + "\",\"msg_ids\":[]}"));
		w.sendLine(seal(c, "{\"t\":\"MSGS_REQ\",\"circle_id\":\"" + CIRCLE + "\",\"msg_ids\":[]}"));
		ObjectNode send = Frames.frame(Frames.MSGS_SEND);
		send.put("circle_id", CIRCLE);
		var list = send.putArray("messages");
		list.add(MessageJson.toWire(badMac));
		ObjectNode shifted = MessageJson.toWire(good);
		shifted.put("created_ts", good.createdTs() + 1);
		list.add(shifted);
		list.add(MessageJson.toWire(foreign));
		list.add(MessageJson.toWire(good).put("extra", 1));
		list.add(Json.parse("[\"not a message\"]"));
		list.add(MessageJson.toWire(otherText));
		w.sendLine(seal(c, Json.ascii(send)));
		w.lines();
		assertFalse(w.open());
		// Only the envelope-valid copy is stored, and with the envelope's text, not the tampered clear copy.
		Set<String> expected = new java.util.HashSet<>(held);
		expected.add(good.msgId());
		assertEquals(expected, server.ids(CIRCLE));
		assertEquals("hi", server.node.history(CIRCLE, "general", null, 10).get(0).text());
		assertTrue(server.node.peers(CIRCLE).stream().noneMatch(p -> p.nodeId().equals(server.nodeId())));
		assertTrue(server.node.peers(CIRCLE).stream().noneMatch(p -> p.nodeId().equals("x")));
	}

	@Test
	void randomGarbageNeverCrashesTheServer() {
		Random rnd = new Random(42);
		String[] seeds = { hello(CN), auth(), "{\"t\":\"PEERS\",\"peers\":[]}", "{\"t\":\"MSGS_HAVE\",\"msg_ids\":[1,null,{}]}" };
		for (int i = 0; i < 300; i++) {
			EmbeddedWire w = serverWire();
			int lines = 1 + rnd.nextInt(3);
			for (int l = 0; l < lines && w.open(); l++) {
				byte[] bytes = seeds[rnd.nextInt(seeds.length)].getBytes(StandardCharsets.UTF_8);
				int edits = rnd.nextInt(4);
				for (int e = 0; e < edits; e++) {
					bytes[rnd.nextInt(bytes.length)] = (byte) rnd.nextInt(256);
				}
				w.send(new String(bytes, StandardCharsets.ISO_8859_1).replace('\n', ' ') + "\n");
			}
			w.channel.checkException();
			for (String out : w.lines()) {
				if (out.contains("\"ERROR\"")) {
					assertTrue(REFERENCE_ERRORS.contains(Frames.text(Json.parseObject(out), "err")), out);
				}
			}
		}
		assertEquals(held, server.ids(CIRCLE), "nothing stored");
	}

	@Test
	void randomGarbageNeverCrashesTheClientNorMakesItTalkDuringTheHandshake() {
		Random rnd = new Random(43);
		String[] seeds = { "{\"t\":\"CHALLENGE\",\"nonce\":\"" + SN + "\"}",
				"{\"t\":\"WELCOME\",\"node_id\":\"6bcb32dbbbb6b4e48a83ed0b\",\"enc_ready\":true,\"can_anchor\":true}",
				"{\"t\":\"ERROR\",\"err\":\"Auth failed\"}" };
		for (int i = 0; i < 200; i++) {
			CompletableFuture<SyncReport> result = new CompletableFuture<>();
			EmbeddedWire w = clientWire(GossipOptions.loopback(), result);
			w.lines();
			byte[] bytes = seeds[rnd.nextInt(seeds.length)].getBytes(StandardCharsets.UTF_8);
			for (int e = rnd.nextInt(4); e > 0; e--) {
				bytes[rnd.nextInt(bytes.length)] = (byte) rnd.nextInt(256);
			}
			w.send(new String(bytes, StandardCharsets.ISO_8859_1).replace('\n', ' ') + "\n");
			w.channel.checkException();
			for (String out : w.lines()) {
				assertFalse(out.contains("\"ERROR\""), "the client never sends ERROR during the handshake");
			}
			w.channel.close();
			w.channel.runPendingTasks();
			assertTrue(result.isDone());
		}
	}

	@Test
	void silentClientsTimeOutWithInternalError() {
		EmbeddedWire w = serverWire(GossipOptions.loopback().withExtensions(false));
		w.sendLine(hello(CN));
		w.lines();
		// A connection that has not authenticated holds a slot: it gets the short handshake timeout.
		w.advance(4_500);
		assertTrue(w.open());
		w.advance(1_000);
		assertPlainError(w, Frames.ERR_INTERNAL);
	}

	@Test
	void theClientClosesSilentlyOnBadServerAnswers() throws Exception {
		for (String answer : new String[] { "{\"t\":\"ERROR\",\"err\":\"Unknown circle_id\"}",
				"{\"t\":\"CHALLENGE\",\"nonce\":\"xyz\"}", "{\"t\":\"CHALLENGE\"}", "garbage" }) {
			CompletableFuture<SyncReport> result = new CompletableFuture<>();
			EmbeddedWire w = clientWire(GossipOptions.loopback(), result);
			w.lines();
			w.sendLine(answer);
			assertTrue(w.lines().isEmpty(), "the client never sends ERROR during the handshake: " + answer);
			assertFalse(w.open());
			assertNotNull(result.getNow(null).error());
		}
		// A server without encryption is refused by default.
		CompletableFuture<SyncReport> result = new CompletableFuture<>();
		EmbeddedWire w = clientWire(GossipOptions.loopback(), result);
		w.lines();
		w.sendLine("{\"t\":\"CHALLENGE\",\"nonce\":\"" + SN + "\"}");
		w.lines();
		w.sendLine("{\"t\":\"WELCOME\",\"node_id\":\"6bcb32dbbbb6b4e48a83ed0b\",\"enc_ready\":false,\"can_anchor\":false}");
		assertTrue(w.lines().isEmpty());
		assertFalse(w.open());
		assertTrue(result.getNow(null).error().contains("encryption"));
	}

	/** Plays a reference server by hand up to the client's MSGS_REQ; returns the session cipher. */
	SessionCipher referenceServerUpToRequest(EmbeddedWire w, boolean canAnchor, List<String> haveIds) throws Exception {
		w.lines();
		w.sendLine("{\"t\":\"CHALLENGE\",\"nonce\":\"" + SN + "\"}");
		w.lines();
		w.sendLine("{\"t\":\"WELCOME\",\"node_id\":\"6bcb32dbbbb6b4e48a83ed0b\",\"enc_ready\":true,\"can_anchor\":"
				+ canAnchor + "}");
		SessionCipher c = CC.session(CN, SN);
		assertEquals(2, w.lines().size());
		w.sendLine(seal(c, "{\"t\":\"PEERS\",\"circle_id\":\"" + CIRCLE + "\",\"peers\":[]}"));
		w.sendLine(seal(c, "{\"t\":\"MSGS_HAVE\",\"circle_id\":\"" + CIRCLE + "\",\"msg_ids\":["
				+ String.join(",", haveIds.stream().map(id -> "\"" + id + "\"").toList()) + "]}"));
		return c;
	}

	@Test
	void aReferencePeerThatCannotAnswerARequestIsAskedForFewerNextTime() throws Exception {
		GossipOptions options = GossipOptions.loopback().withExtensions(false);
		GossipEngine engine = new GossipEngine(options, () -> CN, () -> System.currentTimeMillis() / 1000,
				new MemoryAnchorStore());
		engine.attachForTest(server.node.context(), new GossipTransport(options), 9002);
		int before = engine.requestLimit("6bcb32dbbbb6b4e48a83ed0b", true);
		List<String> theirs = new java.util.ArrayList<>();
		for (int i = 0; i < 200; i++) {
			theirs.add(String.format("%032x", i));
		}
		CompletableFuture<SyncReport> result = new CompletableFuture<>();
		EmbeddedWire w = new EmbeddedWire(GossipSession.client(engine,
				server.node.context().circle(CIRCLE).orElseThrow(), "127.0.0.1:9001", result));
		SessionCipher c = referenceServerUpToRequest(w, false, theirs);
		ObjectNode req = (ObjectNode) Json.parse(c.open(w.line()));
		assertEquals(before, req.get("msg_ids").size(), "asks for one line's worth, not all 200");
		w.sendLine(seal(c, "{\"t\":\"MSGS_REQ\",\"circle_id\":\"" + CIRCLE + "\",\"msg_ids\":[]}"));
		w.lines();
		// What the reference does when its MSGS_SEND does not fit: a plaintext error inside the encrypted session.
		w.sendLine("{\"t\":\"ERROR\",\"err\":\"Internal error\"}");
		assertFalse(w.open());
		assertNotNull(result.getNow(null).error());
		assertTrue(engine.requestLimit("6bcb32dbbbb6b4e48a83ed0b", true) < before);
	}

	@Test
	void aSilentAnchorDoesNotFailTheSync() throws Exception {
		CompletableFuture<SyncReport> result = new CompletableFuture<>();
		EmbeddedWire w = clientWire(GossipOptions.loopback().withExtensions(false), result);
		SessionCipher c = referenceServerUpToRequest(w, true, List.of());
		w.lines();
		w.sendLine(seal(c, "{\"t\":\"MSGS_REQ\",\"circle_id\":\"" + CIRCLE + "\",\"msg_ids\":[]}"));
		w.lines();
		w.sendLine(seal(c, "{\"t\":\"MSGS_SEND\",\"circle_id\":\"" + CIRCLE + "\",\"messages\":[]}"));
		assertEquals("ANCHOR_PUSH", Frames.type(Json.parse(c.open(w.line()))));
		w.advance(5_100);
		assertFalse(w.open());
		assertNull(result.getNow(null).error(), "the anchor exchange is best effort");

		// Same when the anchor hangs up instead of answering.
		CompletableFuture<SyncReport> second = new CompletableFuture<>();
		EmbeddedWire w2 = clientWire(GossipOptions.loopback().withExtensions(false), second);
		SessionCipher c2 = referenceServerUpToRequest(w2, true, List.of());
		w2.lines();
		w2.sendLine(seal(c2, "{\"t\":\"MSGS_REQ\",\"circle_id\":\"" + CIRCLE + "\",\"msg_ids\":[]}"));
		w2.lines();
		w2.sendLine(seal(c2, "{\"t\":\"MSGS_SEND\",\"circle_id\":\"" + CIRCLE + "\",\"messages\":[]}"));
		w2.lines();
		w2.channel.close();
		w2.channel.runPendingTasks();
		assertNull(second.getNow(null).error());
	}

	EmbeddedWire clientWire(GossipOptions options, CompletableFuture<SyncReport> result) {
		GossipEngine engine = new GossipEngine(options, () -> CN, () -> System.currentTimeMillis() / 1000,
				new MemoryAnchorStore());
		engine.attachForTest(server.node.context(), new GossipTransport(options), 9002);
		return new EmbeddedWire(GossipSession.client(engine, server.node.context().circle(CIRCLE).orElseThrow(),
				"127.0.0.1:9001", result));
	}
}
