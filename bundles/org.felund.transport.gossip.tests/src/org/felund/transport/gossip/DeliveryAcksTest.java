package org.felund.transport.gossip;

import static org.felund.transport.gossip.GossipTestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.felund.api.model.Delivery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delivery state of own messages as gossip reports it: a message stays "sent" while no peer has it, and becomes
 * "delivered" (with the peer and the route) once a peer acknowledged it: by the pong after a live push, by the ids of a
 * reference peer's MSGS_HAVE, or by an anchor's ANCHOR_PUSH_ACK.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeliveryAcksTest {
	static final String SECRET = GossipNetworkTest.SECRET;
	static final String CIRCLE = GossipNetworkTest.CIRCLE;

	@TempDir
	Path tmp;

	private static Delivery state(GossipTestNode n, String msgId) {
		return n.node.delivery(CIRCLE, msgId).orElseThrow();
	}

	@Test
	void aMessageStaysSentWhileAloneAndIsDeliveredWhenAPeerHasIt() throws Exception {
		try (GossipTestNode a = GossipTestNode.start(tmp.resolve("a"), GossipTestNode.fast());
				GossipTestNode b = GossipTestNode.start(tmp.resolve("b"), GossipTestNode.fast())) {
			a.node.joinCircle(SECRET, "");
			b.node.joinCircle(SECRET, "");
			String alone = a.node.send(CIRCLE, "general", "nobody is here").msgId();
			Thread.sleep(300);
			assertEquals(Delivery.Status.SENT, state(a, alone).status());
			assertTrue(state(a, alone).hops().isEmpty());

			assertTrue(b.gossip.syncWith(CIRCLE, a.addr()).get(20, TimeUnit.SECONDS).live());
			await("delivery of the message written while alone", Duration.ofSeconds(10),
					() -> state(a, alone).status() == Delivery.Status.DELIVERED);
			Delivery.Hop hop = state(a, alone).hops().get(0);
			assertEquals(List.of("gossip", b.nodeId(), "DIRECT"), List.of(hop.transportId(), hop.peer(), hop.route().name()));

			String live = a.node.send(CIRCLE, "general", "pushed live").msgId();
			await("delivery of a live push", Duration.ofSeconds(5),
					() -> state(a, live).status() == Delivery.Status.DELIVERED);
			assertTrue(b.store.messages().contains(CIRCLE, live), "acknowledged only once the peer has it");
			assertTrue(b.node.delivery(CIRCLE, live).isEmpty(), "others' messages have no delivery state");
		}
	}

	@Test
	void referencePeersAcknowledgeWithTheirHaveList() throws Exception {
		GossipOptions reference = GossipTestNode.fast().withExtensions(false);
		try (GossipTestNode a = GossipTestNode.start(tmp.resolve("a"), reference);
				GossipTestNode b = GossipTestNode.start(tmp.resolve("b"), reference)) {
			a.node.joinCircle(SECRET, "");
			b.node.joinCircle(SECRET, "");
			String id = a.node.send(CIRCLE, "general", "for a reference peer").msgId();
			assertNull(b.gossip.syncWith(CIRCLE, a.addr()).get(20, TimeUnit.SECONDS).error());
			assertTrue(b.store.messages().contains(CIRCLE, id));
			// The have lists cross before the messages do: the next sync tells a that b has it.
			assertNull(b.gossip.syncWith(CIRCLE, a.addr()).get(20, TimeUnit.SECONDS).error());
			await("delivery from MSGS_HAVE", Duration.ofSeconds(5),
					() -> state(a, id).status() == Delivery.Status.DELIVERED);
			assertEquals(b.nodeId(), state(a, id).hops().get(0).peer());
		}
	}

	@Test
	void anAnchorsPushAckDeliversToTheAnchor() throws Exception {
		GossipOptions reference = GossipTestNode.fast().withExtensions(false);
		try (GossipTestNode anchor = GossipTestNode.start(tmp.resolve("anchor"), reference, null, true);
				GossipTestNode b = GossipTestNode.start(tmp.resolve("b"), reference)) {
			anchor.node.joinCircle(SECRET, "");
			b.node.joinCircle(SECRET, "");
			String id = b.node.send(CIRCLE, "general", "keep this for the others").msgId();
			assertNull(b.gossip.syncWith(CIRCLE, anchor.addr()).get(20, TimeUnit.SECONDS).error());
			await("delivery from ANCHOR_PUSH_ACK", Duration.ofSeconds(5),
					() -> state(b, id).hops().stream().anyMatch(h -> h.route() == Delivery.Route.ANCHOR));
			assertTrue(state(b, id).hops().stream()
					.anyMatch(h -> h.route() == Delivery.Route.ANCHOR && h.peer().equals(anchor.nodeId())));
		}
	}
}
