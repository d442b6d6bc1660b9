package org.felund.transport.webrtc;

import static org.felund.transport.webrtc.WebRtcTestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.felund.api.crypto.CircleCrypto;
import org.felund.api.crypto.CircleSecret;
import org.felund.api.model.ChatMessage;
import org.felund.protocol.wire.Json;
import org.felund.webrtc.RtcRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Fuzzing of the {@code felund-gossip} DataChannel (issue 14, fault campaign): a peer on a real WebRTC DataChannel
 * (webrtc-java natives, loopback) sends hostile frames (random bytes, text that is not UTF-8 or not JSON, deep nesting,
 * oversized frames, frames of the right type with the wrong shape, mutated and forged envelopes, second HELLOs and
 * AUTHs, frames before AUTH) between genuine messages. For every frame:
 * <ul>
 * <li>a protocol violation closes the session, and the node logs why; a frame the protocol lets a node ignore (an
 * unknown type, an empty list) keeps the channel, which then still carries the next message;</li>
 * <li>nothing is lost: the genuine message sent after the frame is stored, over the same channel when it stayed up,
 * otherwise over the next one (the web client sends again after a reconnect);</li>
 * <li>nothing forged is stored: a message the node stores opens with the circle's key to what its author sealed.</li>
 * </ul>
 * The build sends {@code felund.dcfuzz.frames} frames (24 by default, seed-stable); the benchmark run raises it
 * (docs/reliability.md).
 */
class DataChannelFuzzTest {
	private static final Duration WAIT = Duration.ofSeconds(20);
	private static final String CHANNEL_LOG = "org.felund.transport.webrtc.internal.ChannelLink";
	private static final String SECRET = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
	private static final String OTHER_SECRET = "ff0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
	private static final long SEED = 20261260L;
	private static final int MAX_FRAME = 64 * 1024;
	/** How long a reconnect may take: offers of 5 s each, signaled through the relay's mailbox. */
	private static final Duration RECONNECT = Duration.ofSeconds(60);

	@TempDir
	Path tmp;
	private RtcRuntime runtime;
	private TestRelay relay;
	private WebRtcTestNode node;
	private WebClientPeer peer;
	private CircleCrypto crypto;
	private CircleCrypto other;
	private String circle;
	private final List<String> hostileIds = new ArrayList<>();
	private final Map<String, Integer> outcomes = new TreeMap<>();
	/** Offers that went unanswered before each reconnect succeeded. */
	private final List<Integer> reconnects = new ArrayList<>();

	static int frames() {
		return Integer.getInteger("felund.dcfuzz.frames", 24);
	}

	@BeforeEach
	void start() throws Exception {
		runtime = new RtcRuntime();
		relay = new TestRelay(tmp.resolve("relay.db")).start();
		node = WebRtcTestNode.create(tmp.resolve("node"));
		circle = node.node.joinCircle(SECRET, "127.0.0.1:1").circleId();
		crypto = WebRtcTestNode.CRYPTO.forCircle(CircleSecret.fromHex(SECRET));
		other = WebRtcTestNode.CRYPTO.forCircle(CircleSecret.fromHex(OTHER_SECRET));
		node.registerWith(relay.url(), circle);
		WebRtcTestNode.register(relay.url(), WebClientPeer.NODE_ID, crypto);
		// A short back-off, so that a refused peer may come back quickly: the fuzzing is of the frames, not of the
		// back-off (WebClientProtocolTest checks that).
		node.withWebRtc(runtime, WebRtcTestNode.fast(relay.url()).withMaxFrameBytes(MAX_FRAME)
				.withBackoff(Duration.ofMillis(10), Duration.ofMillis(20)));
		peer = new WebClientPeer(runtime, relay.url());
	}

	@AfterEach
	void stop() throws Exception {
		peer.close();
		node.close();
		relay.close();
		runtime.close();
	}

