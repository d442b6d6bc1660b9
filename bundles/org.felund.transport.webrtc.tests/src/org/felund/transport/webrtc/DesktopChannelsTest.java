package org.felund.transport.webrtc;

import static org.felund.transport.webrtc.WebRtcTestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.felund.api.model.ChatMessage;
import org.felund.api.transport.TransportState;
import org.felund.webrtc.RtcRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two real nodes in one JVM, joined by the real relay and real DataChannels over the loopback workaround. */
class DesktopChannelsTest {
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

	@Test
	void chatContinuesOverTheChannelWhenTheRelayGoesDown() throws Exception {
		try (TestRelay relay = new TestRelay(tmp.resolve("relay.db")).start();
				WebRtcTestNode a = WebRtcTestNode.create(tmp.resolve("a"));
				WebRtcTestNode b = WebRtcTestNode.create(tmp.resolve("b"))) {
			String circle = a.node.createCircle("club").circle().circleId();
			b.node.joinCircle(a.node.inviteCode(circle, "127.0.0.1:1"));
			ChatMessage before = a.node.send(circle, ChatMessage.GENERAL, "written before any channel");
			a.withRelay(WebRtcTestNode.fastRelay(relay.url())).withWebRtc(runtime, WebRtcTestNode.fast(relay.url()));
			b.withRelay(WebRtcTestNode.fastRelay(relay.url())).withWebRtc(runtime, WebRtcTestNode.fast(relay.url()));

			await("a channel both ways", WAIT, () -> a.channelTo(b, circle) && b.channelTo(a, circle),
					() -> a.webrtc.state() + " / " + b.webrtc.state());
			await("B to have A's earlier message", WAIT, () -> b.has(circle, before.msgId()));
			assertEquals(1, a.webrtc.stats().extended() + b.webrtc.stats().extended() > 0 ? 1 : 0,
					"two Felund nodes use the extensions");
			await("both members to show the path", WAIT,
					() -> a.reachesViaWebRtc(b, circle) && b.reachesViaWebRtc(a, circle));
			TransportState state = a.webrtc.state();
			assertEquals(TransportState.Mode.LIVE, state.mode());
			assertEquals("p2p(1)", state.label());

			relay.stop();
			List<ChatMessage> sent = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				sent.add(a.node.send(circle, ChatMessage.GENERAL, "a" + i));
				sent.add(b.node.send(circle, ChatMessage.GENERAL, "b" + i + " ünïcødé"));
			}
			await("every message on both sides without the relay", WAIT,
					() -> sent.stream().allMatch(m -> a.has(circle, m.msgId()) && b.has(circle, m.msgId())));
			assertEquals(a.count(circle), b.count(circle));
			assertTrue(a.webrtc.stats().messagesIn() >= 20 && b.webrtc.stats().messagesIn() >= 20);
			assertEquals(0, a.webrtc.stats().refused() + b.webrtc.stats().refused());
		}
	}

	@Test
	void whenTheChannelDiesChatContinuesOverTheRelayAndNothingIsLost() throws Exception {
		try (TestRelay relay = new TestRelay(tmp.resolve("relay.db")).start();
				WebRtcTestNode a = WebRtcTestNode.create(tmp.resolve("a"));
				WebRtcTestNode b = WebRtcTestNode.create(tmp.resolve("b"))) {
			String circle = a.node.createCircle("club").circle().circleId();
			b.node.joinCircle(a.node.inviteCode(circle, "127.0.0.1:1"));
			// Reconnects wait a minute: after the drop, only the relay can carry anything.
			WebRtcOptions slowReconnect = WebRtcTestNode.fast(relay.url()).withBackoff(Duration.ofMinutes(1),
					Duration.ofMinutes(2));
			a.withRelay(WebRtcTestNode.fastRelay(relay.url())).withWebRtc(runtime, slowReconnect);
			b.withRelay(WebRtcTestNode.fastRelay(relay.url())).withWebRtc(runtime, slowReconnect);
			await("a channel", WAIT, () -> a.channelTo(b, circle) && b.channelTo(a, circle));

			List<ChatMessage> sent = new ArrayList<>();
			for (int i = 0; i < 10; i++) {
				sent.add(a.node.send(circle, ChatMessage.GENERAL, "while the channel is up " + i));
			}
			a.webrtc.dropChannels("test: the network went away");
			b.webrtc.dropChannels("test: the network went away");
			for (int i = 0; i < 10; i++) {
				sent.add(a.node.send(circle, ChatMessage.GENERAL, "after the drop " + i));
				sent.add(b.node.send(circle, ChatMessage.GENERAL, "from B after the drop " + i));
			}
			await("the channel to be gone", WAIT, () -> !a.channelTo(b, circle) && !b.channelTo(a, circle));
			await("every message on both sides", WAIT,
					() -> sent.stream().allMatch(m -> a.has(circle, m.msgId()) && b.has(circle, m.msgId())));
			assertEquals(a.count(circle), b.count(circle));
			await("the members part to drop the path", WAIT,
					() -> !a.reachesViaWebRtc(b, circle) && !b.reachesViaWebRtc(a, circle));
			assertEquals(TransportState.Mode.POLL, a.webrtc.state().mode());
			assertEquals("p2p(0)", a.webrtc.state().label());
		}
	}
}
