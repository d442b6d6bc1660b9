package org.felund.transport.webrtc;

import static org.felund.transport.webrtc.WebRtcTestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.felund.api.crypto.CircleCrypto;
import org.felund.api.crypto.CircleSecret;
import org.felund.api.model.ChatMessage;
import org.felund.protocol.wire.Json;
import org.felund.protocol.wire.MessageJson;
import org.felund.webrtc.RtcRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A node against a peer that speaks the DataChannel protocol exactly as the web client does (§8.3, §3.9), and against
 * the bad input a hostile peer can send: every violation closes the session with a logged reason and stores nothing.
 */
class WebClientProtocolTest {
	private static final Duration WAIT = Duration.ofSeconds(15);
	private static final String CHANNEL_LOG = "org.felund.transport.webrtc.internal.ChannelLink";
	private static final String SECRET = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
	private static final String OTHER_SECRET = "ff0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
	private static RtcRuntime runtime;

	@TempDir
	Path tmp;
	private TestRelay relay;
	private WebRtcTestNode node;
	private WebClientPeer browser;
	private CircleCrypto crypto;
	private String circle;

	@BeforeAll
	static void startRuntime() {
		runtime = new RtcRuntime();
	}

	@AfterAll
	static void stopRuntime() {
		runtime.close();
	}

	@BeforeEach
	void start() throws Exception {
		relay = new TestRelay(tmp.resolve("relay.db")).start();
		node = WebRtcTestNode.create(tmp.resolve("node"));
		circle = node.node.joinCircle(SECRET, "127.0.0.1:1").circleId();
		crypto = WebRtcTestNode.CRYPTO.forCircle(CircleSecret.fromHex(SECRET));
		// The relay passes unsigned signals only between nodes present in the circle: both register, as the web
		// client and the relay transport do, before the transport's first look at the peer list (its answers name
		// the circle it finds the peer in).
		node.registerWith(relay.url(), circle);
		WebRtcTestNode.register(relay.url(), WebClientPeer.NODE_ID, crypto);
		node.withWebRtc(runtime, WebRtcTestNode.fast(relay.url()).withMaxFrameBytes(64 * 1024));
		browser = new WebClientPeer(runtime, relay.url());
	}

	@AfterEach
	void stop() throws Exception {
		browser.close();
		node.close();
		relay.close();
	}