	/** What the node must do with a frame. */
	enum Expect {
		/** A protocol violation: the session closes, with the reason logged. */
		CLOSE,
		/** Something the protocol lets a node ignore: the channel stays and carries the next message. */
		KEEP,
		/** A forgery in a well-formed frame: never stored; the node may drop it or close the session. */
		EITHER
	}

	/** What a hostile frame is, and what the node must do with it. */
	record Frame(String kind, byte[] bytes, boolean binary, Expect expect, boolean beforeAuth) {
		static Frame text(String kind, String text, Expect expect) {
			return new Frame(kind, text.getBytes(StandardCharsets.UTF_8), false, expect, false);
		}
	}

	@Test
	void hostileFramesAreRefusedWithAReasonOrIgnoredAndNothingIsLostOrForged() throws Exception {
		int total = frames();
		long started = System.nanoTime();
		int sessions = 0;
		try (LogCapture log = new LogCapture(CHANNEL_LOG)) {
			for (int i = 0; i < total; i++) {
				// Mixed first: java.util.Random's first draws of adjacent seeds are nearly equal.
				Frame f = hostile(new Random(new SplittableRandom(SEED + i).nextLong()), i);
				String where = "frame " + i + " (" + f.kind() + ", reproduce with -Dfelund.dcfuzz.first=" + i + ")";
				if (f.beforeAuth() && !peer.closed && sessions > 0) {
					peer.dropSessions(); // a fresh channel for a frame before AUTH
				}
				if (peer.closed || sessions == 0 || f.beforeAuth()) {
					connect(f.beforeAuth());
					sessions++;
				}
				int logged = log.lines.size();
				assertTrue(f.binary() ? peer.sendBinary(f.bytes()) : peer.sendRaw(f.bytes()),
						where + ": the channel took the frame");
				// A genuine message behind it on the same ordered channel: stored if the channel was kept, never
				// reached if the node closed the session over the frame before it.
				String genuine = String.format("a%015d%016x", i, SEED);
				ObjectNode newFrame = Json.object();
				newFrame.put("type", "MSG_NEW");
				newFrame.set("message", WebClientPeer.envelope(crypto, genuine, "genuine " + i));
				if (!f.beforeAuth()) {
					peer.send(newFrame);
				} else {
					// Our HELLO after it: a buffered AUTH is checked once the HELLO is there.
					peer.hello(crypto.circleHint());
				}
				String outcome = awaitOutcome(genuine, f.beforeAuth(), where);
				outcomes.merge(f.kind() + " → " + outcome, 1, Integer::sum);
				if (outcome.equals("closed")) {
					await(where + ": the reason in the log", WAIT,
							() -> log.lines.stream().skip(logged).anyMatch(l -> l.contains(" closed: ")),
							() -> log.lines.toString());
					assertTrue(f.expect() != Expect.KEEP, where + ": a frame the node may ignore closed the"
							+ " channel: " + log.lines.subList(logged, log.lines.size()));
					// Nothing lost: the web client sends it again on its next channel.
					connect(false);
					sessions++;
					peer.send(newFrame);
				} else if (f.expect() == Expect.CLOSE) {
					throw new AssertionError(where + ": a protocol violation neither refused nor reported (the channel"
							+ " stayed up)");
				}
				if (!f.beforeAuth()) {
					await(where + ": the genuine message stored", WAIT, () -> node.has(circle, genuine));
				}
			}
		}
		// Nothing forged: what the node stored of the hostile frames opens to what its author sealed.
		int storedHostile = 0;
		for (String id : hostileIds) {
			var stored = node.store.messages().get(circle, id);
			if (stored.isPresent()) {
				ChatMessage m = stored.get();
				crypto.open(m.header(), m.enc()); // throws if it does not open
				storedHostile++;
			}
			assertTrue(node.store.messages().get(other.circleId(), id).isEmpty(), id + " of another circle stored");
		}
		assertTrue(node.store.integrityCheck().equals(List.of("ok")), "the node's database is intact");
		System.out.printf("DataChannel fuzzing: %d frames in %.1f s over %d sessions; %d hostile messages stored"
				+ " (genuine copies, each opens); refused %d; reconnects needing more than one offer %d; outcomes %s%n",
				total, (System.nanoTime() - started) / 1e9, sessions, storedHostile, node.webrtc.stats().refused(),
				reconnects.stream().filter(n -> n > 0).count(), outcomes);
		assertEquals(total, outcomes.values().stream().mapToInt(Integer::intValue).sum());
	}

