package org.felund.transport.webrtc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.felund.api.crypto.CircleCrypto;
import org.felund.api.crypto.CryptoException;
import org.felund.api.crypto.DecryptedBody;
import org.felund.api.crypto.SessionCipher;
import org.felund.api.model.ChatMessage;
import org.felund.api.model.Circle;
import org.felund.api.model.Envelope;
import org.felund.api.model.MessageHeader;
import org.felund.api.store.MessageStore;
import org.felund.api.transport.CircleAccess;
import org.felund.api.transport.ReceiveResult;
import org.felund.api.transport.TransportContext;
import org.felund.protocol.wire.Json;
import org.felund.protocol.wire.MessageJson;
import org.felund.transport.webrtc.WebRtcOptions;
import org.felund.webrtc.PeerSession;
import org.felund.webrtc.RtcRuntime;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Property-based fuzzing of the {@code felund-gossip} DataChannel frame handling (issue 14, fault campaign), in
 * process: a hostile peer drives a real {@link ChannelLink} (and, after AUTH with the extensions, its
 * {@link ExtendedLink} and {@link SealedFrames}) of a real {@link WebRtcEngine} through a {@link ChannelEnd} of the
 * test's own, on the engine's executor as in production; no natives, no sockets. Each input is one session: the
 * web-client protocol (HELLO, AUTH, MSGS_SEND, MSG_NEW), the extension frames and sealed frames, each genuine,
 * mutated, replaced by random text or bytes, or sent as binary, by a peer that holds the circle's key or not, as
 * offerer or answerer. For every input:
 * <ul>
 * <li>no exception escapes the link; a session the link ends carries a reason;</li>
 * <li>no forged message is accepted: nothing reaches the node unless the peer sent the genuine AUTH; every message
 * handed over is of the channel's circle and carries an envelope; on a sealed channel only messages the peer sealed
 * reach the node, exactly as sealed (an altered line is refused or opens to the same bytes);</li>
 * <li>memory is bounded: what the link queues for a stalled peer stays within its limit, and the heap after a
 * collection does not grow with the number of inputs.</li>
 * </ul>
 * 1,000 seed-stable inputs in every build; {@code -Dfelund.fuzz.tries=1000000} is the benchmark run
 * (docs/reliability.md).
 */
class DataChannelFramesFuzzTest {
	static final String CIRCLE = "630dcd2966c4336691125448";
	static final String OTHER_CIRCLE = "7a0dcd2966c4336691125449";
	static final String HINT = "5ca1ab1e5ca1ab1e";
	static final String NODE = "ad5ea04dac0fcd74dce5128d";
	static final String PEER = "6bcb32dbbbb6b4e48a83ed0b";
	static final String LOCAL_FP = "sha-256 AA:BB:CC";
	static final String REMOTE_FP = "sha-256 11:22:33";
	static final byte[] KEY = "the circle's key, test only.....".getBytes(StandardCharsets.UTF_8);
	static final byte[] WRONG_KEY = "someone else's key, test only...".getBytes(StandardCharsets.UTF_8);

	static final TestCrypto CRYPTO = new TestCrypto(KEY);
	static final List<ChatMessage> DELIVERED = new ArrayList<>();
	static final WebRtcEngine ENGINE = new WebRtcEngine(context(), new RtcRuntime(),
			WebRtcOptions.defaults().withMaxFrameBytes(64 * 1024), new Counters(), s -> {
			});
	static final AtomicLong INPUTS = new AtomicLong();
	static final AtomicLong REFUSED = new AtomicLong();
	static final AtomicLong AUTHENTICATED = new AtomicLong();
	static final AtomicLong SEALED = new AtomicLong();
	static final AtomicLong ACCEPTED = new AtomicLong();
	static final AtomicLong REENCODED = new AtomicLong();
	static long heapAfterWarmup = -1;
	static long heapMax;
	static final long STARTED = System.nanoTime();
	/** The link logs every refusal; a million of them would only slow the run. Held so the setting stays. */
	static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("org.felund.transport.webrtc");
	static {
		QUIET.setLevel(java.util.logging.Level.OFF);
	}

