package org.felund.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.felund.api.call.Call;
import org.felund.api.call.Health;
import org.felund.api.call.PeerMedia;
import org.felund.api.control.CallEvent;
import org.felund.api.control.ControlMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A call between two real nodes in one JVM: the control plane through the real relay, media through real webrtc-java
 * over loopback. Alice sends a 440 Hz tone and the moving 640x480 test pattern, Bob a 660 Hz tone and no camera. What
 * arrives is checked for what it is, not only that it exists: the tone's frequency (FFT), the frame size and rate, the
 * pattern's capture stamps; then mute, camera off and on, events from someone who is not the host, and the end.
 */
class OneToOneCallTest {
	@TempDir
	Path tmp;

	@Test
	void toneAndPatternArriveMuteSilencesCameraStopsAndResumesAndOnlyTheHostEndsTheCall() throws Exception {
		try (TestRelay relay = new TestRelay(tmp.resolve("relay.db"));
				CallTestNode alice = new CallTestNode(tmp.resolve("alice"), "alice", relay.url(), "tone:440",
						"pattern:640x480@30", 6);
				CallTestNode bob = new CallTestNode(tmp.resolve("bob"), "bob", relay.url(), "tone:660", "none", 6)) {
			Call call = alice.calls.start(alice.circle, "general");
			String session = call.sessionId();
			CallTestNode.await("bob to hear of the call", () -> bob.call(session).isPresent());
			long joined = System.nanoTime();
			bob.calls.join(session);
			CallTestNode.await("media between alice and bob", CallTestNode.WAIT,
					() -> health(bob, alice) == Health.CONNECTED && health(alice, bob) == Health.CONNECTED,
					() -> bob.calls.statistics() + " / " + alice.calls.statistics());
			System.out.println("join -> media connected: " + (System.nanoTime() - joined) / 1_000_000 + " ms");

			// What bob receives: alice's tone, and her pattern at its size and rate, fresh.
			CallTestNode.await("alice's 440 Hz at bob", CallTestNode.WAIT,
					() -> Math.abs(in(bob, alice).audioIn().dominantHz() - 440) < 5, () -> "" + in(bob, alice));
			CallTestNode.await("alice's video at bob", CallTestNode.WAIT,
					() -> in(bob, alice).videoIn().width() == 640 && in(bob, alice).videoIn().fps() > 20,
					() -> "" + in(bob, alice));
			Thread.sleep(1500);
			PeerMedia fromAlice = in(bob, alice);
			assertEquals(640, fromAlice.videoIn().width());
			assertEquals(480, fromAlice.videoIn().height());
			assertEquals(30, fromAlice.videoIn().fps(), 6, "frames per second");
			assertEquals(440, fromAlice.audioIn().dominantHz(), 3);
			assertTrue(fromAlice.audioIn().level() > 0.1, "level " + fromAlice.audioIn().level());
			Map<String, Object> video = videoStats(bob);
			assertTrue(((Number) video.get("pattern_frames")).longValue() > 30, "stamped frames decoded: " + video);
			double age = ((Number) video.get("pattern_age_ms")).doubleValue();
			assertTrue(age >= 0 && age < 1000, "the pattern's frames are fresh: " + age + " ms");

			// What alice receives: bob's tone and no video (bob has no camera: audio only).
			CallTestNode.await("bob's 660 Hz at alice", CallTestNode.WAIT,
					() -> Math.abs(in(alice, bob).audioIn().dominantHz() - 660) < 5, () -> "" + in(alice, bob));
			assertEquals(0, in(alice, bob).videoIn().frames());
			assertFalse(bob.calls.localMedia().cameraAvailable());
			assertThrows(IllegalStateException.class, () -> bob.calls.setCamera(true));

			// Mute: bob hears silence, and nothing is renegotiated.
			long renegotiations = negotiations(alice) + negotiations(bob);
			alice.calls.setMuted(true);
			assertTrue(alice.calls.localMedia().muted());
			CallTestNode.await("silence at bob", CallTestNode.WAIT, () -> in(bob, alice).audioIn().level() < 0.01,
					() -> "" + in(bob, alice));
			alice.calls.setMuted(false);
			CallTestNode.await("the tone back at bob", CallTestNode.WAIT,
					() -> in(bob, alice).audioIn().level() > 0.1, () -> "" + in(bob, alice));
			assertEquals(renegotiations, negotiations(alice) + negotiations(bob), "mute renegotiates nothing");
			assertEquals(Health.CONNECTED, health(bob, alice));

			// Camera off: the frames stop; on: they come back.
			alice.calls.setCamera(false);
			CallTestNode.await("alice's frames to stop at bob", CallTestNode.WAIT, () -> framesStill(bob, alice),
					() -> "" + in(bob, alice));
			alice.calls.setCamera(true);
			long before = in(bob, alice).videoIn().frames();
			CallTestNode.await("alice's frames to come back", CallTestNode.WAIT,
					() -> in(bob, alice).videoIn().frames() > before + 30, () -> "" + in(bob, alice));
			assertTrue(negotiations(alice) + negotiations(bob) >= renegotiations + 2, "the camera renegotiated");
			assertEquals(Health.CONNECTED, health(bob, alice));
			assertEquals(440, in(bob, alice).audioIn().dominantHz(), 3, "audio intact after the renegotiations");

			// Bob is not the host: his end and revoke are ignored everywhere, and the chat says so.
			assertThrows(IllegalStateException.class, () -> bob.calls.end(session));
			ControlMessage bobEnds = bob.node.controlEvents().send(bob.circle,
					new CallEvent(CallEvent.Op.END, session, bob.id(), alice.id(), null, null, null, null, null, null));
			ControlMessage bobRevokes = bob.node.controlEvents().send(bob.circle, CallEvent.revoke(session, alice.id(),
					bob.id()));
			CallTestNode.await("alice to get bob's events", () -> alice.line(bobRevokes.msgId()).isPresent());
			for (CallTestNode n : new CallTestNode[] { alice, bob }) {
				assertFalse(n.call(session).orElseThrow().ended(), n.name + " keeps the call");
				assertTrue(n.call(session).orElseThrow().participants().contains(alice.id()));
				assertEquals("bob ended the call \u2014 ignored: only alice (the host) can end it",
						n.line(bobEnds.msgId()).orElseThrow(), n.name);
				assertEquals("bob removed alice from the call \u2014 ignored: only alice (the host) can remove people",
						n.line(bobRevokes.msgId()).orElseThrow(), n.name);
			}
			assertEquals(Health.CONNECTED, health(bob, alice), "media goes on");

			// The host ends it: everyone's media stops.
			alice.calls.end(session);
			CallTestNode.await("the end at bob", () -> bob.call(session).map(Call::ended).orElse(false));
			assertTrue(bob.calls.current().isEmpty());
			CallTestNode.await("bob's media to stop", () -> bob.calls.peers().isEmpty());
			// The host's own teardown runs on its calls thread, a moment after end() returns.
			CallTestNode.await("alice's media to stop", () -> alice.calls.peers().isEmpty());
			assertEquals("ended by alice", bob.call(session).orElseThrow().endReason());
		}
	}

	private static Health health(CallTestNode at, CallTestNode from) {
		return at.peer(from).map(PeerMedia::health).orElse(Health.CONNECTING);
	}

	private static PeerMedia in(CallTestNode at, CallTestNode from) {
		return at.peer(from).orElseThrow(() -> new AssertionError(at.name + " has no media with " + from.name));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> videoStats(CallTestNode at) {
		return (Map<String, Object>) at.statPeers().get(0).get("video_in");
	}

	@SuppressWarnings("unchecked")
	private static long negotiations(CallTestNode n) {
		Map<String, Object> negotiation = (Map<String, Object>) n.calls.statistics().get("negotiation");
		return ((Number) negotiation.get("renegotiations")).longValue();
	}

	/** True once no frame arrived for a second. */
	private static boolean framesStill(CallTestNode at, CallTestNode from) {
		long n = in(at, from).videoIn().frames();
		try {
			Thread.sleep(1000);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		return in(at, from).videoIn().frames() == n;
	}
}
