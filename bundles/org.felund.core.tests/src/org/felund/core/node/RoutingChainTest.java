package org.felund.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.felund.api.anchor.AnchorPolicy;
import org.felund.api.model.AnchorRecord;
import org.felund.api.model.Delivery;
import org.felund.api.node.NodeListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's routing chain for its own messages: nobody accepted a message → the chosen anchor, the next anchor, the
 * relay, direct again, then a longer pause; a delivery ends the chase, is persisted with its path, and an undelivered
 * message is chased again after a restart.
 */
class RoutingChainTest {
	private static final long T0 = 1767225600L;
	private static final String ANCHOR_1 = "a1a1a1a1a1a1a1a1a1a1a1a1";
	private static final String ANCHOR_2 = "b2b2b2b2b2b2b2b2b2b2b2b2";

	@TempDir
	Path tmp;

	/** A transport that can take the given routes and records every step the router asks of it. */
	static final class RoutingStub extends StubTransport {
		final Set<Delivery.Route> routes;
		final List<String> steps = new CopyOnWriteArrayList<>();

		RoutingStub(String id, Set<Delivery.Route> routes) {
			super(id);
			this.routes = routes;
		}

		@Override
		public boolean route(String circleId, String msgId, Delivery.Route route, String targetNodeId) {
			if (!routes.contains(route)) {
				return false;
			}
			steps.add(route + (targetNodeId == null ? "" : " " + targetNodeId));
			return true;
		}
	}

	/** Two anchors in a fixed order, whatever the records say. */
	static final class FixedAnchors implements AnchorPolicy {
		@Override
		public Optional<String> select(String circleId, List<AnchorRecord> candidates, long nowSeconds) {
			return Optional.of(ANCHOR_1);
		}

		@Override
		public List<String> order(String circleId, List<AnchorRecord> candidates, long nowSeconds) {
			return List.of(ANCHOR_1, ANCHOR_2);
		}
	}

	private TestHome home(String name) {
		return new TestHome(tmp.resolve(name), new AtomicLong(T0),
				NodeOptions.oneShot().withRouting(Duration.ofMillis(40), Duration.ofMillis(400)));
	}