	/** Circle crypto of the test's own: HMAC-SHA256 AUTH values and AES-256-GCM session lines. */
	static final class TestCrypto implements CircleCrypto {
		private final byte[] key;

		TestCrypto(byte[] key) {
			this.key = key;
		}

		byte[] hmac(String data) {
			try {
				Mac mac = Mac.getInstance("HmacSHA256");
				mac.init(new SecretKeySpec(key, "HmacSHA256"));
				return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
			} catch (GeneralSecurityException e) {
				throw new IllegalStateException(e);
			}
		}

		@Override
		public String circleId() {
			return CIRCLE;
		}

		@Override
		public String circleHint() {
			return HINT;
		}

		@Override
		public String dataChannelAuth(String myNonce, String peerNonce) {
			return HexFormat.of().formatHex(hmac("auth|" + myNonce + "|" + peerNonce));
		}

		@Override
		public boolean verifyDataChannelAuth(String myNonce, String peerNonce, String peerAuth) {
			return MessageDigest.isEqual(dataChannelAuth(peerNonce, myNonce).getBytes(StandardCharsets.UTF_8),
					peerAuth.getBytes(StandardCharsets.UTF_8));
		}

		@Override
		public SessionCipher session(String clientNonceHex, String serverNonceHex) {
			return new TestCipher(hmac("session|" + clientNonceHex + "|" + serverNonceHex));
		}

		@Override
		public Envelope seal(MessageHeader header, String displayName, String text) {
			throw new UnsupportedOperationException();
		}

		@Override
		public Envelope seal(MessageHeader header, String displayName, String text, byte[] nonce) {
			throw new UnsupportedOperationException();
		}

		@Override
		public DecryptedBody open(MessageHeader header, Envelope envelope) {
			throw new UnsupportedOperationException();
		}

		@Override
		public String legacyMac(ChatMessage message) {
			throw new UnsupportedOperationException();
		}

		@Override
		public boolean verifyLegacyMac(ChatMessage message) {
			throw new UnsupportedOperationException();
		}

		@Override
		public String gossipToken(String nodeId, String circleId, String serverNonce) {
			throw new UnsupportedOperationException();
		}

		@Override
		public boolean verifyGossipToken(String nodeId, String circleId, String serverNonce, String token) {
			throw new UnsupportedOperationException();
		}

		@Override
		public String apiSigningKeyHex() {
			throw new UnsupportedOperationException();
		}

		@Override
		public String signApiRequest(String method, String path, byte[] body, long ts, String nonce) {
			throw new UnsupportedOperationException();
		}

		@Override
		public String channelKeyHash(String channelId, String channelKey) {
			throw new UnsupportedOperationException();
		}
	}

	/** AES-256-GCM lines (nonce ‖ ciphertext, base64), as the session cipher frames them. */
	static final class TestCipher implements SessionCipher {
		private final SecretKeySpec key;
		private final SecureRandom random = new SecureRandom();

		TestCipher(byte[] key) {
			this.key = new SecretKeySpec(key, "AES");
		}

		@Override
		public String seal(byte[] frameJson) {
			try {
				byte[] nonce = new byte[12];
				random.nextBytes(nonce);
				Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
				c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
				byte[] ct = c.doFinal(frameJson);
				byte[] line = new byte[12 + ct.length];
				System.arraycopy(nonce, 0, line, 0, 12);
				System.arraycopy(ct, 0, line, 12, ct.length);
				return Base64.getEncoder().encodeToString(line);
			} catch (GeneralSecurityException e) {
				throw new IllegalStateException(e);
			}
		}

