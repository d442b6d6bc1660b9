package org.felund.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.felund.api.call.Health;
import org.felund.api.call.PeerMedia;
import org.felund.api.call.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A participant's calls service restarts in the middle of a call (as when Felund is restarted or the plugin is
 * updated): it reads the call back from the stored control events, is still in it, and its media comes back, with no
 * event sent by anyone.
 */
class RestartTest {
	@TempDir
	Path tmp;

	@Test
	void aRestartedParticipantIsStillInTheCallAndItsMediaComesBack() throws Exception {
		try (TestRelay relay = new TestRelay(tmp.resolve("relay.db"));
				CallTestNode alice = new CallTestNode(tmp.resolve("alice"), "alice", relay.url(), "tone:440", "none",
						6);
				CallTestNode bob = new CallTestNode(tmp.resolve("bob"), "bob", relay.url(), "tone:660", "none", 6)) {
			String session = alice.calls.start(alice.circle, "general").sessionId();
			CallTestNode.await("bob to hear of the call", () -> bob.call(session).isPresent());
			bob.calls.join(session);
			CallTestNode.await("alice's tone at bob", CallTestNode.WAIT, () -> hears(bob, alice, 440),
					() -> bob.calls.statistics().toString());

			bob.stopCalls();
			CallTestNode.await("alice to notice bob's media went", CallTestNode.WAIT,
					() -> alice.peer(bob).map(p -> p.health() != Health.CONNECTED).orElse(true),
					() -> alice.calls.statistics().toString());
			bob.startCalls("tone:660", "none", 6);

			assertEquals(Role.PARTICIPANT, bob.calls.current().orElseThrow().roleOf(bob.id()),
					"read back from the stored events");
			assertEquals(session, bob.calls.current().orElseThrow().sessionId());
			CallTestNode.await("alice's tone at bob again", CallTestNode.WAIT, () -> hears(bob, alice, 440),
					() -> bob.calls.statistics() + " / " + alice.calls.statistics());
			CallTestNode.await("bob's tone at alice again", CallTestNode.WAIT, () -> hears(alice, bob, 660),
					() -> alice.calls.statistics().toString());
			assertTrue(alice.call(session).orElseThrow().participants().contains(bob.id()));
		}
	}

	private static boolean hears(CallTestNode at, CallTestNode from, double hz) {
		PeerMedia p = at.peer(from).orElse(null);
		return p != null && p.health() == Health.CONNECTED && Math.abs(p.audioIn().dominantHz() - hz) < 5;
	}
}
