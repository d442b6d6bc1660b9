package org.felund.transport.relay;

import static org.felund.transport.relay.RelayTestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.felund.api.model.ChatMessage;
import org.felund.api.transport.Endpoint;
import org.felund.api.transport.TransportState.Mode;
import org.felund.relay.server.SignaturePolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node on two real relays carries messages between members that share only one relay each with it. */
class MultiRelayTest {
	private static final Duration WAIT = Duration.ofSeconds(20);

	@TempDir
	Path tmp;

	@Test
	void aNodeOnTwoRelaysBridgesMembersThatShareOnlyOneWithIt() throws Exception {
		try (TestRelay first = new TestRelay(tmp.resolve("r1.db"), SignaturePolicy.STRICT, Duration.ofSeconds(15))
				.start();
				TestRelay second = new TestRelay(tmp.resolve("r2.db"), SignaturePolicy.STRICT, Duration.ofSeconds(15))
						.start();
				RelayTestNode hub = RelayTestNode.create(tmp.resolve("hub"));
				RelayTestNode left = RelayTestNode.create(tmp.resolve("left"));
				RelayTestNode right = RelayTestNode.create(tmp.resolve("right"))) {
			String circle = hub.node.createCircle("bridge").circle().circleId();
			left.node.joinCircle(hub.node.inviteCode(circle, "127.0.0.1:1"));
			right.node.joinCircle(hub.node.inviteCode(circle, "127.0.0.1:1"));
			hub.attach(RelayTestNode.fast(first.url()).withUrls(List.of(first.url(), second.url())));
			left.attach(RelayTestNode.fast(first.url()));
			right.attach(RelayTestNode.fast(second.url()));

			assertEquals(List.of(new Endpoint("relay", Endpoint.Kind.RELAY, first.url()),
					new Endpoint("relay", Endpoint.Kind.RELAY, second.url())), hub.context[0].endpoints());
			await("the hub to reach both relays", WAIT, () -> hub.mode() != Mode.OFFLINE);

			ChatMessage fromLeft = left.node.send(circle, ChatMessage.GENERAL, "left, by the first relay only");
			ChatMessage fromRight = right.node.send(circle, ChatMessage.GENERAL, "right, by the second relay only");
			await("right to get left's message through the hub", WAIT, () -> right.has(circle, fromLeft.msgId()));
			await("left to get right's message through the hub", WAIT, () -> left.has(circle, fromRight.msgId()));
			ChatMessage fromHub = hub.node.send(circle, ChatMessage.GENERAL, "the hub, to both");
			await("both to get the hub's own message", WAIT,
					() -> left.has(circle, fromHub.msgId()) && right.has(circle, fromHub.msgId()));
			assertTrue(hub.relay.state().detail().contains(first.url()) && hub.relay.state().detail().contains(second.url()),
					hub.relay.state().detail());
		}
	}
}
