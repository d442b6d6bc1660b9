package org.felund.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.felund.api.call.Call;
import org.felund.api.call.Health;
import org.felund.api.call.PeerMedia;
import org.felund.api.call.Role;
import org.felund.api.control.CallEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broadcast between real nodes in one JVM (real relay, real webrtc-java over loopback): the host sends a tone and
 * the test pattern to its viewers, who only receive; the viewer cap holds also against a viewer that announces itself
 * anyway; the host's revoke tears the media down on both sides, unlike the reference, where the host keeps sending.
 * The cap is 3 here rather than the default 6 so that the test's seven WebRTC stacks fit on a small machine; the rule
 * is the same.
 */
class BroadcastTest {
	private static final int CAP = 3;

	@TempDir
	Path tmp;

	@Test
	void viewersReceiveOnlyTheCapHoldsAndRevokeStopsTheViewersMediaOnBothSides() throws Exception {
		try (TestRelay relay = new TestRelay(tmp.resolve("relay.db"));
				CallTestNode host = node(relay, "host", "tone:440", "pattern:320x240@15");
				CallTestNode v1 = node(relay, "v1", "tone:660", "pattern:320x240@15");
				CallTestNode v2 = node(relay, "v2", "tone:660", "none");
				CallTestNode v3 = node(relay, "v3", "tone:660", "none");
				CallTestNode late = node(relay, "late", "tone:660", "none")) {
			String session = host.calls.start(host.circle, "general").sessionId();
			List<CallTestNode> viewers = List.of(v1, v2, v3);
			for (CallTestNode v : viewers) {
				CallTestNode.await(v.name + " to hear of the call", () -> v.call(session).isPresent());
				v.calls.view(session);
			}
			CallTestNode.await("the host to see 3 viewers",
					() -> host.call(session).map(c -> c.viewers().size() == CAP).orElse(false));

			// Every viewer receives the host's tone and pattern, and sends nothing back.
			for (CallTestNode v : viewers) {
				CallTestNode.await(v.name + " to receive the host's 440 Hz and frames", CallTestNode.WAIT,
						() -> v.peer(host).map(p -> p.health() == Health.CONNECTED
								&& Math.abs(p.audioIn().dominantHz() - 440) < 5 && p.videoIn().frames() > 15)
								.orElse(false),
						() -> v.name + ": " + v.calls.statistics() + " / host: " + host.calls.statistics());
				assertEquals(Role.VIEWER, v.calls.localMedia().role());
			}
			Thread.sleep(1500); // statistics come every second: long enough for a stray packet to be counted
			for (CallTestNode v : viewers) {
				PeerMedia atViewer = v.peer(host).orElseThrow();
				assertEquals(320, atViewer.videoIn().width(), v.name);
				assertEquals(0, atViewer.audioOut().bytes(), v.name + " sends no audio");
				assertEquals(0, atViewer.videoOut().bytes(), v.name + " sends no video");
				PeerMedia atHost = host.peer(v).orElseThrow();
				assertEquals(0, atHost.audioIn().bytes(), "the host receives no audio from " + v.name);
				assertEquals(0, atHost.videoIn().bytes(), "the host receives no video from " + v.name);
				assertTrue(atHost.audioOut().bytes() > 0, "the host sends to " + v.name);
				assertEquals(1, v.calls.peers().size(), v.name + " connects to the host only");
			}
			assertEquals(CAP, host.calls.peers().size());

			// The fourth viewer: refused by the service, and when it announces itself anyway, the host serves it
			// nothing.
			CallTestNode.await("late to hear of the call", () -> late.call(session)
					.map(c -> c.viewers().size() == CAP).orElse(false));
			IllegalStateException refused = assertThrows(IllegalStateException.class, () -> late.calls.view(session));
			assertTrue(refused.getMessage().contains("viewers already"), refused.getMessage());
			late.node.controlEvents().send(late.circle,
					CallEvent.participation(CallEvent.Op.VIEW, session, late.id(), late.id()));
			CallTestNode.await("the host to apply late's view",
					() -> host.call(session).map(c -> c.viewers().contains(late.id())).orElse(false));
			Thread.sleep(3000);
			assertTrue(host.peer(late).isEmpty(), "the host opens no media to a viewer over the cap");
			assertTrue(late.calls.peers().stream().allMatch(p -> p.videoIn().frames() == 0
					&& p.audioIn().bytes() == 0), "late receives nothing: " + late.calls.peers());
			assertEquals(CAP, host.calls.peers().size());

			// Revoke: v1's media stops on both sides within 2 s.
			long revoked = System.nanoTime();
			host.calls.revoke(session, v1.id());
			CallTestNode.await("v1's media to stop on both sides", java.time.Duration.ofSeconds(2),
					() -> host.peer(v1).isEmpty() && v1.calls.peers().isEmpty(),
					() -> "host: " + host.calls.peers() + " / v1: " + v1.calls.peers());
			System.out.println("revoke -> media gone on both sides: " + (System.nanoTime() - revoked) / 1_000_000
					+ " ms");
			CallTestNode.await("v1 to apply its revoke", () -> v1.call(session)
					.map(c -> !c.includes(v1.id())).orElse(false));
			assertTrue(v1.calls.current().isEmpty(), "v1 is out of the call");
			Call now = host.call(session).orElseThrow();
			assertFalse(now.viewers().contains(v1.id()));
			// v1's place under the cap goes to the next viewer in the list.
			CallTestNode.await("late to be served now that v1 is gone", CallTestNode.WAIT,
					() -> late.peer(host).map(p -> p.videoIn().frames() > 0).orElse(false),
					() -> "late: " + late.calls.statistics());
			for (CallTestNode v : List.of(v2, v3)) {
				assertEquals(Health.CONNECTED, v.peer(host).orElseThrow().health(), v.name + " keeps watching");
			}
		}
	}

	private CallTestNode node(TestRelay relay, String name, String microphone, String camera) {
		return new CallTestNode(tmp.resolve(name), name, relay.url(), microphone, camera, CAP);
	}
}
