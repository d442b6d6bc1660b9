package org.felund.transport.webrtc;

import static org.felund.transport.webrtc.WebRtcTestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.felund.api.crypto.CircleCrypto;
import org.felund.api.crypto.CircleSecret;
import org.felund.api.model.ChatMessage;
import org.felund.api.transport.TransportState;
import org.felund.relay.server.SignaturePolicy;
import org.felund.webrtc.RtcRuntime;
import org.felund.webrtc.Signaling;
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
			String circle = WebRtcTestNode.shareCircle(a, b, "club");
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
			String circle = WebRtcTestNode.shareCircle(a, b, "club");
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

	@Test
	void whenIceFailsOrTheRelayRefusesSignalsNothingIsLostAndTheChannelComesOnceSignalingWorks() throws Exception {
		try (TestRelay relay = new TestRelay(tmp.resolve("relay.db")).start();
				SignalProxy signals = new SignalProxy(relay.url());
				WebRtcTestNode a = WebRtcTestNode.create(tmp.resolve("a"));
				WebRtcTestNode b = WebRtcTestNode.create(tmp.resolve("b"))) {
			String circle = WebRtcTestNode.shareCircle(a, b, "club");
			// Candidates never arrive: every attempt ends in the ICE timeout, then backs off and tries again.
			signals.mode(SignalProxy.Mode.STRIP_CANDIDATES);
			WebRtcOptions options = WebRtcTestNode.fast(signals.url())
					.withSignaling(Signaling.Options.defaults().withIceTimeout(Duration.ofSeconds(3)));
			a.withRelay(WebRtcTestNode.fastRelay(relay.url())).withWebRtc(runtime, options);
			b.withRelay(WebRtcTestNode.fastRelay(relay.url())).withWebRtc(runtime, options);

			List<ChatMessage> sent = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				sent.add(a.node.send(circle, ChatMessage.GENERAL, "while ICE fails " + i));
				sent.add(b.node.send(circle, ChatMessage.GENERAL, "from B while ICE fails " + i));
			}
			await("a second attempt after a failed one", WAIT,
					() -> a.webrtc.stats().offered() + b.webrtc.stats().offered() >= 2
							&& signals.droppedCandidates() > 0,
					() -> a.webrtc.stats() + " / " + b.webrtc.stats());
			await("every message sent while ICE fails, over the relay", WAIT,
					() -> sent.stream().allMatch(m -> a.has(circle, m.msgId()) && b.has(circle, m.msgId())));
			assertEquals(0, a.webrtc.stats().authenticated() + b.webrtc.stats().authenticated(),
					"no channel can open without candidates");
			await("the status to say why the attempt failed", WAIT,
					() -> (a.webrtc.state().detail() + b.webrtc.state().detail()).contains("ICE"),
					() -> a.webrtc.state() + " / " + b.webrtc.state());

			// The relay refuses every signal: no session gets anywhere, the relay transport carries on.
			signals.mode(SignalProxy.Mode.REFUSE_SIGNALS);
			for (int i = 0; i < 5; i++) {
				sent.add(a.node.send(circle, ChatMessage.GENERAL, "while signals are refused " + i));
				sent.add(b.node.send(circle, ChatMessage.GENERAL, "from B while signals are refused " + i));
			}
			await("signals to be refused", WAIT, () -> signals.refusedSignals() >= 2,
					() -> signals.refusedSignals() + " refused; " + a.webrtc.stats() + " / " + b.webrtc.stats());
			await("every message sent while signals are refused, over the relay", WAIT,
					() -> sent.stream().allMatch(m -> a.has(circle, m.msgId()) && b.has(circle, m.msgId())));
			assertEquals(0, a.webrtc.stats().authenticated() + b.webrtc.stats().authenticated());
			assertEquals("p2p(0)", a.webrtc.state().label());
			await("the status to show the relay's refusal", WAIT,
					() -> (a.webrtc.state().detail() + b.webrtc.state().detail()).contains("403"),
					() -> a.webrtc.state() + " / " + b.webrtc.state());

			// Signaling works again: the next attempt after the back-off opens the channel, which then carries.
			signals.mode(SignalProxy.Mode.PASS);
			await("a channel both ways once signals pass", Duration.ofSeconds(30),
					() -> a.channelTo(b, circle) && b.channelTo(a, circle),
					() -> a.webrtc.state() + " / " + b.webrtc.state());
			assertFalse(a.webrtc.state().detail().contains("failed"), a.webrtc.state().detail());
			long inBefore = a.webrtc.stats().messagesIn() + b.webrtc.stats().messagesIn();
			for (int i = 0; i < 5; i++) {
				sent.add(a.node.send(circle, ChatMessage.GENERAL, "over the channel " + i));
				sent.add(b.node.send(circle, ChatMessage.GENERAL, "from B over the channel " + i));
			}
			await("every message on both sides", WAIT,
					() -> sent.stream().allMatch(m -> a.has(circle, m.msgId()) && b.has(circle, m.msgId())));
			await("the channel to carry the new messages", WAIT,
					() -> a.webrtc.stats().messagesIn() + b.webrtc.stats().messagesIn() >= inBefore + 10);
			assertEquals(a.count(circle), b.count(circle));
			assertEquals(0, a.webrtc.stats().refused() + b.webrtc.stats().refused());
		}
	}

	@Test
	void whatAChannelBringsTheRelayCarriesOnToNodesWithoutWebRtcAndBack() throws Exception {
		try (TestRelay relay = new TestRelay(tmp.resolve("relay.db")).start();
				WebRtcTestNode channelOnly = WebRtcTestNode.create(tmp.resolve("a"));
				WebRtcTestNode both = WebRtcTestNode.create(tmp.resolve("b"));
				WebRtcTestNode relayOnly = WebRtcTestNode.create(tmp.resolve("c"))) {
			String circle = channelOnly.node.createCircle("club").circle().circleId();
			both.node.joinCircle(channelOnly.node.inviteCode(circle, "127.0.0.1:1"));
			relayOnly.node.joinCircle(channelOnly.node.inviteCode(circle, "127.0.0.1:1"));
			// The first node has no relay transport: it is in the relay's peer list, but only a channel reaches it.
			channelOnly.registerWith(relay.url(), circle);
			channelOnly.withWebRtc(runtime, WebRtcTestNode.fast(relay.url()));
			both.withRelay(WebRtcTestNode.fastRelay(relay.url())).withWebRtc(runtime, WebRtcTestNode.fast(relay.url()));
			relayOnly.withRelay(WebRtcTestNode.fastRelay(relay.url()));
			await("the channel", WAIT, () -> channelOnly.channelTo(both, circle) && both.channelTo(channelOnly, circle));

			List<ChatMessage> outward = new ArrayList<>();
			List<ChatMessage> inward = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				outward.add(channelOnly.node.send(circle, ChatMessage.GENERAL, "from the channel-only node " + i));
				inward.add(relayOnly.node.send(circle, ChatMessage.GENERAL, "from the relay-only node " + i));
			}
			await("the channel's messages at the relay-only node", WAIT,
					() -> outward.stream().allMatch(m -> relayOnly.has(circle, m.msgId())));
			await("the relay's messages at the channel-only node", WAIT,
					() -> inward.stream().allMatch(m -> channelOnly.has(circle, m.msgId())));
			assertTrue(channelOnly.webrtc.stats().stored() >= 5, channelOnly.webrtc.stats().toString());
			assertEquals(channelOnly.count(circle), relayOnly.count(circle));
			assertEquals(both.count(circle), relayOnly.count(circle));
		}
	}

	@Test
	void aChannelComesUpThroughARelayThatRequiresSignaturesWhichRefusesForgedSignals() throws Exception {
		try (TestRelay relay = new TestRelay(tmp.resolve("relay.db"), SignaturePolicy.STRICT).start();
				WebRtcTestNode a = WebRtcTestNode.create(tmp.resolve("a"));
				WebRtcTestNode b = WebRtcTestNode.create(tmp.resolve("b"))) {
			String circle = WebRtcTestNode.shareCircle(a, b, "club");
			a.withRelay(WebRtcTestNode.fastRelay(relay.url())).withWebRtc(runtime, WebRtcTestNode.fast(relay.url()));
			b.withRelay(WebRtcTestNode.fastRelay(relay.url())).withWebRtc(runtime, WebRtcTestNode.fast(relay.url()));
			await("a channel both ways through the strict relay", WAIT,
					() -> a.channelTo(b, circle) && b.channelTo(a, circle),
					() -> a.webrtc.state() + " / " + b.webrtc.state());
			List<ChatMessage> sent = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				sent.add(a.node.send(circle, ChatMessage.GENERAL, "signed signals " + i));
			}
			await("the channel to carry them", WAIT,
					() -> sent.stream().allMatch(m -> b.has(circle, m.msgId())) && b.webrtc.stats().messagesIn() >= 5);

			// Someone without the circle's key offers B a session: unsigned, and signed with another circle's key.
			CircleCrypto crypto = a.node.context().circle(circle).orElseThrow().crypto();
			CircleCrypto outsider = WebRtcTestNode.CRYPTO.forCircle(
					CircleSecret.fromHex("1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100"));
			String forger = "0000000000000000000000ff";
			long answeredBefore = b.webrtc.stats().answered();
			String offer = "{\"session_id\":\"" + forger + ":" + b.nodeId() + "\",\"from_node_id\":\"" + forger
					+ "\",\"to_node_id\":\"" + b.nodeId() + "\",\"circle_hint\":\"" + crypto.circleHint()
					+ "\",\"type\":\"offer\",\"payload\":\"{}\",\"ttl_s\":120}";
			HttpResponse<String> unsigned = postSignal(relay.url(), offer, null);
			assertEquals(401, unsigned.statusCode(), unsigned.body());
			assertTrue(unsigned.body().contains("INVALID_SIGNATURE") && unsigned.body().contains("are all required"),
					unsigned.body());
			HttpResponse<String> forged = postSignal(relay.url(), offer, outsider);
			assertEquals(401, forged.statusCode(), forged.body());
			assertTrue(forged.body().contains("INVALID_SIGNATURE") && forged.body().contains("does not verify"),
					forged.body());
			Thread.sleep(500); // several mailbox polls
			assertEquals(answeredBefore, b.webrtc.stats().answered(), "no forged offer reached B");
			assertTrue(b.channelTo(a, circle));
		}
	}

	/** {@code POST /v1/signal}, signed (§3.8) with {@code signer}'s API key unless it is {@code null}. */
	private static HttpResponse<String> postSignal(String relayUrl, String body, CircleCrypto signer)
			throws Exception {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(relayUrl + "/v1/signal"))
				.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
		if (signer != null) {
			long ts = System.currentTimeMillis() / 1000;
			String nonce = HexFormat.of().formatHex(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 });
			request.header("X-Felund-Node", "0000000000000000000000ff").header("X-Felund-Ts", Long.toString(ts))
					.header("X-Felund-Nonce", nonce)
					.header("X-Felund-Signature", signer.signApiRequest("POST", "/signal", bytes, ts, nonce));
		}
		return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
	}
}
