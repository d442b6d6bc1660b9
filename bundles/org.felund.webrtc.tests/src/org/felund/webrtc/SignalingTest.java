package org.felund.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes' signaling through the real relay's mailbox and real webrtc-java peer connections over the loopback
 * workaround, in one JVM.
 */
class SignalingTest {
	private static final Duration WAIT = Duration.ofSeconds(15);
	private static final String A = "0a0a0a0a0a0a0a0a0a0a0a0a";
	private static final String B = "0b0b0b0b0b0b0b0b0b0b0b0b";
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
	void offerAnswerAndDataChannelBothWaysThenEverySessionIsFreed() throws Exception {
		try (TestRelay relay = new TestRelay(tmp.resolve("relay.db"));
				TestPeer a = new TestPeer(runtime, relay.url(), A, Signaling.Options.defaults());
				TestPeer b = new TestPeer(runtime, relay.url(), B, Signaling.Options.defaults())) {
			List<String> echoes = new CopyOnWriteArrayList<>();
			AtomicReference<DataChannelPort> port = new AtomicReference<>();
			PeerSession offered = a.call(() -> a.signaling.offer(B, TestPeer.HINT, new PeerSession.Listener() {
			}, s -> port.set(s.openDataChannel("felund-gossip", true, new DataChannelPort.Listener() {
				@Override
				public void opened(DataChannelPort p) {
					p.send("hello");
				}

				@Override
				public void message(DataChannelPort p, byte[] data, boolean binary) {
					echoes.add(new String(data, StandardCharsets.UTF_8));
				}
			}))));
			assertNotNull(offered);
			assertEquals("0a0a0a0a0a0a0a0a0a0a0a0a:0b0b0b0b0b0b0b0b0b0b0b0b", offered.sessionId());
			TestPeer.await("the echo", WAIT, () -> echoes.contains("echo:hello"));
			assertEquals(List.of("hello"), b.received);
			assertEquals(PeerSession.State.CONNECTED, a.call(offered::state));
			// Both descriptions carried the DTLS fingerprints that the transport binds its session to.
			String remoteSeenByA = a.call(offered::remoteFingerprint);
			String localOfB = b.call(() -> b.signaling.sessions().get(0).localFingerprint());
			assertTrue(remoteSeenByA.startsWith("SHA-256 "), remoteSeenByA);
			assertEquals(localOfB, remoteSeenByA);
			assertEquals(1, a.signaling.stats().offered());
			assertEquals(1, b.signaling.stats().answered());

			a.call(() -> {
				offered.close("test done");
				return null;
			});
			TestPeer.await("B to notice the close", WAIT, () -> sessions(b) == 0);
			assertEquals(0, sessions(a));
			assertEquals(0, a.factory.openConnections(), "every native peer connection released");
		}
	}

	@Test
	void signalsWithAWrongSessionIdAreRefusedAndCreateNoSession() throws Exception {
		try (TestRelay relay = new TestRelay(tmp.resolve("relay.db"));
				TestPeer b = new TestPeer(runtime, relay.url(), B, Signaling.Options.defaults())) {
			String offer = "{\"type\":\"offer\",\"sdp\":\"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\n\"}";
			postRaw(relay.url(), "someone-else:" + B, A, "offer", offer);
			postRaw(relay.url(), B + ":" + A, A, "offer", offer); // the right ids, the wrong order
			postRaw(relay.url(), "x".repeat(40), A, "candidate", "{\"candidate\":\"candidate:1 1 udp 1 127.0.0.1 9 typ host\"}");
			TestPeer.await("three refusals", WAIT, () -> b.signaling.stats().refusedSignals() == 3);
			assertEquals(0, sessions(b));
			assertEquals(0, b.signaling.stats().answered());
		}
	}

