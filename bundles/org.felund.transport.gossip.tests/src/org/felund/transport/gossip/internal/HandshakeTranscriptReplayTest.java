package org.felund.transport.gossip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.felund.api.crypto.CircleSecret;
import org.felund.api.crypto.SessionCipher;
import org.felund.api.transport.ReceiveResult;
import org.felund.protocol.wire.Json;
import org.felund.protocol.wire.MessageJson;
import org.felund.transport.gossip.GossipOptions;
import org.felund.transport.gossip.GossipTestNode;
import org.felund.transport.gossip.GossipTransport;
import org.felund.testsupport.Vectors;
import org.felund.transport.gossip.MemoryAnchorStore;
import org.felund.transport.gossip.SyncReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Replays handshake_transcript.json against our server and our client sessions, with the transcript's handshake
 * and frame nonces pinned: every line we write must equal the reference's byte for byte, except where we
 * deliberately differ (our PEERS never echoes the recipient's own record; our MSGS_SEND carries a fresh
 * {@code enc}), and both messages must be accepted.
 */
class HandshakeTranscriptReplayTest {
	static final JsonNode T = Vectors.file("handshake_transcript.json");
	static final String SECRET = T.get("secret_hex").asText();
	static final String CIRCLE = T.get("circle_id").asText();
	static final long CLOCK = 1_767_225_600L;

	@TempDir
	Path tmp;

	static JsonNode step(int n) {
		for (JsonNode v : T.get("vectors")) {
			if (v.get("step").asInt() == n) {
				return v;
			}
		}
		throw new AssertionError("no step " + n);
	}

	static String wire(int n) {
		String w = step(n).get("wire_line_ascii").asText();
		return w.substring(0, w.length() - 1);
	}

	static List<byte[]> nonces(String dir) {
		List<byte[]> out = new ArrayList<>();
		for (JsonNode v : T.get("vectors")) {
			if (v.get("dir").asText().equals(dir) && v.has("nonce_hex")) {
				out.add(HexFormat.of().parseHex(v.get("nonce_hex").asText()));
			}
		}
		return out;
	}

	static SessionCipher reader() throws Exception {
		return GossipTestNode.CRYPTO.forCircle(CircleSecret.fromHex(SECRET)).session(T.get("client_nonce_hex").asText(),
				T.get("server_nonce_hex").asText());
	}

	static ObjectNode open(String line) throws Exception {
		return (ObjectNode) Json.parse(reader().open(line));
	}

	static String plaintext(String line) throws Exception {
		return new String(reader().open(line), StandardCharsets.UTF_8);
	}

	static JsonNode message(int stepNo) {
		return step(stepNo).get("frame").get("messages").get(0);
	}

	@Test
	void ourServerAnswersTheReferenceClientByteForByte() throws Exception {
		try (GossipTestNode alice = GossipTestNode.start(tmp.resolve("alice"), GossipTestNode.fast(),
				T.get("server_node_id").asText(), false)) {
			alice.node.joinCircle(SECRET, "");
			// The transcript's nodes hold only its messages: no join announcement of our own (its id would be in
			// MSGS_HAVE).
			alice.dropJoinAnnouncement(CIRCLE);
			assertEquals(ReceiveResult.STORED, alice.node.context().receive(CIRCLE,
					MessageJson.fromWire(message(12)), "test", null));
			GossipEngine engine = new GossipEngine(GossipOptions.loopback(), () -> T.get("server_nonce_hex").asText(),
					() -> CLOCK, new MemoryAnchorStore());
			List<byte[]> frameNonces = nonces("S->C");
			engine.attachForTest(new PinnedContext(alice.node.context(), c -> SessionFrameVectorsTest.pinned(c, frameNonces)),
					new GossipTransport(GossipOptions.loopback()), 9001);
			EmbeddedWire wire = new EmbeddedWire(GossipSession.server(engine));

			wire.sendLine(wire(1));
			assertEquals(wire(2), wire.line());
			wire.sendLine(wire(3));
			List<String> out = wire.lines();
			assertEquals(3, out.size());
			assertEquals(wire(4), out.get(0));
			ObjectNode peers = open(out.get(1));
			assertEquals("PEERS", Frames.type(peers));
			assertTrue(peers.get("peers").isEmpty(), "the client's own record is not echoed back to it");
			assertEquals(wire(8), out.get(2), "MSGS_HAVE byte for byte");

			wire.sendLine(wire(5));
			wire.sendLine(wire(6));
			assertEquals(wire(9), wire.line(), "MSGS_REQ byte for byte");

			wire.sendLine(wire(10));
			ObjectNode send = open(wire.line());
			assertEquals("MSGS_SEND", Frames.type(send));
			JsonNode sent = send.get("messages").get(0);
			JsonNode reference = message(12);
			for (String key : List.of("msg_id", "circle_id", "author_node_id", "created_ts", "text", "channel_id",
					"display_name", "mac")) {
				assertEquals(reference.get(key), sent.get(key), key);
			}
			assertEquals(MessageJson.WIRE_KEYS, iterable(sent));

			wire.sendLine(wire(11));
			assertFalse(wire.open(), "the sync is over and the server is no anchor");
			assertTrue(alice.store.messages().contains(CIRCLE, message(11).get("msg_id").asText()));
			assertEquals(2, alice.count(CIRCLE));
			assertTrue(alice.node.peers(CIRCLE).stream().anyMatch(
					p -> p.nodeId().equals(T.get("client_node_id").asText()) && p.addr().equals("127.0.0.1:9002")));
		}
	}

