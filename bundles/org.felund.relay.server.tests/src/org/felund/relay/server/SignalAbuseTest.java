package org.felund.relay.server;

import static org.felund.relay.server.RelayHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

import org.felund.relay.server.RelayHarness.Member;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Issue 14 #4, performed: the reference limits signal posts per {@code from_node_id}, which the poster chooses (25
 * of 25 spoofed posts got 200), and anyone may read a victim's signals (2.7 MB of them). Here posts are limited per
 * address and per recipient, a mailbox holds a bounded number of rows and bytes, and a signal is bound to its
 * circle.
 */
class SignalAbuseTest {
	/** The storage the relays of this test use (the PostgreSQL variant overrides it). */
	RelayHarness.Backend backend() {
		return RelayHarness.Backend.SQLITE;
	}

	static final String VICTIM = "victim-node-00000001";
	static final String HINT = SignalsTest.HINT;

	@TempDir
	Path dir;
	RelayHarness relay;

	@AfterEach
	void stop() {
		if (relay != null) {
			relay.close();
		}
	}

	private RelayHarness start(UnaryOperator<RelayLimits> limits) throws Exception {
		relay = new RelayHarness(backend(), dir, b -> b.trustProxy(TrustProxy.NEVER).limits(limits));
		return relay;
	}

	private int postFrom(int address, String body) throws Exception {
		HttpClient http = HttpClient.newBuilder().localAddress(ConnectionAbuseTest.loopback(address)).build();
		return http.send(HttpRequest.newBuilder(relay.uri("/v1/signal")).header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding())
				.statusCode();
	}

	static String signal(String from, String to, String payload) {
		return "{\"session_id\":\"" + from + ":" + to + "\",\"from_node_id\":\"" + from + "\",\"to_node_id\":\"" + to
				+ "\",\"circle_hint\":\"" + HINT + "\",\"type\":\"offer\",\"payload\":\"" + payload + "\"}";
	}

	@Test
	void spoofedSenderIdsDoNotEscapeThePerAddressAndPerRecipientLimits() throws Exception {
		start(l -> l.withSignalLimits(20, 30, 1000, 4L << 20));
		// The senders are registered in the circle (so the presence binding is not what stops them here).
		String[] senders = new String[75];
		for (int i = 0; i < senders.length; i++) {
			senders[i] = String.format("spoofed-sender-%04d", i);
		}
		relay.present(HINT, VICTIM);
		relay.present(HINT, senders);
		int accepted = 0;
		long started = System.nanoTime();
		for (int i = 0; i < 25; i++) {
			accepted += postFrom(1, signal(senders[i], VICTIM, "x")) == 200 ? 1 : 0;
		}
		// The per-address bucket refills on the real clock (20 per 10 s window): a slow machine earns a token for
		// every half second the posts took, never one per spoofed id.
		int refilled = (int) ((System.nanoTime() - started) / 500_000_000L);
		assertTrue(accepted >= 20 && accepted <= 20 + refilled,
				"25 posts with 25 sender ids from one address: " + accepted + " accepted, " + refilled + " refilled");
		// From two more addresses the recipient's own limit (30 per window, all instances) is what holds.
		for (int i = 25; i < 75; i++) {
			accepted += postFrom(2 + i % 2, signal(senders[i], VICTIM, "x")) == 200 ? 1 : 0;
		}
		assertEquals(30, accepted, "posts to one recipient per window");
		relay.clock.advance(java.time.Duration.ofSeconds(11));
		assertEquals(200, postFrom(4, signal(senders[0], VICTIM, "x")), "the next window is open again");
	}

	@Test
	void aRecipientsMailboxHoldsBoundedRowsAndBytes() throws Exception {
		start(l -> l.withSignalLimits(1000, 1000, 5, 200_000));
		String[] senders = { "sender-node-00000001", "sender-node-00000002", "sender-node-00000003" };
		relay.present(HINT, VICTIM);
		relay.present(HINT, senders);
		for (int i = 0; i < 5; i++) {
			expect(200, relay.post("/v1/signal", signal(senders[i % 3], VICTIM, "x")));
		}
		JsonNode full = expect(429, relay.post("/v1/signal", signal(senders[0], VICTIM, "x")));
		assertTrue(full.get("detail").textValue().contains("mailbox is full"), full.toString());
		relay.clock.advance(java.time.Duration.ofSeconds(121));
		// Bytes: three payloads of 60,000 characters do not fit in 200,000.
		String big = "p".repeat(60_000);
		for (int i = 0; i < 3; i++) {
			expect(200, relay.post("/v1/signal", signal(senders[i], VICTIM, big)));
		}
		expect(429, relay.post("/v1/signal", signal(senders[0], VICTIM, big)));
		RelayHarness.Reply read = relay.get("/v1/signal?to_node_id=" + VICTIM);
		assertEquals(3, expect(200, read).get("signals").size());
		assertTrue(read.body().length() < 200_000, read.body().length() + " bytes read");
	}

