package org.felund.transport.webrtc;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.felund.api.crypto.CircleCrypto;
import org.felund.api.model.ChatMessage;
import org.felund.api.model.Envelope;
import org.felund.api.model.MessageHeader;
import org.felund.protocol.wire.Json;
import org.felund.protocol.wire.MessageJson;
import org.felund.webrtc.AudioMode;
import org.felund.webrtc.DataChannelPort;
import org.felund.webrtc.IceSettings;
import org.felund.webrtc.PeerSession;
import org.felund.webrtc.RtcFactory;
import org.felund.webrtc.RtcRuntime;
import org.felund.webrtc.SignalMailbox;
import org.felund.webrtc.SignalProfile;
import org.felund.webrtc.Signaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A scripted peer that speaks the DataChannel protocol as the web client does (§8.3), built on the WebRTC layer:
 * it offers (its id sorts before every node's), opens {@code felund-gossip}, and lets a test send any frame, good or
 * bad, and read what the node sends back.
 */
final class WebClientPeer implements AutoCloseable {
	/** 32 hex like a web client's id, and smaller than any node id the tests create. */
	static final String NODE_ID = "0000000000000000000000000000000a";

	private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
	private final RtcFactory factory;
	private final SignalMailbox mailbox;
	private final Signaling signaling;
	final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
	volatile boolean closed;
	/** Sessions offered so far; the newest is the current one. */
	private volatile int sessions;
	volatile String closeReason = "";
	private volatile DataChannelPort port;
	final String nonce = "1122334455667788aabbccddeeff0011";

	WebClientPeer(RtcRuntime runtime, String relayUrl) throws Exception {
		factory = runtime.factory(AudioMode.NONE);
		mailbox = new SignalMailbox(SignalMailbox.signalUrl(relayUrl), NODE_ID, SignalMailbox.Options.defaults()
				.withPolls(Duration.ofMillis(100), Duration.ofMillis(50)));
		signaling = new Signaling(NODE_ID, factory, mailbox, SignalProfile.DATA, IceSettings.loopbackOnly(),
				Signaling.Options.defaults(), executor, offer -> null);
		signaling.start();
		long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (!executor.submit(signaling::ready).get(5, TimeUnit.SECONDS)) {
			if (System.nanoTime() > end) {
				throw new AssertionError("the mailbox was never read");
			}
			Thread.sleep(20);
		}
	}

	/** Offers a session to the node and waits until the channel is open. */
	void connect(String nodeId, String circleHint) throws Exception {
		if (!tryConnect(nodeId, circleHint, java.time.Duration.ofSeconds(15))) {
			throw new AssertionError("the channel to the node did not open");
		}
	}

	/** Offers a session; false (and the session closed) when the channel is not open in time. */
	boolean tryConnect(String nodeId, String circleHint, java.time.Duration timeout) throws Exception {
		// Callbacks of an earlier session may still arrive: only this session's may mark the peer closed.
		int session = ++sessions;
		closed = false;
		received.clear();
		java.util.concurrent.CountDownLatch open = new java.util.concurrent.CountDownLatch(1);
		executor.submit(() -> signaling.offer(nodeId, circleHint, new PeerSession.Listener() {
			@Override
			public void closed(PeerSession s, String reason) {
				if (session == sessions) {
					closeReason = reason;
					closed = true;
				}
			}
		}, s -> port = s.openDataChannel("felund-gossip", true, new DataChannelPort.Listener() {
			@Override
			public void opened(DataChannelPort p) {
				open.countDown();
			}

			@Override
			public void message(DataChannelPort p, byte[] data, boolean binary) {
				if (session == sessions) {
					received.add(Json.parse(new String(data, StandardCharsets.UTF_8)));
				}
			}

			@Override
			public void closed(DataChannelPort p) {
				if (session == sessions) {
					closed = true;
				}
			}
		}))).get(5, TimeUnit.SECONDS);
		if (open.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			return true;
		}
		executor.submit(() -> signaling.sessions().forEach(s -> s.close("gave up"))).get(5, TimeUnit.SECONDS);
		return false;
	}

	void send(String text) throws Exception {
		executor.submit(() -> port.send(text)).get(5, TimeUnit.SECONDS);
	}

	/** Any bytes as one text message (UTF-8 or not). */
	boolean sendRaw(byte[] text) throws Exception {
		return executor.submit(() -> port.send(text, false)).get(5, TimeUnit.SECONDS);
	}

	boolean sendBinary(byte[] data) throws Exception {
		return executor.submit(() -> port.send(data, true)).get(5, TimeUnit.SECONDS);
	}

	/** Closes this peer's sessions from its side, as a browser tab that goes away. */
	void dropSessions() throws Exception {
		executor.submit(() -> signaling.sessions().forEach(s -> s.close("dropped by the test"))).get(5, TimeUnit.SECONDS);
		closed = true;
	}

	void send(JsonNode frame) throws Exception {
		send(Json.compact(frame));
	}

	void hello(String circleHint) throws Exception {
		ObjectNode hello = Json.object();
		hello.put("type", "HELLO");
		hello.put("node_id", NODE_ID);
		hello.put("circle_hint", circleHint);
		hello.put("nonce", nonce);
		send(hello);
	}

	void auth(String value) throws Exception {
		ObjectNode auth = Json.object();
		auth.put("type", "AUTH");
		auth.put("auth", value);
		send(auth);
	}

	/** HELLO, then the right AUTH for the node's nonce: what the web client does on open. */
	JsonNode authenticate(CircleCrypto crypto) throws Exception {
		hello(crypto.circleHint());
		JsonNode nodeHello = expect("HELLO");
		auth(crypto.dataChannelAuth(nonce, nodeHello.get("nonce").asText()));
		JsonNode nodeAuth = expect("AUTH");
		if (!crypto.verifyDataChannelAuth(nonce, nodeHello.get("nonce").asText(), nodeAuth.get("auth").asText())) {
			throw new AssertionError("the node's AUTH does not verify");
		}
		return nodeHello;
	}

	/** The next frame of this type (others are skipped); fails after 10 s. */
	JsonNode expect(String type) throws InterruptedException {
		long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (System.nanoTime() < end) {
			JsonNode f = received.poll(100, TimeUnit.MILLISECONDS);
			if (f != null && type.equals(f.path("type").asText())) {
				return f;
			}
		}
		throw new AssertionError("no " + type + " from the node");
	}

	/** Waits until the node closed the channel or the session. */
	boolean awaitClosed(Duration timeout) throws InterruptedException {
		long end = System.nanoTime() + timeout.toNanos();
		while (!closed && System.nanoTime() < end) {
			Thread.sleep(10);
		}
		return closed;
	}

	/** A message of {@code crypto}'s circle as the web client sends it: a relay envelope, freshly encrypted. */
	static ObjectNode envelope(CircleCrypto crypto, String msgId, String text) {
		long ts = System.currentTimeMillis() / 1000;
		MessageHeader header = new MessageHeader(msgId, crypto.circleId(), ChatMessage.GENERAL, NODE_ID, ts);
		Envelope enc = crypto.seal(header, "browser", text);
		return MessageJson.toRelayEnvelope(new ChatMessage(msgId, crypto.circleId(), ChatMessage.GENERAL, NODE_ID, ts,
				"", "", "", 2, enc));
	}

	@Override
	public void close() throws Exception {
		executor.submit(signaling::close).get(5, TimeUnit.SECONDS);
		mailbox.close();
		factory.close();
		executor.shutdownNow();
	}
}