	@Test
	void ourClientTalksToTheReferenceServerByteForByte() throws Exception {
		try (GossipTestNode bob = GossipTestNode.start(tmp.resolve("bob"), GossipTestNode.fast(),
				T.get("client_node_id").asText(), false)) {
			bob.node.joinCircle(SECRET, "");
			// The transcript's nodes hold only its messages: no join announcement of our own (its id would be in
			// MSGS_HAVE).
			bob.dropJoinAnnouncement(CIRCLE);
			assertEquals(ReceiveResult.STORED, bob.node.context().receive(CIRCLE,
					MessageJson.fromWire(message(11)), "test", null));
			// The reference client offers no extension: switch ours off so HELLO is the reference's exact line.
			GossipOptions options = GossipOptions.loopback().withAdvertisedHost("127.0.0.1").withExtensions(false);
			GossipEngine engine = new GossipEngine(options, () -> T.get("client_nonce_hex").asText(), () -> CLOCK,
					new MemoryAnchorStore());
			List<byte[]> frameNonces = nonces("C->S");
			PinnedContext ctx = new PinnedContext(bob.node.context(), c -> SessionFrameVectorsTest.pinned(c, frameNonces));
			engine.attachForTest(ctx, new GossipTransport(options), 9002);
			CompletableFuture<SyncReport> result = new CompletableFuture<>();
			EmbeddedWire wire = new EmbeddedWire(
					GossipSession.client(engine, ctx.circle(CIRCLE).orElseThrow(), "127.0.0.1:9001", result));

			assertEquals(wire(1), wire.line(), "HELLO byte for byte");
			wire.sendLine(wire(2));
			assertEquals(wire(3), wire.line(), "HELLO_AUTH byte for byte");
			wire.sendLine(wire(4));
			List<String> out = wire.lines();
			assertEquals(2, out.size());
			assertTrue(open(out.get(0)).get("peers").isEmpty(), "the server's own record is not echoed back to it");
			assertEquals(wire(6), out.get(1), "MSGS_HAVE byte for byte");

			wire.sendLine(wire(7));
			wire.sendLine(wire(8));
			assertEquals(wire(10), wire.line(), "MSGS_REQ byte for byte");
			wire.sendLine(wire(9));
			ObjectNode send = open(wire.line());
			JsonNode sent = send.get("messages").get(0);
			for (String key : List.of("msg_id", "circle_id", "author_node_id", "created_ts", "text", "channel_id",
					"display_name", "mac", "schema_version")) {
				assertEquals(message(11).get(key), sent.get(key), key);
			}
			wire.sendLine(wire(12));
			SyncReport report = result.getNow(null);
			assertNull(report.error());
			assertEquals(1, report.stored());
			assertEquals(1, report.sent());
			assertFalse(wire.open());
			assertEquals(2, bob.count(CIRCLE));
			assertTrue(T.get("receiver_accepts_both_messages").asBoolean());
		}
	}

	private static List<String> iterable(JsonNode object) {
		List<String> keys = new ArrayList<>();
		object.fieldNames().forEachRemaining(keys::add);
		return keys;
	}
}
