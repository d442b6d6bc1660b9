package org.felund.transport.webrtc;

import static org.felund.transport.webrtc.WebRtcTestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.felund.api.anchor.AnchorPolicy;
import org.felund.api.crypto.CircleCrypto;
import org.felund.api.model.AnchorRecord;
import org.felund.api.model.ChatMessage;
import org.felund.api.model.Delivery;
import org.felund.core.node.NodeOptions;
import org.felund.protocol.wire.MessageJson;
import org.felund.webrtc.RtcRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * WebRTC as a step of the node's routing chain (issue 13): where a DataChannel to the recipient is open, the router's
 * {@code DIRECT} and {@code ANCHOR} steps take it, and a Felund peer's acknowledgement (its {@code X_PONG} after our
 * messages) gives the message a delivery hop that names the channel: {@code webrtc → peer}, route direct, or anchor
 * when the peer is one of the circle's anchors. Real nodes, the real relay for signaling only (no relay transport, so
 * no other hop can be reported) and real webrtc-java DataChannels over the loopback workaround.
 */
class WebRtcRoutingTest {
	private static final Duration WAIT = Duration.ofSeconds(20);
	private static RtcRuntime runtime;

	@TempDir
	Path tmp;

	@BeforeAll
	static void startRuntime() {
		runtime = new RtcRuntime();
	}

	@AfterAll
	static void stopRuntime() {
		runtime.close();
	}

	/** The given node is the circle's only anchor, whatever the records say (the election is tested elsewhere). */
	private record AnchorIs(String nodeId) implements AnchorPolicy {
		@Override
		public Optional<String> select(String circleId, List<AnchorRecord> candidates, long nowSeconds) {
			return Optional.of(nodeId);
		}
	}

	@Test
	void messagesAPeerAcknowledgesOverTheChannelAreDeliveredWithTheWebRtcHop() throws Exception {
		try (TestRelay relay = new TestRelay(tmp.resolve("relay.db")).start();
				WebRtcTestNode a = WebRtcTestNode.create(tmp.resolve("a"));
				WebRtcTestNode b = WebRtcTestNode.create(tmp.resolve("b"))) {
			String circle = WebRtcTestNode.shareCircle(a, b, "club");
			a.node.setAnchorPolicy(new AnchorIs(b.nodeId()));
			a.registerWith(relay.url(), circle);
			b.registerWith(relay.url(), circle);
			// Written before any channel: the reconciliation on open carries it, and the ping after it acknowledges.
			ChatMessage early = a.node.send(circle, ChatMessage.GENERAL, "written before the channel");
			assertEquals(Delivery.Status.SENT, a.node.delivery(circle, early.msgId()).orElseThrow().status());
			a.withWebRtc(runtime, WebRtcTestNode.fast(relay.url()));
			b.withWebRtc(runtime, WebRtcTestNode.fast(relay.url()));
			await("a channel both ways", WAIT, () -> a.channelTo(b, circle) && b.channelTo(a, circle),
					() -> a.webrtc.state() + " / " + b.webrtc.state());

			List<ChatMessage> fromA = new ArrayList<>(List.of(early));
			List<ChatMessage> fromB = new ArrayList<>();
			for (int i = 0; i < 10; i++) {
				fromA.add(a.node.send(circle, ChatMessage.GENERAL, "a" + i));
				fromB.add(b.node.send(circle, ChatMessage.GENERAL, "b" + i));
			}
			await("A's messages delivered", WAIT, () -> allDelivered(a, circle, fromA),
					() -> a.node.deliveries(circle, ids(fromA)).toString());
			await("B's messages delivered", WAIT, () -> allDelivered(b, circle, fromB),
					() -> b.node.deliveries(circle, ids(fromB)).toString());
			// B is A's anchor: A's path says so; B has no anchor, so its path to A is direct.
			for (ChatMessage m : fromA) {
				assertPath(a, circle, m, b.nodeId(), Delivery.Route.ANCHOR);
			}
			for (ChatMessage m : fromB) {
				assertPath(b, circle, m, a.nodeId(), Delivery.Route.DIRECT);
			}
			// Messages of others are not tracked: B's messages have no delivery state at A.
			assertTrue(a.node.delivery(circle, fromB.get(0).msgId()).isEmpty());
		}
	}