	/** Opens a channel, and authenticates unless the frame under test comes before AUTH. */
	private void connect(boolean preAuth) throws Exception {
		long end = System.nanoTime() + RECONNECT.toNanos();
		int attempts = 0;
		while (!peer.tryConnect(node.nodeId(), crypto.circleHint(), Duration.ofSeconds(5))) {
			attempts++;
			if (System.nanoTime() > end) {
				throw new AssertionError("the channel to the node did not open again (" + attempts + " offers in "
						+ RECONNECT.toSeconds() + " s; the peer's last close: " + peer.closeReason + "; node: "
						+ node.webrtc.state() + ", " + node.webrtc.stats() + ")");
			}
		}
		reconnects.add(attempts);
		if (!preAuth) {
			peer.authenticate(crypto);
		}
	}

	/** "kept" once the genuine message is stored, "closed" once the node closed the session. */
	private String awaitOutcome(String genuine, boolean preAuth, String where) throws InterruptedException {
		long end = System.nanoTime() + WAIT.toNanos();
		while (System.nanoTime() < end) {
			if (peer.closed) {
				return "closed";
			}
			if (!preAuth && node.has(circle, genuine)) {
				return "kept";
			}
			Thread.sleep(5);
		}
		throw new AssertionError(where + ": neither " + (preAuth ? "" : "the next message stored nor ")
				+ "the session closed within " + WAIT.toSeconds() + " s");
	}

	// ------------------------------------------------------------------ the frames