		@Override
		public byte[] open(String line) throws CryptoException {
			try {
				byte[] raw = Base64.getDecoder().decode(line.strip());
				if (raw.length < 28) {
					throw new CryptoException("Frame too short");
				}
				Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
				c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, raw, 0, 12));
				return c.doFinal(raw, 12, raw.length - 12);
			} catch (GeneralSecurityException | IllegalArgumentException e) {
				throw new CryptoException("Undecryptable: " + e.getMessage());
			}
		}
	}

	static final CircleAccess ACCESS = new CircleAccess() {
		@Override
		public Circle circle() {
			throw new UnsupportedOperationException("the link reads the circle id and crypto only");
		}

		@Override
		public String circleId() {
			return CIRCLE;
		}

		@Override
		public CircleCrypto crypto() {
			return CRYPTO;
		}
	};

	/** The node as the engine sees it: one circle, an empty store, and a record of what it was handed. */
	static TransportContext context() {
		MessageStore empty = (MessageStore) Proxy.newProxyInstance(MessageStore.class.getClassLoader(),
				new Class<?>[] { MessageStore.class }, (proxy, method, args) -> neutral(method.getReturnType()));
		return (TransportContext) Proxy.newProxyInstance(TransportContext.class.getClassLoader(),
				new Class<?>[] { TransportContext.class }, (proxy, method, args) -> switch (method.getName()) {
				case "nodeId" -> NODE;
				case "displayName" -> "fuzz";
				case "circles" -> List.of(ACCESS);
				case "circle" -> CIRCLE.equals(args[0]) ? Optional.of(ACCESS) : Optional.empty();
				case "circleByHint" -> HINT.equals(args[0]) ? Optional.of(ACCESS) : Optional.empty();
				case "messages" -> empty;
				case "receiveAll" -> {
					@SuppressWarnings("unchecked")
					List<ChatMessage> batch = (List<ChatMessage>) args[1];
					assertEquals(CIRCLE, args[0]);
					DELIVERED.addAll(batch);
					yield batch.stream().map(m -> ReceiveResult.STORED).toList();
				}
				case "receive" -> throw new AssertionError("the link hands messages over in batches");
				case "hashCode" -> System.identityHashCode(proxy);
				case "equals" -> proxy == args[0];
				case "toString" -> "fuzz context";
				default -> neutral(method.getReturnType());
				});
	}

	static Object neutral(Class<?> type) {
		if (type == boolean.class) {
			return false;
		}
		if (type == int.class) {
			return 0;
		}
		if (type == long.class) {
			return 0L;
		}
		if (type == Optional.class) {
			return Optional.empty();
		}
		if (type == List.class) {
			return List.of();
		}
		if (type == Set.class) {
			return Set.of();
		}
		return null;
	}

	/** The peer's side of the channel: what the link sent and whether it ended the session, and why. */
	static final class FakeEnd implements ChannelEnd {
		final List<String> sent = new ArrayList<>();
		boolean writable = true;
		String closedFor;
		int closes;

		@Override
		public String peerNodeId() {
			return PEER;
		}

		@Override
		public String localFingerprint() {
			return LOCAL_FP;
		}

		@Override
		public String remoteFingerprint() {
			return REMOTE_FP;
		}

		@Override
		public boolean writable() {
			return writable;
		}

		@Override
		public void send(byte[] frame) {
			assertTrue(writable, "the link wrote to a channel that was not writable");
			sent.add(new String(frame, StandardCharsets.UTF_8));
		}

		@Override
		public void close(String reason) {
			closes++;
			closedFor = reason;
		}

		@Override
		public PeerSession session() {
			return null;
		}

		/** The link's HELLO nonce, once it sent its HELLO. */
		String nonce() {
			for (String s : sent) {
				if (s.startsWith("{")) {
					var f = Json.parse(s);
					if (ChannelFrames.HELLO.equals(ChannelFrames.type(f))) {
						return ChannelFrames.text(f, "nonce");
					}
				}
			}
			return null;
		}
	}

	static String mutate(String seed, int edits, Random rnd) {
		String nasty = "\u0000\n\r \"\\{}[]:,0123456789eE-+.\u00e9\u202e\ud800\ufeffA=/";
		StringBuilder s = new StringBuilder(seed);
		for (int e = 0; e < edits; e++) {
			int at = s.isEmpty() ? 0 : rnd.nextInt(s.length() + 1);
			switch (rnd.nextInt(6)) {
			case 0 -> {
				if (at < s.length()) {
					s.setCharAt(at, nasty.charAt(rnd.nextInt(nasty.length())));
				}
			}
			case 1 -> s.delete(at, Math.min(s.length(), at + 1 + rnd.nextInt(8)));
			case 2 -> s.insert(at, nasty.charAt(rnd.nextInt(nasty.length())));
			case 3 -> s.insert(at, s.substring(at, Math.min(s.length(), at + 1 + rnd.nextInt(16))));
			case 4 -> {
				if (at < s.length()) {
					s.setCharAt(at, (char) (s.charAt(at) ^ (1 << rnd.nextInt(7))));
				}
			}
			default -> s.setLength(at);
			}
		}
		return s.toString();
	}

	static ChatMessage message(Random rnd, int i) {
		String circle = rnd.nextInt(12) == 0 ? OTHER_CIRCLE : CIRCLE;
		String id = String.format("%016x%016x", rnd.nextLong(), i);
		byte[] nonce = new byte[12];
		rnd.nextBytes(nonce);
		byte[] ct = new byte[16 + rnd.nextInt(48)];
		rnd.nextBytes(ct);
		Envelope enc = new Envelope("aes-256-gcm", "k1", Base64.getEncoder().encodeToString(nonce),
				Base64.getEncoder().encodeToString(ct));
		return new ChatMessage(id, circle, ChatMessage.GENERAL, PEER, 1_700_000_000L + rnd.nextInt(1_000_000), "", "", "",
				2, enc);
	}

	/** One hostile session, built from {@code seed}. */
	static final class Session {
		final Random rnd;
		final boolean offerer;
		final boolean knowsKey;
		final boolean offersExtensions;
		final FakeEnd end = new FakeEnd();
		final ChannelLink link;
		final String peerNonce;
		final Set<String> intactSealed = new HashSet<>();
		/** Message ids in the sealed frame built last; genuine only if it is sent unaltered. */
		final List<String> lastSealedIds = new ArrayList<>();
		/** Every message the peer sealed, whether the frame then went out intact or altered. */
		final Set<ChatMessage> sealedByPeer = new HashSet<>();
		boolean sentGenuineAuth;
		SealedFrames peerFrames;
		int sealedSent;

		Session(long seed) {
			rnd = new Random(seed);
			offerer = rnd.nextBoolean();
			knowsKey = rnd.nextInt(5) != 0;
			offersExtensions = rnd.nextBoolean();
			peerNonce = HexFormat.of().formatHex(new byte[] { (byte) rnd.nextInt(), 1, 2, 3, 4, 5, 6, (byte) seed,
					(byte) (seed >>> 8), (byte) (seed >>> 16), 10, 11, 12, 13, 14, 15 });
			link = new ChannelLink(ENGINE, end, offerer ? ACCESS : null, offerer);
		}

		void run() {
			link.opened(null);
			int steps = 1 + rnd.nextInt(12);
			for (int i = 0; i < steps && !link.isClosed(); i++) {
				end.writable = rnd.nextInt(8) != 0;
				if (end.writable) {
					link.writable(null);
				}
				lastSealedIds.clear();
				String genuine = genuine(i);
				int how = rnd.nextInt(16);
				byte[] bytes;
				boolean binary = false;
				if (how < 9) {
					bytes = genuine.getBytes(StandardCharsets.UTF_8);
					if (auth() != null && genuine.contains(auth())) {
						sentGenuineAuth = true;
					}
					if (peerFrames != null && !genuine.startsWith("{")) {
						sealedSent++;
						intactSealed.addAll(lastSealedIds);
					}
				} else if (how < 13) {
					String m = mutate(genuine, 1 + rnd.nextInt(6), rnd);
					if (auth() != null && m.contains(auth())) {
						sentGenuineAuth = true;
					}
					if (m.equals(genuine) && peerFrames != null && !genuine.startsWith("{")) {
						// Edits that cancel out (a cut at the end, an empty copy) leave the frame genuine.
						sealedSent++;
						intactSealed.addAll(lastSealedIds);
					}
					bytes = m.getBytes(StandardCharsets.UTF_8);
				} else if (how == 13) {
					bytes = new byte[rnd.nextInt(rnd.nextBoolean() ? 80 : 70_000)];
					rnd.nextBytes(bytes);
				} else if (how == 14) {
					bytes = genuine.getBytes(StandardCharsets.UTF_8);
					binary = true;
				} else {
					StringBuilder deep = new StringBuilder();
					int depth = rnd.nextInt(5000);
					deep.append("[".repeat(depth)).append("{\"type\":\"MSG_NEW\"}").append("]".repeat(rnd.nextInt(depth + 1)));
					bytes = deep.toString().getBytes(StandardCharsets.UTF_8);
				}
				link.message(null, bytes, binary);
			}
		}

		/** The genuine AUTH value this peer can compute, once the link's nonce is known. */
		String auth() {
			String nonce = end.nonce();
			if (nonce == null) {
				return null;
			}
			return new TestCrypto(knowsKey ? KEY : WRONG_KEY).dataChannelAuth(peerNonce, nonce);
		}

		/** The next frame an honest peer (of this key) would send at this point, or a frame out of place. */
		String genuine(int step) {
			String linkNonce = end.nonce();
			boolean sealed = link.isExtended();
			if (sealed && peerFrames == null) {
				String offererNonce = offerer ? linkNonce : peerNonce;
				String answererNonce = offerer ? peerNonce : linkNonce;
				peerFrames = new SealedFrames(new TestCrypto(knowsKey ? KEY : WRONG_KEY).session(offererNonce,
						answererNonce), !offerer);
			}
			int pick = rnd.nextInt(10);
			if (step == 0 || pick == 0) {
				ObjectNode hello = ChannelFrames.hello(rnd.nextInt(20) == 0 ? NODE : PEER,
						rnd.nextInt(20) == 0 ? "0000000000000000" : HINT, peerNonce, offersExtensions);
				return Json.compact(hello);
			}
			if ((step == 1 || pick == 1) && linkNonce != null) {
				return Json.compact(ChannelFrames.auth(auth()));
			}
			if (step == 1 && rnd.nextBoolean()) {
				// The web client may send AUTH before the node's HELLO reached it: an AUTH it cannot compute yet.
				return Json.compact(ChannelFrames.auth(HexFormat.of().formatHex(CRYPTO.hmac("guess" + rnd.nextInt()))));
			}
			if (sealed) {
				return sealedFrame(step);
			}
			if (pick < 6) {
				return Json.compact(ChannelFrames.msgNew(message(rnd, step)));
			}
			if (pick < 9) {
				List<ChatMessage> batch = new ArrayList<>();
				int n = rnd.nextInt(rnd.nextInt(10) == 0 ? 1200 : 8);
				for (int i = 0; i < n; i++) {
					batch.add(message(rnd, i));
				}
				ObjectNode frame = Json.object();
				frame.put(ChannelFrames.TYPE, ChannelFrames.MSGS_SEND);
				ArrayNode list = frame.putArray("messages");
				batch.forEach(m -> list.add(MessageJson.toRelayEnvelope(m)));
				return Json.compact(frame);
			}
			ObjectNode unknown = Json.object();
			unknown.put(ChannelFrames.TYPE, "PEERS_" + rnd.nextInt(3));
			return Json.compact(unknown);
		}

		String sealedFrame(int step) {
			ObjectNode f = Json.object();
			if (sealedSent == 0 && rnd.nextInt(6) != 0) {
				f.put("t", ExtendedLink.X_BIND);
				ArrayNode fp = f.putArray("fp");
				fp.add(rnd.nextInt(10) == 0 ? "sha-256 EV:IL" : REMOTE_FP);
				fp.add(LOCAL_FP);
			} else {
				switch (rnd.nextInt(7)) {
				case 0, 1, 2 -> {
					f.put("t", ExtendedLink.X_MSGS);
					ArrayNode list = f.putArray("messages");
					int n = rnd.nextInt(6);
					for (int i = 0; i < n; i++) {
						list.add(MessageJson.toWire(message(rnd, step * 100 + i)));
					}
					f.put("last", rnd.nextBoolean());
				}
				case 3 -> {
					f.put("t", ExtendedLink.X_RECON);
					f.putArray("r");
				}
				case 4 -> f.put("t", ExtendedLink.X_PING);
				case 5 -> {
					f.put("t", ExtendedLink.X_REQ);
					f.putArray("ids").add(String.format("%032x", rnd.nextInt()));
				}
				default -> f.put("t", rnd.nextInt(8) == 0 ? ExtendedLink.X_BYE : ExtendedLink.X_PONG);
				}
			}
			if (ExtendedLink.X_MSGS.equals(f.get("t").asText()) && knowsKey) {
				for (var m : f.get("messages")) {
					lastSealedIds.add(m.get("msg_id").asText());
					sealedByPeer.add(MessageJson.fromWire(m));
				}
			}
			return peerFrames.seal(f);
		}
	}

	@Property(seed = "20261205")
	void hostileDataChannelSessionsAreRefusedWithAReasonAndForgeNothing(@ForAll long seed) throws Exception {
		Session s = new Session(seed);
		List<ChatMessage> delivered;
		try {
			delivered = ENGINE.executor().submit(() -> {
				DELIVERED.clear();
				try {
					s.run();
				} finally {
					if (!s.link.isClosed()) {
						s.link.end("fuzz input done");
					}
				}
				return List.copyOf(DELIVERED);
			}).get(30, TimeUnit.SECONDS);
		} catch (ExecutionException e) {
			throw new AssertionError("an exception escaped the DataChannel link (seed " + seed + ")", e.getCause());
		}
		INPUTS.incrementAndGet();
		assertTrue(s.link.isClosed());
		assertEquals(1, s.end.closes, "the session is closed once");
		assertTrue(s.end.closedFor != null && !s.end.closedFor.isBlank(), "a closed session says why");
		if (!"fuzz input done".equals(s.end.closedFor)) {
			REFUSED.incrementAndGet();
		}
		if (s.link.authenticatedNanos() != 0) {
			AUTHENTICATED.incrementAndGet();
			assertTrue(s.knowsKey && s.sentGenuineAuth, "authenticated a peer that never sent the genuine AUTH");
		}
		if (s.link.isExtended()) {
			SEALED.incrementAndGet();
		}
		// Forgeries: nothing without the genuine AUTH, nothing of another circle, nothing without an envelope, and
		// on a sealed channel only what arrived in intact sealed frames.
		if (!delivered.isEmpty()) {
			ACCEPTED.addAndGet(delivered.size());
			assertTrue(s.knowsKey && s.sentGenuineAuth && s.link.authenticatedNanos() != 0,
					"messages accepted from a peer that did not authenticate (seed " + seed + ")");
			for (ChatMessage m : delivered) {
				assertEquals(CIRCLE, m.circleId(), "a message of another circle accepted");
				assertTrue(m.enc() != null, "a message without an envelope accepted");
				if (s.link.isExtended()) {
					// An altered line either fails to open or opens to exactly what was sealed: base64 that is not
					// canonical (other trailing bits, white space around the line) decodes to the same bytes.
					assertTrue(s.sealedByPeer.contains(m),
							"a message accepted on a sealed channel that the peer never sealed (seed " + seed + ")");
					if (!s.intactSealed.contains(m.msgId())) {
						REENCODED.incrementAndGet();
					}
				}
			}
		}
		assertFalse(s.end.sent.size() > 4096 + 16, "the link queued without bound: " + s.end.sent.size());
		sampleHeap();
	}

	static void sampleHeap() {
		long n = INPUTS.get();
		if (n == 500 || n % 100_000 == 0) {
			System.gc();
			long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
			if (n == 500) {
				heapAfterWarmup = used;
			}
			heapMax = Math.max(heapMax, used);
		}
	}

	@AfterContainer
	static void report() {
		System.gc();
		long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
		heapMax = Math.max(heapMax, used);
		double secs = (System.nanoTime() - STARTED) / 1e9;
		System.out.printf("DataChannel frame fuzzing: %d sessions in %.1f s; refused %d, authenticated %d, sealed %d,"
				+ " messages accepted %d (all genuine; %d of them from a sealed line re-encoded to the same bytes); heap after GC %d MiB after 500 inputs, max %d MiB, final %d MiB%n",
				INPUTS.get(), secs, REFUSED.get(), AUTHENTICATED.get(), SEALED.get(), ACCEPTED.get(), REENCODED.get(),
				heapAfterWarmup >> 20, heapMax >> 20, used >> 20);
		ENGINE.stop();
		if (heapAfterWarmup > 0) {
			assertTrue(used - heapAfterWarmup < 64L << 20, "heap grew by " + ((used - heapAfterWarmup) >> 20)
					+ " MiB over " + INPUTS.get() + " inputs");
		}
	}
}
