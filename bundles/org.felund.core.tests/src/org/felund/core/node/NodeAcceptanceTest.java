package org.felund.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.felund.api.model.ChatMessage;
import org.felund.api.model.Peer;
import org.felund.api.transport.ReceiveResult;
import org.felund.api.transport.TransportContext;
import org.felund.testsupport.Vectors;
import org.felund.protocol.wire.MessageJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

/** §4.7 acceptance through the transport context, with the reference's merge and MAC vectors. */
class NodeAcceptanceTest {
	private static final String SECRET = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
	private static final String CIRCLE = "630dcd2966c4336691125448";

	@TempDir
	Path dir;
	private TestHome home;
	private TransportContext ctx;

	@BeforeEach
	void setUp() {
		home = new TestHome(dir, 1767225600L);
		assertEquals(CIRCLE, home.node.joinCircle(SECRET, "").circleId());
		ctx = home.node.context();
		// The join announced itself; the tests look at what is received after it.
		try {
			home.settle();
		} catch (InterruptedException e) {
			throw new AssertionError(e);
		}
		home.clearAnnounced();
	}

	@AfterEach
	void tearDown() {
		home.close();
	}

	static Stream<Arguments> mergeAndMacCases() {
		return Vectors.cases("negative.json").stream()
				.filter(c -> List.of("merge", "mac").contains(c.get("kind").asText()))
				.map(c -> Arguments.of(c.get("desc").asText(), c));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("mergeAndMacCases")
	void mergeVectorsHaveTheReferenceOutcome(String desc, JsonNode c) throws Exception {
		assertEquals(SECRET, c.get("secret_hex").asText());
		ChatMessage m = MessageJson.fromWire(c.get("message"));
		ReceiveResult result = ctx.receive(CIRCLE, m, "gossip", "peer");
		boolean accepted = "accepted".equals(c.get("outcome").asText());
		assertEquals(accepted ? ReceiveResult.STORED : ReceiveResult.REJECTED, result, desc);
		assertEquals(accepted, home.store.messages().contains(CIRCLE, m.msgId()));
		if (accepted) {
			ChatMessage shown = home.node.history(CIRCLE, m.channelId(), null, 10).get(0);
			String expectedText = c.has("stored_text") ? c.get("stored_text").asText() : m.text();
			String expectedName = c.has("stored_display_name") ? c.get("stored_display_name").asText()
					: m.displayName();
			assertEquals(expectedText, shown.text());
			assertEquals(expectedName, shown.displayName());
			home.settle();
			ChatMessage announced = home.announced.get(0);
			assertEquals(expectedText, announced.text(), "transports get the decrypted text, never the spoofed copy");
			assertTrue(TestHome.CRYPTO.forCircle(org.felund.api.crypto.CircleSecret.fromHex(SECRET))
					.verifyLegacyMac(announced), "transports get a correct MAC, not the junk one");
			assertEquals(expectedName, home.store.state().displayName(CIRCLE, m.authorNodeId()).orElseThrow(),
					"live name from the accepted message");
		}
	}

	static Stream<Arguments> gossipDicts() {
		return Vectors.cases("message_encryption.json").stream().filter(c -> c.has("gossip_message_dict"))
				.map(c -> Arguments.of(c.get("desc").asText(), c));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("gossipDicts")
	void referenceMessageIsStoredOnceAsCiphertextAndReadBackDecrypted(String desc, JsonNode c) throws Exception {
		ChatMessage m = MessageJson.fromWire(c.get("gossip_message_dict"));
		assertEquals(ReceiveResult.STORED, ctx.receive(CIRCLE, m, "gossip", null));
		assertEquals(ReceiveResult.DUPLICATE, ctx.receive(CIRCLE, m, "relay", null));

		ChatMessage atRest = home.store.messages().get(CIRCLE, m.msgId()).orElseThrow();
		assertEquals("", atRest.text());
		assertEquals("", atRest.displayName());
		assertEquals(m.enc(), atRest.enc(), "the received envelope is kept at rest");

		List<ChatMessage> page = home.node.history(CIRCLE, m.channelId(), null, 5);
		assertEquals(c.get("text").asText(), page.get(0).text());
		assertEquals(c.get("display_name").asText(), page.get(0).displayName());

		ChatMessage wire = ctx.wireCopy(CIRCLE, m.msgId()).orElseThrow();
		assertEquals(m.text(), wire.text());
		assertEquals(m.mac(), wire.mac(), "the wire copy carries the reference MAC");
		assertEquals(atRest.enc(), wire.enc(), "the stored envelope goes out as it is: no nonce spent per send");
		assertEquals(wire.enc(), ctx.wireCopy(CIRCLE, m.msgId()).orElseThrow().enc(), "the same on every send");
		assertEquals(2, wire.schemaVersion());
		home.settle();
		assertEquals(1, home.announced.size());
		assertEquals("gossip", home.origins.get(0));
	}

	@Test
	void schemaOneMessageGetsALocalEnvelopeAtRest() {
		ChatMessage legacy = new ChatMessage("5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f", CIRCLE, "general",
				"0123456789abcdef01234567", 1700000000L, "alice", "hello",
				"974dd442ac9b05da8b24471f7956eed3da0a896993df5471c26f7207787db162", 1, null);
		assertEquals(ReceiveResult.STORED, ctx.receive(CIRCLE, legacy, "relay", null));
		ChatMessage atRest = home.store.messages().get(CIRCLE, legacy.msgId()).orElseThrow();
		assertNotNull(atRest.enc());
		assertEquals("", atRest.text());
		assertEquals("hello", home.node.history(CIRCLE, "general", null, 1).get(0).text());
		assertEquals(legacy.mac(), ctx.wireCopy(CIRCLE, legacy.msgId()).orElseThrow().mac());

		assertEquals(ReceiveResult.REJECTED, ctx.receive(CIRCLE,
				legacy.withPlaintext("alice", "hello!").withMac(legacy.mac()), "relay", null), "tampered text");
		assertEquals(ReceiveResult.REJECTED,
				ctx.receive(CIRCLE, new ChatMessage("aa", CIRCLE, "general", "n", 1, "", "x", "", 1, null), "relay",
						null),
				"an empty MAC never verifies");
	}

	@Test
	void batchReceiveAppliesTheSameRulesPerMessageInOneGo() throws InterruptedException {
		ChatMessage legacy = new ChatMessage("5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f", CIRCLE, "general",
				"0123456789abcdef01234567", 1700000000L, "alice", "hello",
				"974dd442ac9b05da8b24471f7956eed3da0a896993df5471c26f7207787db162", 1, null);
		ChatMessage encrypted = MessageJson
				.fromWire(Vectors.cases("message_encryption.json").get(0).get("gossip_message_dict"));
		ChatMessage tampered = legacy.withPlaintext("alice", "hello!");
		assertEquals(ReceiveResult.STORED, ctx.receive(CIRCLE, encrypted, "gossip", null));

		List<ReceiveResult> results = ctx.receiveAll(CIRCLE, List.of(legacy, legacy, tampered, encrypted), "gossip",
				"peer");

		assertEquals(List.of(ReceiveResult.STORED, ReceiveResult.DUPLICATE, ReceiveResult.REJECTED,
				ReceiveResult.DUPLICATE), results);
		assertEquals("hello", home.node.history(CIRCLE, "general", null, 10).stream()
				.filter(m -> m.msgId().equals(legacy.msgId())).findFirst().orElseThrow().text());
		home.settle();
		assertEquals(2, home.announced.size(), "each stored message is announced once");
	}

	@Test
	void wrongOrUnknownCircleIsRejected() {
		ChatMessage m = MessageJson.fromWire(Vectors.cases("message_encryption.json").get(0).get("gossip_message_dict"));
		assertEquals(ReceiveResult.REJECTED, ctx.receive("9788bd2daf6c3207075c2bbe", m, "gossip", null),
				"handshake circle differs from the message's");
		ChatMessage other = new ChatMessage(m.msgId(), "9788bd2daf6c3207075c2bbe", m.channelId(), m.authorNodeId(),
				m.createdTs(), m.displayName(), m.text(), m.mac(), 2, m.enc());
		assertEquals(ReceiveResult.REJECTED, ctx.receive("9788bd2daf6c3207075c2bbe", other, "gossip", null),
				"a circle we are not in");
		assertFalse(home.store.messages().contains(CIRCLE, m.msgId()));
	}

	@Test
	void receivedControlEventIsApplied() throws Exception {
		JsonNode create = Vectors.cases("control_events.json").get(0);
		ChatMessage m = MessageJson.fromWire(create.get("message"));
		assertEquals(ReceiveResult.STORED, ctx.receive(CIRCLE, m, "gossip", null));
		assertTrue(home.node.channels(CIRCLE).stream().anyMatch(ch -> ch.channelId().equals("random")));
		assertTrue(home.node.members(CIRCLE).stream().anyMatch(mem -> mem.nodeId().equals(m.authorNodeId())),
				"the author becomes a known member");
	}

	@Test
	void ownNodeIsNeverRecordedAsADialablePeer() {
		String self = home.node.identity().nodeId();
		ctx.peerSeen(CIRCLE, new Peer(self, "10.0.0.1:9999", 5), "gossip");
		ctx.peerSeen(CIRCLE, new Peer("bbf62e8177bf53f94c4c67fd", "127.0.0.1:9998", 7), "gossip");
		ctx.peerSeen(CIRCLE, new Peer("cbf98fd76a33e3bafa5fc47a", "no-port", 8), "gossip");
		ctx.peerSeen(CIRCLE, new Peer("dbf98fd76a33e3bafa5fc47a", "10.0.0.2:1", Long.MAX_VALUE), "gossip");
		List<Peer> peers = home.store.state().peers(CIRCLE);
		assertTrue(peers.stream().noneMatch(p -> p.nodeId().equals(self)));
		assertTrue(peers.stream().anyMatch(p -> p.addr().equals("127.0.0.1:9998")));
		assertTrue(peers.stream().noneMatch(p -> p.addr().equals("no-port")), "an address without port is not kept");
		assertEquals(1767225600L,
				peers.stream().filter(p -> p.nodeId().startsWith("dbf")).findFirst().orElseThrow().lastSeen(),
				"a last_seen from the future is clamped to now");
		assertTrue(home.node.members(CIRCLE).stream().anyMatch(m -> m.nodeId().equals("cbf98fd76a33e3bafa5fc47a")),
				"a peer without a usable address is still a member");
	}

	@Test
	void reachabilityShowsInMembers() {
		ctx.peerSeen(CIRCLE, new Peer("bbf62e8177bf53f94c4c67fd", "127.0.0.1:9998", 7), "gossip");
		ctx.reachability(CIRCLE, "bbf62e8177bf53f94c4c67fd", "gossip", true);
		ctx.reachability(CIRCLE, "bbf62e8177bf53f94c4c67fd", "relay", true);
		ctx.reachability(CIRCLE, "bbf62e8177bf53f94c4c67fd", "relay", false);
		var bob = home.node.members(CIRCLE).stream().filter(m -> m.nodeId().startsWith("bbf")).findFirst().orElseThrow();
		assertEquals(java.util.Set.of("gossip"), bob.transports());
		assertEquals(1767225600L, bob.lastSeen());
	}
}