	private Frame hostile(Random rnd, int i) {
		String id = String.format("d%015d%016x", i, SEED);
		switch (rnd.nextInt(16)) {
		case 0: {
			byte[] b = new byte[1 + rnd.nextInt(2000)];
			rnd.nextBytes(b);
			return new Frame("binary frame", b, true, Expect.CLOSE, false);
		}
		case 1: {
			byte[] b = new byte[2 + rnd.nextInt(200)];
			rnd.nextBytes(b);
			int at = rnd.nextInt(b.length - 1);
			b[at] = (byte) 0xc3; // a lead byte without its continuation: never UTF-8
			b[at + 1] = (byte) 0x28;
			return new Frame("not UTF-8", b, false, Expect.CLOSE, false);
		}
		case 2: {
			String[] notObjects = { "[]", "null", "42", "\"HELLO\"", "true", "", " ", "{", "}", "{\"type\":", "\u0000",
					"{\"type\":\"MSG_NEW\"}}", "{'type':'MSG_NEW'}", "{\"type\":\"MSG_NEW\",}" };
			String t = notObjects[rnd.nextInt(notObjects.length)];
			// "{\"type\":\"MSG_NEW\"}}" has a valid object first: Jackson refuses the trailing token too.
			return Frame.text("not a JSON object", t, Expect.CLOSE);
		}
		case 3: {
			int depth = 500 + rnd.nextInt(5000);
			return Frame.text("deep nesting", "{\"type\":\"MSG_NEW\",\"message\":" + "[".repeat(depth) + "]".repeat(depth)
					+ "}", Expect.CLOSE);
		}
		case 4:
			return Frame.text("oversized", "{\"type\":\"MSG_NEW\",\"pad\":\"" + "x".repeat(MAX_FRAME + rnd.nextInt(64_000))
					+ "\"}", Expect.CLOSE);
		case 5: {
			String full = Json.compact(msgNew(WebClientPeer.envelope(crypto, id, "cut")));
			hostileIds.add(id);
			return Frame.text("truncated", full.substring(0, rnd.nextInt(full.length() - 1)), Expect.CLOSE);
		}
		case 6: {
			String[] shapes = { "{\"type\":\"MSG_NEW\"}", "{\"type\":\"MSG_NEW\",\"message\":5}",
					"{\"type\":\"MSG_NEW\",\"message\":[]}", "{\"type\":\"MSG_NEW\",\"message\":{}}",
					"{\"type\":\"MSGS_SEND\"}", "{\"type\":\"MSGS_SEND\",\"messages\":{}}",
					"{\"type\":\"MSGS_SEND\",\"messages\":[null]}", "{\"type\":\"MSGS_SEND\",\"messages\":[1,2]}",
					"{\"type\":\"MSGS_SEND\",\"messages\":\"x\"}" };
			return Frame.text("wrong shape", shapes[rnd.nextInt(shapes.length)], Expect.CLOSE);
		}
		case 7: {
			ObjectNode env = WebClientPeer.envelope(crypto, id, "mutated");
			hostileIds.add(id);
			return mutatedEnvelope(rnd, env);
		}
		case 8: {
			hostileIds.add(id);
			return Frame.text("another circle's message", Json.compact(msgNew(WebClientPeer.envelope(other, id, "x"))),
					Expect.CLOSE);
		}
		case 9: {
			ObjectNode hello = Json.object();
			hello.put("type", rnd.nextBoolean() ? "HELLO" : "AUTH");
			hello.put("node_id", WebClientPeer.NODE_ID);
			hello.put("circle_hint", crypto.circleHint());
			hello.put("nonce", "00112233445566778899aabbccddeeff");
			hello.put("auth", "00".repeat(32));
			return Frame.text("second " + hello.get("type").asText(), Json.compact(hello), Expect.CLOSE);
		}
		case 10: {
			String[] ignored = { "{\"type\":\"PING\"}", "{\"type\":\"x\",\"messages\":[1]}", "{}", "{\"type\":5}",
					"{\"type\":null}", "{\"type\":\"msg_new\",\"message\":{}}", "{\"type\":\"MSGS_SEND_\"}",
					"{\"type\":\"\u202eWEN_GSM\"}", "{\"type\":\"" + "T".repeat(10_000) + "\"}" };
			return Frame.text("unknown type", ignored[rnd.nextInt(ignored.length)], Expect.KEEP);
		}
		case 11:
			return Frame.text("empty list", "{\"type\":\"MSGS_SEND\",\"messages\":[]}", Expect.KEEP);
		case 12: {
			// More messages than a frame may carry: refused whole, none of them stored.
			ObjectNode frame = Json.object();
			frame.put("type", "MSGS_SEND");
			ArrayNode list = frame.putArray("messages");
			for (int k = 0; k < 1001; k++) {
				list.add(k);
			}
			return Frame.text("too many messages", Json.compact(frame), Expect.CLOSE);
		}
		case 13: {
			// A burst with one bad element in the middle: nothing of the frame is stored.
			ObjectNode frame = Json.object();
			frame.put("type", "MSGS_SEND");
			ArrayNode list = frame.putArray("messages");
			int n = 2 + rnd.nextInt(20);
			int bad = rnd.nextInt(n);
			for (int k = 0; k < n; k++) {
				String mid = String.format("e%07d%08d%016x", i, k, SEED);
				hostileIds.add(mid);
				ObjectNode env = WebClientPeer.envelope(crypto, mid, "burst " + k);
				if (k == bad) {
					env.remove(rnd.nextBoolean() ? "enc" : "msg_id");
				}
				list.add(env);
			}
			return Frame.text("burst with a bad element", Json.compact(frame), Expect.CLOSE);
		}
		case 14: {
			// Before AUTH: a HELLO or AUTH of any shape, on a fresh channel.
			String[] pre = { "{\"type\":\"AUTH\",\"auth\":\"zz\"}", "{\"type\":\"AUTH\",\"auth\":5}",
					"{\"type\":\"AUTH\",\"auth\":\"" + "a".repeat(300) + "\"}",
					"{\"type\":\"HELLO\",\"nonce\":\"xyz\",\"circle_hint\":\"" + crypto.circleHint() + "\"}",
					"{\"type\":\"HELLO\",\"nonce\":\"00112233445566778899aabbccddeeff\",\"circle_hint\":5}",
					"{\"type\":\"HELLO\",\"nonce\":\"00112233445566778899aabbccddeeff\",\"circle_hint\":\""
							+ crypto.circleHint() + "\",\"node_id\":\"\u202e" + "x".repeat(5000) + "\"}",
					"{\"type\":\"MSG_NEW\",\"message\":{}}", "{\"type\":\"MSGS_SEND\",\"messages\":[]}" };
			return new Frame("before AUTH", pre[rnd.nextInt(pre.length)].getBytes(StandardCharsets.UTF_8), false,
					Expect.CLOSE, true);
		}
		default: {
			// A genuine message (the control): stored over the kept channel.
			hostileIds.add(id);
			return Frame.text("genuine", Json.compact(msgNew(WebClientPeer.envelope(crypto, id, "fine"))), Expect.KEEP);
		}
		}
	}