	private static void await(String what, BooleanSupplier condition) throws InterruptedException {
		long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > end) {
				throw new AssertionError("Timed out waiting for " + what);
			}
			Thread.sleep(10);
		}
	}

	@Test
	void anUnacceptedMessageTakesTheChainInOrderUntilSomeoneAcceptsIt() throws Exception {
		List<String> anchorEvents = new CopyOnWriteArrayList<>();
		List<Delivery> told = new CopyOnWriteArrayList<>();
		try (TestHome a = home("a")) {
			String circle = a.node.createCircle("").circle().circleId();
			a.node.addListener(new NodeListener() {
				@Override
				public void anchorsChanged(String circleId, List<String> anchors) {
					anchorEvents.add(circleId + " " + anchors);
				}

				@Override
				public void messageDelivered(Delivery delivery) {
					told.add(delivery);
				}
			});
			RoutingStub gossip = new RoutingStub("gossip", Set.of(Delivery.Route.DIRECT, Delivery.Route.ANCHOR));
			RoutingStub relay = new RoutingStub("relay", Set.of(Delivery.Route.RELAY));
			a.node.attach(gossip);
			a.node.attach(relay);
			a.node.setAnchorPolicy(new FixedAnchors());
			await("the anchors", () -> a.node.anchors(circle).equals(List.of(ANCHOR_1, ANCHOR_2)));
			a.settle();
			assertEquals(List.of(circle + " " + List.of(ANCHOR_1, ANCHOR_2)), anchorEvents);

			String id = a.node.send(circle, "general", "anyone?").msgId();
			assertEquals(Delivery.Status.SENT, a.node.delivery(circle, id).orElseThrow().status());
			await("two rounds of the chain", () -> gossip.steps.size() >= 6);
			List<String> firstRound = new ArrayList<>(gossip.steps.subList(0, 3));
			assertEquals(List.of("ANCHOR " + ANCHOR_1, "ANCHOR " + ANCHOR_2, "DIRECT"), firstRound);
			assertTrue(relay.steps.contains("RELAY"), relay.steps.toString());

			// The relay accepts it: the chase ends and the path is kept.
			relay.context.delivered(circle, id, "relay", "http://127.0.0.1:1", Delivery.Route.RELAY);
			// A member that is an anchor of the circle reports a direct delivery: it is counted as the anchor.
			gossip.context.delivered(circle, id, "gossip", ANCHOR_1, Delivery.Route.DIRECT);
			Delivery d = a.node.delivery(circle, id).orElseThrow();
			assertEquals(Delivery.Status.DELIVERED, d.status());
			assertEquals(List.of(Delivery.Route.RELAY, Delivery.Route.ANCHOR), d.hops().stream().map(Delivery.Hop::route).toList());
			int stepsThen = gossip.steps.size() + relay.steps.size();
			Thread.sleep(500); // more than the longest pause of the chain
			assertEquals(stepsThen, gossip.steps.size() + relay.steps.size(), "a delivered message is not chased");
			a.settle();
			assertEquals(2, told.size());
			assertEquals(d, told.get(1));

			// Not our message, a control event, an unknown id: no delivery state.
			gossip.context.delivered(circle, "no-such-message", "gossip", ANCHOR_2, Delivery.Route.DIRECT);
			assertTrue(a.node.delivery(circle, "no-such-message").isEmpty());
		}
	}

	@Test
	void deliveriesSurviveARestartAndUndeliveredMessagesAreChasedAgain() throws Exception {
		String circle;
		String delivered;
		String pending;
		try (TestHome a = home("a")) {
			circle = a.node.createCircle("").circle().circleId();
			RoutingStub relay = new RoutingStub("relay", Set.of(Delivery.Route.RELAY));
			a.node.attach(relay);
			delivered = a.node.send(circle, "general", "this one arrives").msgId();
			pending = a.node.send(circle, "general", "this one does not").msgId();
			relay.context.delivered(circle, delivered, "relay", "http://127.0.0.1:1", Delivery.Route.RELAY);
		}
		try (TestHome again = home("a")) {
			RoutingStub relay = new RoutingStub("relay", Set.of(Delivery.Route.RELAY));
			again.node.attach(relay);
			Delivery kept = again.node.delivery(circle, delivered).orElseThrow();
			assertEquals(Delivery.Status.DELIVERED, kept.status());
			assertEquals("http://127.0.0.1:1", kept.hops().get(0).peer());
			assertEquals(Delivery.Status.SENT, again.node.delivery(circle, pending).orElseThrow().status());
			await("the undelivered message chased after the restart", () -> !relay.steps.isEmpty());
			assertEquals(Set.of(Delivery.Status.DELIVERED, Delivery.Status.SENT),
					Set.copyOf(again.node.deliveries(circle, List.of(delivered, pending)).values().stream()
							.map(Delivery::status).toList()));
		}
	}

	@Test
	void aMessageAnotherProcessWroteOnThisHomeIsChasedByTheRunningNodesRouter() throws Exception {
		try (TestHome running = home("a")) {
			String circle = running.node.createCircle("").circle().circleId();
			RoutingStub relay = new RoutingStub("relay", Set.of(Delivery.Route.RELAY));
			running.node.attach(relay);
			String own = running.node.send(circle, "general", "written by the running node").msgId();
			relay.context.delivered(circle, own, "relay", "http://127.0.0.1:1", Delivery.Route.RELAY);
			String elsewhere;
			// A CLI send beside the running node: its own process, the same home, transports detached.
			try (TestHome cli = new TestHome(tmp.resolve("a"), new AtomicLong(T0), NodeOptions.oneShot())) {
				elsewhere = cli.node.send(circle, "general", "written by the CLI beside it").msgId();
			}
			running.node.routeTrace(true);
			running.node.pollChangeFeed();
			await("the running node to chase it",
					() -> running.node.routeTrace(true).contains(elsewhere + " relay relay"));
			assertEquals(Delivery.Status.SENT, running.node.delivery(circle, elsewhere).orElseThrow().status());
			relay.context.delivered(circle, elsewhere, "relay", "http://127.0.0.1:1", Delivery.Route.RELAY);
			assertEquals(Delivery.Status.DELIVERED, running.node.delivery(circle, elsewhere).orElseThrow().status());
			int steps = relay.steps.size();
			running.node.pollChangeFeed();
			Thread.sleep(500); // more than the longest pause of the chain
			assertEquals(steps, relay.steps.size(), "delivered, and read from the feed once: not chased again");
		}
	}
}