	@Test
	void theWebClientsProtocolCarriesHistoryAndNewMessagesBothWays() throws Exception {
		ChatMessage history = node.node.send(circle, ChatMessage.GENERAL, "from before the channel");
		browser.connect(node.nodeId(), crypto.circleHint());
		JsonNode hello = browser.authenticate(crypto);
		assertEquals(node.nodeId(), hello.get("node_id").asText());
		assertEquals(1, hello.get("felund_ext").asInt(), "the extensions are announced; the web client ignores the key");

		// On open the node sends its recent history, as the web client does.
		JsonNode sync = browser.expect("MSGS_SEND");
		ChatMessage got = MessageJson.fromRelayEnvelope(find(sync.get("messages"), history.msgId()));
		assertEquals("from before the channel", crypto.open(got.header(), got.enc()).text());

		// A browser message is stored (and so handed on to the other transports).
		ObjectNode newFrame = Json.object();
		newFrame.put("type", "MSG_NEW");
		newFrame.set("message", WebClientPeer.envelope(crypto, "b0000000000000000000000000000001", "hello desktop"));
		browser.send(newFrame);
		await("the node to store the browser's message", WAIT,
				() -> node.has(circle, "b0000000000000000000000000000001"));
		assertTrue(node.node.history(circle, ChatMessage.GENERAL, null, 10).stream()
				.anyMatch(m -> m.text().equals("hello desktop") && m.displayName().equals("browser")));
		await("the browser to be shown via webrtc", WAIT,
				() -> node.node.members(circle).stream().anyMatch(m -> m.nodeId().equals(WebClientPeer.NODE_ID)
						&& m.transports().contains(WebRtcTransport.ID)));

		// A message written on the desktop arrives as MSG_NEW, at once.
		ChatMessage reply = node.node.send(circle, ChatMessage.GENERAL, "hello browser ✓");
		JsonNode pushed = browser.expect("MSG_NEW");
		ChatMessage m = MessageJson.fromRelayEnvelope(pushed.get("message"));
		assertEquals(reply.msgId(), m.msgId());
		assertEquals("hello browser ✓", crypto.open(m.header(), m.enc()).text());

		// A burst: one MSGS_SEND with 100 messages, all stored.
		ObjectNode burst = Json.object();
		burst.put("type", "MSGS_SEND");
		ArrayNode list = burst.putArray("messages");
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			String id = String.format("c%031d", i);
			ids.add(id);
			list.add(WebClientPeer.envelope(crypto, id, "burst " + i));
		}
		browser.send(burst);
		await("the whole burst to be stored", WAIT, () -> ids.stream().allMatch(id -> node.has(circle, id)));
		assertEquals(0, node.webrtc.stats().refused());
	}

	@Test
	void aWrongAuthClosesTheChannelAndNothingIsStored() throws Exception {
		try (LogCapture log = new LogCapture(CHANNEL_LOG)) {
			browser.connect(node.nodeId(), crypto.circleHint());
			browser.hello(crypto.circleHint());
			browser.expect("AUTH");
			browser.auth(HexFormat.of().formatHex(new byte[32]));
			sendNew(crypto, "d0000000000000000000000000000001");
			assertClosed(log, "bad AUTH");
			assertFalse(node.has(circle, "d0000000000000000000000000000001"));
		}
	}

	@Test
	void messagesBeforeAuthCloseTheChannel() throws Exception {
		try (LogCapture log = new LogCapture(CHANNEL_LOG)) {
			browser.connect(node.nodeId(), crypto.circleHint());
			browser.hello(crypto.circleHint());
			sendNew(crypto, "d0000000000000000000000000000002");
			assertClosed(log, "MSG_NEW before AUTH");
			assertFalse(node.has(circle, "d0000000000000000000000000000002"));
		}
	}

	@Test
	void aHelloForAnUnknownCircleClosesTheChannel() throws Exception {
		CircleCrypto other = WebRtcTestNode.CRYPTO.forCircle(CircleSecret.fromHex(OTHER_SECRET));
		try (LogCapture log = new LogCapture(CHANNEL_LOG)) {
			// The relay forwards signals only within a circle both are in; the HELLO then names another one.
			browser.connect(node.nodeId(), crypto.circleHint());
			browser.hello(other.circleHint());
			assertClosed(log, "frame for another circle");
		}
	}

	@Test
	void aMessageOfAnotherCircleClosesTheChannelAndNothingOfItsFrameIsStored() throws Exception {
		CircleCrypto other = WebRtcTestNode.CRYPTO.forCircle(CircleSecret.fromHex(OTHER_SECRET));
		try (LogCapture log = new LogCapture(CHANNEL_LOG)) {
			browser.connect(node.nodeId(), crypto.circleHint());
			browser.authenticate(crypto);
			ObjectNode frame = Json.object();
			frame.put("type", "MSGS_SEND");
			ArrayNode list = frame.putArray("messages");
			list.add(WebClientPeer.envelope(crypto, "e0000000000000000000000000000001", "fine on its own"));
			list.add(WebClientPeer.envelope(other, "e0000000000000000000000000000002", "another circle"));
			browser.send(frame);
			assertClosed(log, "frame for another circle");
			assertFalse(node.has(circle, "e0000000000000000000000000000001"));
			assertFalse(node.has(circle, "e0000000000000000000000000000002"));
		}
	}

	@Test
	void malformedAndOversizedFramesCloseTheChannelAndTheOffenderWaitsBeforeItIsAnsweredAgain() throws Exception {
		try (LogCapture log = new LogCapture(CHANNEL_LOG)) {
			browser.connect(node.nodeId(), crypto.circleHint());
			browser.authenticate(crypto);
			browser.send("{\"type\":\"MSG_NEW\",\"message\":");
			assertClosed(log, "malformed frame");
		}
		// Bad input keeps the peer out for the maximum back-off (2 s in these tests): its next offer goes unanswered.
		assertFalse(browser.tryConnect(node.nodeId(), crypto.circleHint(), Duration.ofMillis(1500)));
		Thread.sleep(1000);
		try (LogCapture log = new LogCapture(CHANNEL_LOG)) {
			browser.connect(node.nodeId(), crypto.circleHint());
			browser.authenticate(crypto);
			browser.send("{\"type\":\"MSG_NEW\",\"pad\":\"" + "x".repeat(100_000) + "\"}");
			assertClosed(log, "oversized frame: 100027 bytes (limit 65536)");
		}
		Thread.sleep(2100);
		try (LogCapture log = new LogCapture(CHANNEL_LOG)) {
			browser.connect(node.nodeId(), crypto.circleHint());
			browser.authenticate(crypto);
			ObjectNode frame = Json.object();
			frame.put("type", "MSG_NEW");
			ObjectNode bad = WebClientPeer.envelope(crypto, "f0000000000000000000000000000001", "x");
			bad.remove("enc");
			frame.set("message", bad);
			browser.send(frame);
			assertClosed(log, "malformed message");
			assertFalse(node.has(circle, "f0000000000000000000000000000001"));
		}
		assertTrue(node.webrtc.stats().refused() >= 3);
	}

	private void sendNew(CircleCrypto c, String id) throws Exception {
		ObjectNode frame = Json.object();
		frame.put("type", "MSG_NEW");
		frame.set("message", WebClientPeer.envelope(c, id, "should not be stored"));
		browser.send(frame);
	}

	private void assertClosed(LogCapture log, String reason) throws InterruptedException {
		assertTrue(browser.awaitClosed(WAIT), "the node closes the session");
		await("the reason in the log", WAIT, () -> log.contains(reason), () -> log.lines.toString());
	}

	private static JsonNode find(JsonNode messages, String msgId) {
		for (JsonNode m : messages) {
			if (msgId.equals(m.path("msg_id").asText())) {
				return m;
			}
		}
		throw new AssertionError(msgId + " not in " + messages);
	}

}