	@Test
	void garbageOffersAreRefusedAndABrokenDescriptionClosesItsSessionWithAReason() throws Exception {
		try (TestRelay relay = new TestRelay(tmp.resolve("relay.db"));
				TestPeer b = new TestPeer(runtime, relay.url(), B, Signaling.Options.defaults())) {
			String session = A + ":" + B;
			postRaw(relay.url(), session, A, "offer", "not json");
			postRaw(relay.url(), session, A, "offer", "{\"type\":\"answer\",\"sdp\":\"v=0\"}");
			TestPeer.await("two refusals", WAIT, () -> b.signaling.stats().refusedSignals() == 2);
			// Well-formed enough to reach libwebrtc, which rejects it: the session closes, with the reason logged.
			postRaw(relay.url(), session, A, "offer", "{\"type\":\"offer\",\"sdp\":\"v=0\\r\\nbroken\\r\\n\"}");
			TestPeer.await("the broken offer's session to close", WAIT, () -> !b.closeReasons.isEmpty());
			assertTrue(b.closeReasons.get(0).contains("applying the remote OFFER failed"), b.closeReasons.toString());
			assertEquals(0, sessions(b));
			assertEquals(0, b.factory.openConnections());
		}
	}

	@Test
	void glareKeepsTheOfferOfTheSmallerNodeIdAndConnectsOnce() throws Exception {
		try (TestRelay relay = new TestRelay(tmp.resolve("relay.db"));
				TestPeer a = new TestPeer(runtime, relay.url(), A, Signaling.Options.defaults());
				TestPeer b = new TestPeer(runtime, relay.url(), B, Signaling.Options.defaults())) {
			List<String> bReasons = new CopyOnWriteArrayList<>();
			// Both offer at once: B breaks the offerer rule, as a peer that waited too long for A would.
			PeerSession fromA = a.call(() -> a.signaling.offer(B, TestPeer.HINT, new PeerSession.Listener() {
			}, s -> s.openDataChannel("felund-gossip", true, (p, d, bin) -> {
			})));
			PeerSession fromB = b.call(() -> b.signaling.offer(A, TestPeer.HINT, new PeerSession.Listener() {
				@Override
				public void closed(PeerSession s, String reason) {
					bReasons.add(reason);
				}
			}, s -> s.openDataChannel("felund-gossip", true, (p, d, bin) -> {
			})));
			assertNotNull(fromA);
			assertNotNull(fromB);
			TestPeer.await("A's offer to connect", WAIT, () -> state(a, fromA) == PeerSession.State.CONNECTED);
			TestPeer.await("B's own offer to give way", WAIT, () -> !bReasons.isEmpty());
			assertTrue(bReasons.get(0).startsWith("glare"), bReasons.toString());
			assertEquals(1, sessions(a));
			assertEquals(1, sessions(b));
			assertTrue(a.signaling.stats().glare() + b.signaling.stats().glare() >= 1);
		}
	}

	@Test
	void anOfferOlderThanTheIceTimeoutIsIgnoredWhenTheMailboxReplaysIt() throws Exception {
		Signaling.Options shortTimeout = Signaling.Options.defaults().withIceTimeout(Duration.ofSeconds(1));
		try (TestRelay relay = new TestRelay(tmp.resolve("relay.db"))) {
			PeerSession offered;
			try (TestPeer a = new TestPeer(runtime, relay.url(), A, shortTimeout)) {
				offered = a.call(() -> a.signaling.offer(B, TestPeer.HINT, new PeerSession.Listener() {
				}, s -> s.openDataChannel("felund-gossip", true, (p, d, bin) -> {
				})));
				assertNotNull(offered);
				TestPeer.await("the offer to be posted", WAIT, () -> a.mailbox.stats().posted() == 1);
			}
			Thread.sleep(2500);
			try (TestPeer b = new TestPeer(runtime, relay.url(), B, shortTimeout)) {
				TestPeer.await("B to read the old offer", WAIT, () -> b.signaling.stats().staleSignals() >= 1);
				assertEquals(0, sessions(b));
				assertEquals(0, b.signaling.stats().answered());
			}
		}
	}

