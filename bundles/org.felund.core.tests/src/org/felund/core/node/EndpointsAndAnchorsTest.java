package org.felund.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.felund.api.anchor.AnchorPolicy;
import org.felund.api.control.AnchorAnnounce;
import org.felund.api.model.AnchorRecord;
import org.felund.api.model.ChatMessage;
import org.felund.api.transport.ReceiveResult;
import org.felund.api.node.NodeListener;
import org.felund.api.transport.Endpoint;
import org.felund.api.transport.TransportState;
import org.felund.protocol.invite.InviteCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Invite codes come from what transports advertise; the anchor policy decides what the node offers and uses. */
class EndpointsAndAnchorsTest {
	private static final long T0 = 1767225600L;

	@TempDir
	Path tmp;

	private static String peerOf(String code) {
		return InviteCodes.decode(code).peer();
	}

	@Test
	void invitesNameTheFirstDirectEndpointElseARelayAndAHintWins() throws Exception {
		try (TestHome a = new TestHome(tmp.resolve("a"), T0)) {
			String circle = a.node.createCircle("").circle().circleId();
			assertEquals("", a.node.createCircle("").inviteCode(), "no endpoint: the circle is made, without a code");
			IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
					() -> a.node.inviteCode(circle, null));
			assertTrue(none.getMessage().contains("No transport advertises"), none.getMessage());

			StubTransport relay = new StubTransport("relay");
			relay.configured.add(new Endpoint("relay", Endpoint.Kind.RELAY, "https://relay.example.org"));
			a.node.attach(relay);
			assertEquals("https://relay.example.org", peerOf(a.node.inviteCode(circle, null)));

			StubTransport gossip = StubTransport.direct("192.0.2.7:9999");
			a.node.attach(gossip);
			assertEquals("192.0.2.7:9999", peerOf(a.node.inviteCode(circle, null)), "direct first");
			gossip.context.advertise("gossip", List.of(new Endpoint("gossip", Endpoint.Kind.DIRECT, "10.1.2.3:40000")));
			assertEquals("10.1.2.3:40000", peerOf(a.node.inviteCode(circle, null)), "what it listens on wins");
			assertEquals("127.0.0.1:1", peerOf(a.node.inviteCode(circle, "127.0.0.1:1")), "a hint wins");
			assertEquals(List.of(new Endpoint("relay", Endpoint.Kind.RELAY, "https://relay.example.org"),
					new Endpoint("gossip", Endpoint.Kind.DIRECT, "10.1.2.3:40000")), a.node.endpoints());

			assertThrows(IllegalArgumentException.class, () -> gossip.context.advertise("gossip",
					List.of(new Endpoint("gossip", Endpoint.Kind.DIRECT, "no port"))));
			assertThrows(IllegalArgumentException.class, () -> gossip.context.advertise("gossip",
					List.of(new Endpoint("relay", Endpoint.Kind.RELAY, "https://x.example"))), "another's endpoint");
			assertThrows(IllegalArgumentException.class, () -> gossip.context.advertise("webrtc",
					List.of(new Endpoint("webrtc", Endpoint.Kind.DIRECT, "10.1.2.3:40001"))), "not attached");
			gossip.context.advertise("webrtc", List.of()); // withdrawing is harmless, also for one not attached

			gossip.context.advertise("gossip", List.of()); // withdrawn: the relay is left
			assertEquals("https://relay.example.org", peerOf(a.node.inviteCode(circle, null)));
			a.node.detach(relay);
			assertThrows(IllegalArgumentException.class, () -> a.node.inviteCode(circle, null));
		}
	}

	@Test
	void aTransportThatWithdrawsItsEndpointsWhileDetachingDetachesCleanly() throws Exception {
		StubTransport byDetach = StubTransport.direct("192.0.2.7:9999");
		byDetach.withdrawsOnDetach = true;
		StubTransport byClose = new StubTransport("relay");
		byClose.withdrawsOnDetach = true;
		try (TestHome a = new TestHome(tmp.resolve("a"), T0)) {
			a.node.attach(byDetach);
			a.node.attach(byClose);
			byDetach.context.advertise("gossip", List.of(new Endpoint("gossip", Endpoint.Kind.DIRECT, "10.1.2.3:4")));
			a.node.detach(byDetach);
			assertEquals(List.of("attach", "detach"), byDetach.calls, "detached to the end");
			assertTrue(a.node.endpoints().stream().noneMatch(e -> e.transportId().equals("gossip")),
					a.node.endpoints().toString());
		}
		assertEquals(List.of("attach", "detach"), byClose.calls, "closing the node detaches it to the end");
	}

	@Test
	void aDetachedTransportIsAnnouncedAsRemoved() throws Exception {
		List<String> events = new CopyOnWriteArrayList<>();
		try (TestHome a = new TestHome(tmp.resolve("a"), T0)) {
			a.node.addListener(new NodeListener() {
				@Override
				public void transportChanged(String transportId, TransportState state) {
					events.add("changed " + transportId + " " + state.mode());
				}

				@Override
				public void transportRemoved(String transportId) {
					events.add("removed " + transportId);
				}
			});
			StubTransport gossip = StubTransport.direct("192.0.2.7:9999");
			a.node.attach(gossip);
			a.node.detach(gossip);
			a.node.detach(gossip);
			a.settle();
			assertEquals(List.of("changed gossip LIVE", "removed gossip"), events);
			assertTrue(a.node.transports().isEmpty());
		}
	}

	private static final class RecordingPolicy implements AnchorPolicy {
		final List<List<AnchorRecord>> seen = new CopyOnWriteArrayList<>();
		volatile boolean offer;

		@Override
		public Optional<String> select(String circleId, List<AnchorRecord> candidates, long nowSeconds) {
			seen.add(candidates);
			return candidates.stream().filter(AnchorRecord::canAnchor).map(AnchorRecord::nodeId).findFirst();
		}

		@Override
		public boolean offersAnchor() {
			return offer;
		}

		@Override
		public boolean exchangeWith(String circleId, String peerNodeId, boolean peerCanAnchor) {
			return peerCanAnchor && peerNodeId.startsWith("b");
		}
	}

	@Test
	void theAnchorPolicyDecidesAndWithoutOneTheNodeOffersNothing() throws Exception {
		try (TestHome a = new TestHome(tmp.resolve("a"), T0); TestHome b = new TestHome(tmp.resolve("b"), T0)) {
			var ctx = a.node.context();
			assertFalse(ctx.canAnchor());
			assertTrue(ctx.exchangeAnchorWith("c", "x", true), "without a policy any peer that offers");
			assertFalse(ctx.exchangeAnchorWith("c", "x", false));

			String circle = a.node.createCircle("").circle().circleId();
			b.node.joinCircle(a.node.inviteCode(circle, "127.0.0.1:9999"));
			RecordingPolicy policy = new RecordingPolicy();
			a.node.setAnchorPolicy(policy);
			assertFalse(ctx.canAnchor());
			policy.offer = true;
			assertTrue(ctx.canAnchor());
			assertTrue(ctx.exchangeAnchorWith(circle, "bb", true));
			assertFalse(ctx.exchangeAnchorWith(circle, "xx", true));

			b.node.controlEvents().send(circle, new AnchorAnnounce(b.node.nodeId(), T0, true, false, false));
			b.settle();
			a.node.context().receiveAll(circle, List.copyOf(b.announced), "gossip", b.node.nodeId());
			assertEquals(Optional.of(b.node.nodeId()), a.node.selectedAnchor(circle));
			assertEquals(b.node.nodeId(), policy.seen.get(policy.seen.size() - 1).get(0).nodeId());

			a.node.setAnchorPolicy(null);
			assertFalse(ctx.canAnchor());
			assertTrue(a.node.selectedAnchor(circle).isEmpty());
		}
	}

	@Test
	void anAnchorWhoseConnectionDropsCountsAsLiveForAGraceAndAsGoneAfterIt() throws Exception {
		try (TestHome a = new TestHome(tmp.resolve("a"), T0); TestHome b = new TestHome(tmp.resolve("b"), T0)) {
			String circle = a.node.createCircle("").circle().circleId();
			b.node.joinCircle(a.node.inviteCode(circle, "127.0.0.1:9999"));
			RecordingPolicy policy = new RecordingPolicy();
			a.node.setAnchorPolicy(policy);
			b.node.controlEvents().send(circle, new AnchorAnnounce(b.node.nodeId(), T0, true, false, false));
			b.settle();
			a.node.context().receiveAll(circle, List.copyOf(b.announced), "gossip", b.node.nodeId());
			String bId = b.node.nodeId();
			var ctx = a.node.context();
			ctx.reachability(circle, bId, "gossip", true);
			a.clock.set(T0 + 30);
			a.node.routeTick();
			assertEquals(T0 + 30, lastSeenOf(policy, bId), "reached now: seen now");

			ctx.reachability(circle, bId, "gossip", false); // the live connection closes
			a.clock.set(T0 + 30 + Anchors.LOST_GRACE_SECONDS - 1);
			a.node.routeTick();
			assertEquals(T0 + 30, lastSeenOf(policy, bId), "within the grace it counts as seen when it was lost");
			ctx.reachability(circle, bId, "gossip", true); // dialled again
			a.clock.set(T0 + 30 + Anchors.LOST_GRACE_SECONDS + 1);
			a.node.routeTick();
			assertEquals(T0 + 30 + Anchors.LOST_GRACE_SECONDS + 1, lastSeenOf(policy, bId));

			ctx.reachability(circle, bId, "gossip", false); // and now it is gone for good
			long lostAt = T0 + 30 + Anchors.LOST_GRACE_SECONDS + 1;
			a.clock.set(lostAt + Anchors.LOST_GRACE_SECONDS);
			a.node.routeTick();
			assertEquals(0, lastSeenOf(policy, bId), "after the grace: gone, without waiting for the staleness limit");
		}
	}

	private static long lastSeenOf(RecordingPolicy policy, String nodeId) {
		List<AnchorRecord> last = policy.seen.get(policy.seen.size() - 1);
		return last.stream().filter(r -> r.nodeId().equals(nodeId)).findFirst().orElseThrow().lastSeenTs();
	}

	@Test
	void aForgedAnchorAnnounceFromANonMemberIsDroppedAndChangesNoChoice() throws Exception {
		try (TestHome a = new TestHome(tmp.resolve("a"), T0); TestHome outsider = new TestHome(tmp.resolve("x"), T0)) {
			String circle = a.node.createCircle("").circle().circleId();
			RecordingPolicy policy = new RecordingPolicy();
			a.node.setAnchorPolicy(policy);
			// The outsider has no secret of a's circle: it announces in a circle of its own and re-labels the message.
			String own = outsider.node.createCircle("").circle().circleId();
			outsider.clearAnnounced();
			outsider.node.controlEvents().send(own, new AnchorAnnounce(outsider.node.nodeId(), T0, true, false, true));
			outsider.settle();
			List<ChatMessage> forged = new java.util.ArrayList<>();
			for (ChatMessage m : outsider.announced) {
				forged.add(new ChatMessage(m.msgId(), circle, m.channelId(), m.authorNodeId(), m.createdTs(),
						m.displayName(), m.text(), m.mac(), m.schemaVersion(), m.enc()));
				// and a plaintext one, without MAC or envelope
				forged.add(new ChatMessage(m.msgId() + "0", circle, ChatMessage.CONTROL, m.authorNodeId(), m.createdTs(), "",
						"{\"announced_at\":" + T0 + ",\"capabilities\":{\"can_anchor\":true,\"is_mobile\":false,"
								+ "\"public_reachable\":true},\"node_id\":\"" + outsider.node.nodeId()
								+ "\",\"t\":\"ANCHOR_ANNOUNCE\"}", "", 1, null));
			}
			assertFalse(forged.isEmpty());
			List<ReceiveResult> results = a.node.context().receiveAll(circle, forged, "gossip", outsider.node.nodeId());
			assertTrue(results.stream().allMatch(r -> r == ReceiveResult.REJECTED), results.toString());
			assertTrue(a.node.context().state().anchors(circle).isEmpty(), "no anchor record from a non-member");
			assertTrue(a.node.anchors(circle).isEmpty());
			assertTrue(a.node.selectedAnchor(circle).isEmpty());
		}
	}
}
