package org.felund.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.felund.api.call.Call;
import org.felund.api.call.Health;
import org.felund.api.call.PeerMedia;
import org.felund.api.model.Circle;
import org.felund.relay.server.SignaturePolicy;
import org.felund.webrtc.OutgoingSignal;
import org.felund.webrtc.SignalMailbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A call through a relay run with {@code --signatures strict}, with no WebRTC transport in either node: the calls
 * plugin signs its own signals and mailbox reads with the circle's key, through the node service's relay signer. (It
 * used to sign only when the WebRTC transport shared its mailbox, and a strict relay refused every signal.)
 */
class StrictRelayCallTest {
	@TempDir
	Path tmp;

	@Test
	void aCallConnectsThroughAStrictRelayWithoutTheWebRtcTransport() throws Exception {
		try (TestRelay relay = new TestRelay(tmp.resolve("relay.db"), "127.0.0.1", SignaturePolicy.STRICT);
				CallTestNode alice = new CallTestNode(tmp.resolve("alice"), "alice", relay.url(), "tone:440", "none",
						6);
				CallTestNode bob = new CallTestNode(tmp.resolve("bob"), "bob", relay.url(), "tone:660", "none", 6)) {
			String hint = alice.node.circle(alice.circle).map(Circle::circleHint).orElseThrow();
			// The relay really is strict: an unsigned signal between the same two nodes is refused.
			try (SignalMailbox unsigned = new SignalMailbox(SignalMailbox.signalUrl(relay.url()), alice.id(),
					SignalMailbox.Options.defaults())) {
				SignalMailbox.PostOutcome refused = unsigned
						.post(new OutgoingSignal(alice.id() + ":" + bob.id(), bob.id(), hint, "candidate", "{}", 30))
						.get(20, TimeUnit.SECONDS);
				assertEquals(SignalMailbox.PostStatus.REFUSED, refused.status(), refused.detail());
			}

			Call call = alice.calls.start(alice.circle, "general");
			CallTestNode.await("bob to hear of the call", () -> bob.call(call.sessionId()).isPresent());
			bob.calls.join(call.sessionId());
			CallTestNode.await("media between alice and bob", CallTestNode.WAIT,
					() -> health(bob, alice) == Health.CONNECTED && health(alice, bob) == Health.CONNECTED,
					() -> bob.calls.statistics() + " / " + alice.calls.statistics());
			CallTestNode.await("alice's 440 Hz at bob and bob's 660 Hz at alice", CallTestNode.WAIT,
					() -> Math.abs(dominantHz(bob, alice) - 440) < 5 && Math.abs(dominantHz(alice, bob) - 660) < 5,
					() -> bob.calls.statistics() + " / " + alice.calls.statistics());

			for (CallTestNode n : new CallTestNode[] { alice, bob }) {
				// The calls plugin's own lease of the shared mailbox: signed for the circle, nothing refused.
				try (SignalMailbox.Lease lease = n.runtime.mailbox(SignalMailbox.signalUrl(relay.url()), n.id(),
						SignalMailbox.Options.defaults())) {
					SignalMailbox box = lease.mailbox();
					assertTrue(box.signedCircles().contains(hint), n.name + ": " + box.signedCircles());
					assertEquals(0, box.stats().refused(), n.name + ": " + box.stats());
					assertTrue(box.stats().posted() > 0, n.name + ": " + box.stats());
				}
			}

			alice.calls.end(call.sessionId());
			CallTestNode.await("bob's media to stop", () -> bob.calls.peers().isEmpty());
			CallTestNode.await("alice's media to stop", Duration.ofSeconds(10), () -> alice.calls.peers().isEmpty(),
					() -> "");
		}
	}

	private static Health health(CallTestNode at, CallTestNode from) {
		return at.peer(from).map(PeerMedia::health).orElse(Health.CONNECTING);
	}

	private static double dominantHz(CallTestNode at, CallTestNode from) {
		return at.peer(from).map(p -> p.audioIn().dominantHz()).orElse(0.0);
	}
}