	@Test
	void aRelayWithoutMailboxIsReportedAndNothingIsOffered() throws Exception {
		try (TestRelay relay = new TestRelay(tmp.resolve("relay.db"));
				SignalMailbox mailbox = new SignalMailbox(SignalMailbox.signalUrl(relay.url() + "/no-such-prefix"), A,
						TestPeer.fastMailbox());
				RtcFactory factory = runtime.factory(AudioMode.NONE)) {
			java.util.concurrent.ScheduledExecutorService executor = java.util.concurrent.Executors
					.newSingleThreadScheduledExecutor();
			try {
				Signaling signaling = new Signaling(A, factory, mailbox, SignalProfile.DATA, IceSettings.loopbackOnly(),
						Signaling.Options.defaults(), executor, offer -> null);
				signaling.start();
				TestPeer.await("the relay's answer", WAIT,
						() -> mailbox.availability() == SignalMailbox.Availability.UNSUPPORTED);
				assertTrue(mailbox.availabilityDetail().contains("no signaling mailbox"), mailbox.availabilityDetail());
				assertNull(executor.submit(() -> signaling.offer(B, TestPeer.HINT, new PeerSession.Listener() {
				}, x -> x.openDataChannel("felund-gossip", true, (p, d, bin) -> {
				}))).get(), "nothing is offered through a mailbox that cannot be read");
				assertEquals(0, factory.openConnections());
				executor.submit(signaling::close).get();
			} finally {
				executor.shutdownNow();
			}
		}
	}

	@Test
	void aSignalTheRelayRefusesClosesItsSessionWithTheRelaysReason() throws Exception {
		try (TestRelay relay = new TestRelay(tmp.resolve("relay.db"));
				TestPeer a = new TestPeer(runtime, relay.url(), A, Signaling.Options.defaults())) {
			List<String> reasons = new CopyOnWriteArrayList<>();
			// The relay validates the circle hint (8+ characters) and answers 400.
			PeerSession s = a.call(() -> a.signaling.offer(B, "short", new PeerSession.Listener() {
				@Override
				public void closed(PeerSession session, String reason) {
					reasons.add(reason);
				}
			}, x -> x.openDataChannel("felund-gossip", true, (p, d, bin) -> {
			})));
			assertNotNull(s);
			TestPeer.await("the session to close", WAIT, () -> !reasons.isEmpty());
			assertTrue(reasons.get(0).contains("REFUSED") && reasons.get(0).contains("circle_hint"), reasons.toString());
			assertEquals(0, a.factory.openConnections());
			assertEquals(1, a.mailbox.stats().refused());
		}
	}

	@Test
	void rateLimitedPostsBackOffAndAreAllDeliveredInOrder() throws Exception {
		try (TestRelay relay = new TestRelay(tmp.resolve("relay.db"), 2, Duration.ofSeconds(1));
				SignalMailbox sender = new SignalMailbox(SignalMailbox.signalUrl(relay.url()), A,
						SignalMailbox.Options.defaults().withBackoff(Duration.ofMillis(200), Duration.ofSeconds(2),
								Duration.ofSeconds(2)));
				SignalMailbox receiver = new SignalMailbox(SignalMailbox.signalUrl(relay.url()), B,
						TestPeer.fastMailbox())) {
			List<Signal> got = new CopyOnWriteArrayList<>();
			receiver.subscribe(new SignalMailbox.Subscriber() {
				@Override
				public boolean handles(String type) {
					return true;
				}

				@Override
				public void received(List<Signal> signals, long serverTime) {
					got.addAll(signals);
				}
			});
			var results = new java.util.ArrayList<java.util.concurrent.CompletableFuture<SignalMailbox.PostOutcome>>();
			for (int i = 0; i < 6; i++) {
				results.add(sender.post(new OutgoingSignal(A + ":" + B, B, TestPeer.HINT, "candidate",
						"{\"n\":" + i + "}", 60)));
			}
			for (var r : results) {
				assertEquals(SignalMailbox.PostStatus.POSTED, r.get(20, java.util.concurrent.TimeUnit.SECONDS).status());
			}
			assertTrue(sender.stats().rateLimited() > 0, "the relay's limit was hit");
			TestPeer.await("all six to arrive", WAIT, () -> got.size() == 6);
			for (int i = 0; i < 6; i++) {
				assertEquals("{\"n\":" + i + "}", got.get(i).payload());
			}
		}
	}