	@Test
	void theRoutingStepsTakeTheOpenChannelToTheRecipientAndNothingElse() throws Exception {
		try (TestRelay relay = new TestRelay(tmp.resolve("relay.db")).start();
				WebRtcTestNode a = WebRtcTestNode.create(tmp.resolve("a"));
				WebRtcTestNode b = WebRtcTestNode.create(tmp.resolve("b"))) {
			String circle = WebRtcTestNode.shareCircle(a, b, "club");
			String otherCircle = a.node.createCircle("other").circle().circleId();
			a.node.setAnchorPolicy(new AnchorIs(b.nodeId()));
			a.registerWith(relay.url(), circle);
			b.registerWith(relay.url(), circle);
			a.withWebRtc(runtime, WebRtcTestNode.fast(relay.url()));
			String before = a.node.send(circle, ChatMessage.GENERAL, "no channel yet").msgId();
			assertFalse(a.webrtc.route(circle, before, Delivery.Route.DIRECT, null), "no channel: no direct step");
			assertFalse(a.webrtc.route(circle, before, Delivery.Route.ANCHOR, b.nodeId()), "no channel to the anchor");
			b.withWebRtc(runtime, WebRtcTestNode.fast(relay.url()));
			await("a channel both ways", WAIT, () -> a.channelTo(b, circle) && b.channelTo(a, circle),
					() -> a.webrtc.state() + " / " + b.webrtc.state());

			// Another process on A's home (a CLI send beside the running node) writes a message: A's transports never
			// saw it, so only a routing step can carry it.
			String unseen;
			try (WebRtcTestNode cli = WebRtcTestNode.create(tmp.resolve("a"))) {
				unseen = cli.node.send(circle, ChatMessage.GENERAL, "written by another process").msgId();
			}
			Thread.sleep(500);
			assertFalse(b.has(circle, unseen), "nothing but a routing step sends it");
			assertFalse(a.webrtc.route(circle, unseen, Delivery.Route.RELAY, null), "the relay step is not WebRTC's");
			assertFalse(a.webrtc.route(circle, unseen, Delivery.Route.ANCHOR, "ffffffffffffffffffffffff"),
					"no channel to that anchor");
			assertFalse(a.webrtc.route(otherCircle, unseen, Delivery.Route.DIRECT, null), "no channel in that circle");
			assertFalse(a.webrtc.route(circle, unseen, Delivery.Route.ANCHOR, a.nodeId()), "never to itself");

			assertTrue(a.webrtc.route(circle, unseen, Delivery.Route.ANCHOR, b.nodeId()));
			await("the anchor to get it over the channel", WAIT, () -> b.has(circle, unseen));
			await("its delivery with the channel's hop", WAIT,
					() -> a.node.delivery(circle, unseen).orElseThrow().status() == Delivery.Status.DELIVERED);
			assertPath(a, circle, a.store.messages().get(circle, unseen).orElseThrow(), b.nodeId(),
					Delivery.Route.ANCHOR);

			// The direct step: every open channel of the circle.
			String unseenToo;
			try (WebRtcTestNode cli = WebRtcTestNode.create(tmp.resolve("a"))) {
				unseenToo = cli.node.send(circle, ChatMessage.GENERAL, "written by another process, too").msgId();
			}
			assertTrue(a.webrtc.route(circle, unseenToo, Delivery.Route.DIRECT, null));
			await("the peer to get it over the channel", WAIT, () -> b.has(circle, unseenToo));
			await("its delivery", WAIT,
					() -> a.node.delivery(circle, unseenToo).orElseThrow().status() == Delivery.Status.DELIVERED);

			a.webrtc.dropChannels("test: the network went away");
			await("the channel to be gone", WAIT, () -> !a.channelTo(b, circle));
			assertFalse(a.webrtc.route(circle, unseen, Delivery.Route.ANCHOR, b.nodeId()), "a closed channel");
		}
	}

	@Test
	void theRouterTakesABrowsersOpenChannelButAWebClientNeverCountsAsADelivery() throws Exception {
		try (TestRelay relay = new TestRelay(tmp.resolve("relay.db")).start();
				WebRtcTestNode a = WebRtcTestNode.create(tmp.resolve("a"),
						NodeOptions.oneShot().withRouting(Duration.ofMillis(100), Duration.ofMillis(400)))) {
			String circle = a.node.createCircle("club").circle().circleId();
			CircleCrypto crypto = a.node.context().circle(circle).orElseThrow().crypto();
			a.registerWith(relay.url(), circle);
			WebRtcTestNode.register(relay.url(), WebClientPeer.NODE_ID, crypto);
			a.withWebRtc(runtime, WebRtcTestNode.fast(relay.url()));
			try (WebClientPeer browser = new WebClientPeer(runtime, relay.url())) {
				browser.connect(a.nodeId(), crypto.circleHint());
				browser.authenticate(crypto);
				await("the browser's channel", WAIT, () -> a.webrtc.openChannels().containsKey(WebClientPeer.NODE_ID));
				a.node.routeTrace(true);

				String id = a.node.send(circle, ChatMessage.GENERAL, "to the browser").msgId();
				// The live push, then the router's direct step over the same channel (nobody acknowledged it).
				int copies = 0;
				long end = System.nanoTime() + WAIT.toNanos();
				while (copies < 2 && System.nanoTime() < end) {
					JsonNode f = browser.received.poll(100, TimeUnit.MILLISECONDS);
					if (f != null && "MSG_NEW".equals(f.path("type").asText())
							&& id.equals(MessageJson.fromRelayEnvelope(f.get("message")).msgId())) {
						copies++;
					}
				}
				assertEquals(2, copies, "the live push and the router's step");
				assertTrue(a.node.routeTrace(true).contains(id + " direct webrtc"), a.node.routeTrace(true).toString());
				// The web client's protocol has no acknowledgement: the message stays sent (the relay would take it).
				assertEquals(Delivery.Status.SENT, a.node.delivery(circle, id).orElseThrow().status());
			}
		}
	}

	private static boolean allDelivered(WebRtcTestNode n, String circle, List<ChatMessage> messages) {
		return n.node.deliveries(circle, ids(messages)).values().stream()
				.filter(d -> d.status() == Delivery.Status.DELIVERED).count() == messages.size();
	}

	private static List<String> ids(List<ChatMessage> messages) {
		return messages.stream().map(ChatMessage::msgId).toList();
	}

	private static void assertPath(WebRtcTestNode n, String circle, ChatMessage m, String peer, Delivery.Route route) {
		Delivery d = n.node.delivery(circle, m.msgId()).orElseThrow();
		assertEquals(Delivery.Status.DELIVERED, d.status());
		assertEquals(1, d.hops().size(), d.toString());
		Delivery.Hop hop = d.hops().get(0);
		assertEquals(WebRtcTransport.ID, hop.transportId());
		assertEquals(peer, hop.peer());
		assertEquals(route, hop.route(), d.toString());
		assertTrue(hop.describe().startsWith("webrtc \u2192 "), hop.describe());
	}
}
