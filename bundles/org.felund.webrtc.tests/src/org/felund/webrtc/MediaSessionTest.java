package org.felund.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Media sessions of the layer (§8.4) between two nodes in one JVM, each with its own virtual audio device, through the
 * real relay's mailbox over the loopback workaround: tones both ways through audio feeds, video turned on by
 * renegotiation, and glare when both sides renegotiate at once.
 */
class MediaSessionTest {
	private static final Duration WAIT = Duration.ofSeconds(15);
	private static final String A = "0a0a0a0a0a0a0a0a0a0a0a0a";
	private static final String B = "0b0b0b0b0b0b0b0b0b0b0b0b";

	@TempDir
	Path tmp;

	@Test
	void tonesFlowBothWaysAndVideoStartsByRenegotiationEvenWhenBothOfferAtOnce() throws Exception {
		try (TestRelay relay = new TestRelay(tmp.resolve("relay.db"));
				MediaPeer a = new MediaPeer(relay.url(), A, 440);
				MediaPeer b = new MediaPeer(relay.url(), B, 660)) {
			PeerSession offered = a.offerTo(B);
			assertNotNull(offered);
			assertEquals("media:c0ffee00c0ffee00:" + A + ":" + B, offered.sessionId());
			TestPeer.await("A connected", WAIT, () -> a.callState(offered) == PeerSession.State.CONNECTED);
			TestPeer.await("audio at both ends", WAIT, () -> a.audioCallbacks.get() > 100 && b.audioCallbacks.get() > 100);
			a.receivedHz();
			b.receivedHz();
			Thread.sleep(1000);
			assertEquals(660, a.receivedHz(), 15, "A hears B's tone");
			assertEquals(440, b.receivedHz(), 15, "B hears A's tone");
			assertEquals(0, a.videoFrames.get() + b.videoFrames.get(), "nobody sends video yet");

			// The answerer (polite) turns video on: its offer on the established session.
			b.sendVideo(true);
			TestPeer.await("B's video at A", WAIT, () -> a.videoFrames.get() > 10);
			assertEquals(0, b.videoFrames.get(), "A still sends none");

			// Both at once (B turns video off, A on): the offers cross. A (impolite, the first offerer) keeps its own;
			// B rolls its offer back, answers A's, then offers again.
			long glareBefore = a.signaling.stats().glare() + b.signaling.stats().glare();
			Thread off = new Thread(() -> {
				try {
					b.sendVideo(false);
				} catch (Exception e) {
					throw new IllegalStateException(e);
				}
			});
			off.start();
			a.sendVideo(true);
			off.join();
			TestPeer.await("A's video at B after the glare", WAIT, () -> b.videoFrames.get() > 10);
			TestPeer.await("B's video to stop at A", WAIT, () -> quietFor(a, 1000));
			assertTrue(a.signaling.stats().glare() + b.signaling.stats().glare() > glareBefore, "the offers crossed");
			long flowing = b.videoFrames.get();
			Thread.sleep(500);
			assertTrue(b.videoFrames.get() > flowing + 5, "A's video keeps flowing");
			assertEquals(PeerSession.State.CONNECTED, a.callState(offered), "renegotiation kept the connection");
			a.receivedHz();
			b.receivedHz();
			Thread.sleep(1000);
			assertEquals(660, a.receivedHz(), 15, "audio intact after the renegotiations");
			assertEquals(440, b.receivedHz(), 15);
			long renegotiations = a.signaling.stats().renegotiations() + b.signaling.stats().renegotiations();
			assertTrue(renegotiations >= 3, "renegotiations taken: " + renegotiations);
			assertTrue(a.feed.framesSent() > 200 && b.feed.framesSent() > 200);
		}
	}

	/** True once the peer's received video frame count has not moved for {@code millis}. */
	private static boolean quietFor(MediaPeer peer, long millis) {
		long n = peer.videoFrames.get();
		try {
			Thread.sleep(millis);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		return peer.videoFrames.get() == n;
	}
}