	private static ObjectNode msgNew(ObjectNode envelope) {
		ObjectNode o = Json.object();
		o.put("type", "MSG_NEW");
		o.set("message", envelope);
		return o;
	}

	/**
	 * One field of a genuine envelope changed. A change to what the AEAD covers (ids, time, channel, nonce,
	 * ciphertext) makes a forgery, which must not be stored: the node refuses the frame or drops the message; either
	 * keeps or closes the channel. Shapes the parser refuses (wrong types, ids that are not ids) must close it.
	 */
	private static Frame mutatedEnvelope(Random rnd, ObjectNode env) {
		ObjectNode enc = (ObjectNode) env.get("enc");
		switch (rnd.nextInt(9)) {
		case 0: {
			String ct = enc.get("ciphertext").asText();
			char[] c = ct.toCharArray();
			int at = rnd.nextInt(Math.max(1, c.length - 2));
			c[at] = c[at] == 'A' ? 'B' : 'A';
			enc.put("ciphertext", new String(c));
			return Frame.text("forged ciphertext", Json.compact(msgNew(env)), Expect.EITHER);
		}
		case 1:
			enc.put("nonce", "AAAAAAAAAAAAAAAA");
			return Frame.text("forged nonce", Json.compact(msgNew(env)), Expect.EITHER);
		case 2:
			env.put("created_ts", env.get("created_ts").asLong() + 1 + rnd.nextInt(1000));
			return Frame.text("forged created_ts", Json.compact(msgNew(env)), Expect.EITHER);
		case 3:
			env.put("channel_id", "ops");
			return Frame.text("forged channel", Json.compact(msgNew(env)), Expect.EITHER);
		case 4:
			env.put("created_ts", "yesterday");
			return Frame.text("created_ts not a number", Json.compact(msgNew(env)), Expect.CLOSE);
		case 5:
			env.put("msg_id", "\u202e" + "x".repeat(rnd.nextInt(5000)));
			return Frame.text("hostile msg_id", Json.compact(msgNew(env)), Expect.CLOSE);
		case 6:
			enc.put("ciphertext", "not base64!");
			return Frame.text("ciphertext not base64", Json.compact(msgNew(env)), Expect.CLOSE);
		case 7:
			env.remove("enc");
			return Frame.text("no envelope", Json.compact(msgNew(env)), Expect.CLOSE);
		default:
			env.put("author_node_id", "0".repeat(24));
			return Frame.text("forged author", Json.compact(msgNew(env)), Expect.EITHER);
		}
	}
}