	@Test
	void connectCloseCyclesLeaveNoConnectionThreadOrDescriptorBehind() throws Exception {
		Signaling.Options options = Signaling.Options.defaults();
		try (TestRelay relay = new TestRelay(tmp.resolve("relay.db"));
				TestPeer a = new TestPeer(runtime, relay.url(), A, options, TestPeer.busyMailbox());
				TestPeer b = new TestPeer(runtime, relay.url(), B, options, TestPeer.busyMailbox())) {
			RtcBenchmark.cycle(a);
			TestPeer.await("B idle", WAIT, () -> sessions(b) == 0);
			RtcBenchmark.Sample before = RtcBenchmark.Sample.take();
			// The measure sees open connections: one session holds UDP sockets at both ends.
			PeerSession held = a.call(() -> a.signaling.offer(B, TestPeer.HINT, new PeerSession.Listener() {
			}, x -> x.openDataChannel("felund-gossip", true, (p, d, bin) -> {
			})));
			TestPeer.await("the held session", WAIT, () -> state(a, held) == PeerSession.State.CONNECTED);
			assertTrue(RtcBenchmark.Sample.take().udpSockets() > before.udpSockets());
			a.call(() -> {
				held.close("measured");
				return null;
			});
			TestPeer.await("B idle", WAIT, () -> sessions(b) == 0);
			for (int i = 0; i < 20; i++) {
				RtcBenchmark.cycle(a);
			}
			TestPeer.await("B idle", WAIT, () -> sessions(b) == 0);
			RtcBenchmark.Sample after = RtcBenchmark.Sample.take();
			assertEquals(0, a.factory.openConnections(), "every peer connection released");
			// No thread per connection (the factory's three serve them all); the JDK's HTTP client may add one.
			assertTrue(after.threads() <= before.threads() + 2, "threads " + before + " → " + after);
			// Each peer connection binds UDP sockets; HTTP keep-alive sockets to the relay come and go.
			assertEquals(before.udpSockets(), after.udpSockets(), "UDP sockets " + before + " → " + after);
			assertEquals(22, b.signaling.stats().answered());
		}
	}

	@Test
	void theSignalUrlIsBuiltLikeTheRelayClientsBuildTheirs() {
		assertEquals(URI.create("http://h:1/v1/signal"), SignalMailbox.signalUrl("http://h:1"));
		assertEquals(URI.create("http://h:1/v1/signal"), SignalMailbox.signalUrl("http://h:1/"));
		assertEquals(URI.create("https://h/api/v1/signal"), SignalMailbox.signalUrl("https://h/api/v1/"));
		assertEquals("0a:0b", SignalProfile.DATA.sessionId("0b", "0a"));
		assertEquals("media:c1:0a:0b", SignalProfile.media("c1").sessionId("0a", "0b"));
		assertTrue(SignalProfile.offersFirst("0a", "0b"));
	}

	private static int sessions(TestPeer p) {
		try {
			return p.sessionCount();
		} catch (Exception e) {
			throw new AssertionError(e);
		}
	}

	private static PeerSession.State state(TestPeer p, PeerSession s) {
		try {
			return p.call(s::state);
		} catch (Exception e) {
			throw new AssertionError(e);
		}
	}

	private static void postRaw(String relay, String sessionId, String from, String type, String payload)
			throws Exception {
		String body = "{\"session_id\":" + quote(sessionId) + ",\"from_node_id\":" + quote(from) + ",\"to_node_id\":"
				+ quote(B) + ",\"circle_hint\":\"" + TestPeer.HINT + "\",\"type\":" + quote(type) + ",\"payload\":"
				+ quote(payload) + "}";
		HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(relay + "/v1/signal"))
				.POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
				HttpResponse.BodyHandlers.ofString());
		assertEquals(200, r.statusCode(), r.body());
	}

	private static String quote(String s) throws Exception {
		return SignalMailbox.JSON.writeValueAsString(s);
	}
}
