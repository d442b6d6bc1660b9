package org.felund.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.felund.api.crypto.CircleCrypto;
import org.felund.api.crypto.CircleSecret;
import org.felund.crypto.JcaCryptoService;
import org.felund.relay.server.SignaturePolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signals signed with the circle's API key (protocol §3.8, path {@code /signal}) through the real relay server: what a
 * relay run with {@code --signatures strict} takes, what it refuses and how the refusal reads.
 */
class SignedSignalsTest {
	private static final Duration WAIT = Duration.ofSeconds(15);
	private static final String A = TestRelay.A;
	private static final String B = TestRelay.B;
	private static final CircleCrypto CIRCLE = TestRelay.CIRCLE;
	/** Another circle: its key signs nothing the relay bound to {@link #CIRCLE}. */
	private static final CircleCrypto OTHER = new JcaCryptoService()
			.forCircle(CircleSecret.fromHex("1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100"));

	@TempDir
	Path tmp;

	@Test
	void aStrictRelayTakesSignedSignalsAndRefusesUnsignedAndForgedOnesWithTheReason() throws Exception {
		try (TestRelay relay = new TestRelay(tmp.resolve("relay.db"), SignaturePolicy.STRICT, Clock.systemUTC());
				SignalMailbox sender = mailbox(relay, A);
				SignalMailbox unsigned = mailbox(relay, A);
				SignalMailbox forger = mailbox(relay, A);
				SignalMailbox receiver = mailbox(relay, B)) {
			sender.authorize(CIRCLE.circleHint(), CIRCLE::signApiRequest);
			forger.authorize(CIRCLE.circleHint(), OTHER::signApiRequest);
			receiver.authorize(CIRCLE.circleHint(), CIRCLE::signApiRequest);
			List<Signal> got = collect(receiver);

			SignalMailbox.PostOutcome noSignature = post(unsigned, "{\"n\":\"unsigned\"}");
			assertEquals(SignalMailbox.PostStatus.REFUSED, noSignature.status());
			assertTrue(noSignature.detail().startsWith("HTTP 401 INVALID_SIGNATURE")
					&& noSignature.detail().contains("the signal was unsigned"), noSignature.detail());

			SignalMailbox.PostOutcome forged = post(forger, "{\"n\":\"forged\"}");
			assertEquals(SignalMailbox.PostStatus.REFUSED, forged.status());
			assertTrue(forged.detail().startsWith("HTTP 401 INVALID_SIGNATURE"), forged.detail());

			assertEquals(SignalMailbox.PostStatus.POSTED, post(sender, "{\"n\":1}").status());
			assertEquals(SignalMailbox.PostStatus.POSTED, post(sender, "{\"n\":2}").status());
			TestPeer.await("the signed signals", WAIT, () -> got.size() >= 2);
			Thread.sleep(300); // a few more polls: nothing else may arrive
			assertEquals(List.of("{\"n\":1}", "{\"n\":2}"), got.stream().map(Signal::payload).toList());
			assertTrue(got.stream().allMatch(s -> CIRCLE.circleHint().equals(s.circleHint())), got.toString());
			assertEquals(SignalMailbox.Availability.AVAILABLE, receiver.availability());
			assertEquals(2, sender.stats().posted());
			assertEquals(0, forger.stats().posted() + unsigned.stats().posted());
		}
	}

	@Test
	void aMailboxWithoutTheCirclesKeyCannotReadAStrictRelayAndSaysWhy() throws Exception {
		try (TestRelay relay = new TestRelay(tmp.resolve("relay.db"), SignaturePolicy.STRICT, Clock.systemUTC());
				SignalMailbox reader = mailbox(relay, B)) {
			collect(reader);
			TestPeer.await("the refusal", WAIT,
					() -> reader.availability() == SignalMailbox.Availability.UNREACHABLE);
			assertTrue(reader.availabilityDetail().startsWith("HTTP 401 INVALID_SIGNATURE"),
					reader.availabilityDetail());

			// With a key the relay has not bound, the signed read is refused and so is the unsigned one.
			reader.authorize(OTHER.circleHint(), OTHER::signApiRequest);
			TestPeer.await("both refusals", WAIT,
					() -> reader.availabilityDetail().contains("refused the signed signal read of circle"));
			assertTrue(reader.availabilityDetail().contains(OTHER.circleHint()), reader.availabilityDetail());
		}
	}

	@Test
	void aSignalReadUnderSeveralCirclesIsDeliveredOnce() throws Exception {
		// compat: OTHER's key is bound nowhere, so its signed read is refused and the mailbox also reads unsigned;
		// CIRCLE's signed read and the unsigned read both return the same signals.
		try (TestRelay relay = new TestRelay(tmp.resolve("relay.db"));
				SignalMailbox sender = mailbox(relay, A);
				SignalMailbox receiver = mailbox(relay, B)) {
			sender.authorize(CIRCLE.circleHint(), CIRCLE::signApiRequest);
			receiver.authorize(CIRCLE.circleHint(), CIRCLE::signApiRequest);
			receiver.authorize(OTHER.circleHint(), OTHER::signApiRequest);
			List<Signal> got = collect(receiver);
			for (int i = 0; i < 5; i++) {
				assertEquals(SignalMailbox.PostStatus.POSTED, post(sender, "{\"n\":" + i + "}").status());
			}
			TestPeer.await("five signals", WAIT, () -> got.size() >= 5);
			Thread.sleep(300);
			assertEquals(5, got.size(), got.toString());
			assertEquals(5, got.stream().map(Signal::id).distinct().count());
			assertEquals(SignalMailbox.Availability.AVAILABLE, receiver.availability());
		}
	}

	@Test
	void aRelayWhoseClockRunsAheadIsSignedOnItsTime() throws Exception {
		Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(20));
		try (TestRelay relay = new TestRelay(tmp.resolve("relay.db"), SignaturePolicy.STRICT, ahead);
				SignalMailbox sender = mailbox(relay, A);
				SignalMailbox receiver = mailbox(relay, B)) {
			sender.authorize(CIRCLE.circleHint(), CIRCLE::signApiRequest);
			receiver.authorize(CIRCLE.circleHint(), CIRCLE::signApiRequest);
			List<Signal> got = collect(receiver);
			assertEquals(SignalMailbox.PostStatus.POSTED, post(sender, "{\"n\":\"late\"}").status());
			TestPeer.await("the signal", WAIT, () -> got.size() == 1);
			assertEquals(SignalMailbox.Availability.AVAILABLE, receiver.availability());
		}
	}

	private static SignalMailbox mailbox(TestRelay relay, String nodeId) {
		return new SignalMailbox(SignalMailbox.signalUrl(relay.url()), nodeId,
				TestPeer.fastMailbox().withBackoff(Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofMillis(200)));
	}

	private static SignalMailbox.PostOutcome post(SignalMailbox from, String payload) throws Exception {
		return from.post(new OutgoingSignal(A + ":" + B, B, CIRCLE.circleHint(), "candidate", payload, 60))
				.get(20, TimeUnit.SECONDS);
	}

	private static List<Signal> collect(SignalMailbox mailbox) {
		List<Signal> got = new CopyOnWriteArrayList<>();
		mailbox.subscribe(new SignalMailbox.Subscriber() {
			@Override
			public boolean handles(String type) {
				return true;
			}

			@Override
			public void received(List<Signal> signals, long serverTime) {
				got.addAll(signals);
			}
		});
		return got;
	}
}