	@Test
	void outsidersCannotSignalMembersOfACircleWhoseKeyIsBound() throws Exception {
		start(l -> l);
		Member member = relay.member(RelayHarness.secret(1), VICTIM);
		expect(200, member.register());
		String hint = member.hint();
		String offer = SignalsTest.signal("outsider-node-0001", VICTIM, "offer", "", hint);
		JsonNode refused = expect(403, relay.post("/v1/signal", offer));
		assertTrue(refused.get("detail").textValue().contains("registered"), refused.toString());
		// A member (who holds the key) may, unsigned like the web client once registered, or signed.
		Member web = relay.member(RelayHarness.secret(1), "web-member-node-01");
		expect(200, web.register());
		expect(200, relay.post("/v1/signal", SignalsTest.signal(web.nodeId, VICTIM, "offer", "", hint)));
		expect(200, web.signed("POST", "/v1/signal", SignalsTest.signal("any-member-node-1", VICTIM, "answer", "", hint)));
		// A signal signed with another circle's key is refused.
		Member stranger = relay.member(RelayHarness.secret(2), "stranger-node-0001");
		expect(401, stranger.signed("POST", "/v1/signal", SignalsTest.signal(stranger.nodeId, VICTIM, "offer", "", hint)));
		// The circle_hint filter: a reader may narrow the mailbox to one circle.
		assertEquals(2, expect(200, relay.get("/v1/signal?to_node_id=" + VICTIM + "&circle_hint=" + hint)).get("signals")
				.size());
		assertEquals(0, expect(200, relay.get("/v1/signal?to_node_id=" + VICTIM + "&circle_hint=0011223344556677"))
				.get("signals").size());
	}

	@Test
	void aNodeWithoutPresenceHereIsSignalledAsTheReferenceDoesUntilItRegisters() throws Exception {
		start(l -> l);
		// Two desktops that use the relay only for WebRTC signalling (no presence anywhere on it).
		String a = "webrtc-only-node-0a";
		String b = "webrtc-only-node-0b";
		expect(200, relay.post("/v1/signal", SignalsTest.signal(a, b, "offer", "", HINT)));
		expect(200, relay.post("/v1/signal", SignalsTest.signal(b, a, "answer", "", HINT)));
		// Once b registers in a circle, it is reachable unsigned only from that circle's registered members, under
		// any hint: a made-up one does not get around the binding.
		Member member = relay.member(RelayHarness.secret(1), b);
		expect(200, member.register());
		expect(403, relay.post("/v1/signal", SignalsTest.signal(a, b, "offer", "", HINT)));
		expect(403, relay.post("/v1/signal", SignalsTest.signal(a, b, "offer", "", member.hint())));
		Member friend = relay.member(RelayHarness.secret(1), a);
		expect(200, friend.register());
		expect(200, relay.post("/v1/signal", SignalsTest.signal(a, b, "offer", "", member.hint())));
	}

	@Test
	void strictSignsSignalsBothWaysAndASignedReadSeesOnlyItsCircle() throws Exception {
		relay = new RelayHarness(backend(), dir, b -> b.signatures(SignaturePolicy.STRICT));
		Member a = relay.member(RelayHarness.secret(1), "strict-node-aaaa");
		Member other = relay.member(RelayHarness.secret(2), "strict-node-bbbb");
		expect(200, a.register());
		expect(200, other.register());
		expect(401, relay.post("/v1/signal", SignalsTest.signal(a.nodeId, VICTIM, "offer", "", a.hint())));
		expect(200, a.signed("POST", "/v1/signal", SignalsTest.signal(a.nodeId, VICTIM, "offer", "", a.hint())));
		expect(200, other.signed("POST", "/v1/signal", SignalsTest.signal(other.nodeId, VICTIM, "offer", "", other.hint())));
		expect(401, relay.get("/v1/signal?to_node_id=" + VICTIM));
		expect(401, a.signed("GET", "/v1/signal?to_node_id=" + VICTIM, null));
		JsonNode mine = expect(200, a.signed("GET", "/v1/signal?to_node_id=" + VICTIM + "&circle_hint=" + a.hint(), null))
				.get("signals");
		assertEquals(1, mine.size());
		assertEquals(a.nodeId, mine.get(0).get("from_node").textValue());
		expect(401, a.signed("GET", "/v1/signal?to_node_id=" + VICTIM + "&circle_hint=" + other.hint(), null));
	}
}
