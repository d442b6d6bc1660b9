package org.felund.transport.relay;

import static org.felund.transport.relay.RelayTestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.felund.api.crypto.CircleCrypto;
import org.felund.api.model.Member;
import org.felund.api.model.Peer;
import org.felund.api.transport.Endpoint;
import org.felund.api.transport.TransportState.Mode;
import org.felund.protocol.wire.Json;
import org.felund.relay.server.SignaturePolicy;
import org.felund.transport.relay.internal.RelayException;
import org.felund.transport.relay.internal.RelayHttp;
import org.felund.transport.relay.internal.RelayRequests;
import org.felund.transport.relay.internal.RelayUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Presence against the real relay in strict mode: every request must carry a valid signature. */
class RelayPresenceTest {
	private static final Duration WAIT = Duration.ofSeconds(15);

	@TempDir
	Path tmp;

	@Test
	void signedPresenceIsAcceptedByAStrictRelayAndPeersReachGossipAndMembers() throws Exception {
		try (TestRelay relay = new TestRelay(tmp.resolve("relay.db"), SignaturePolicy.STRICT, Duration.ofSeconds(15))
				.start();
				RelayTestNode a = RelayTestNode.create(tmp.resolve("a"));
				RelayTestNode b = RelayTestNode.create(tmp.resolve("b"))) {
			a.canAnchor(true);
			String circle = a.node.createCircle("club").circle().circleId();
			b.node.joinCircle(a.node.inviteCode(circle, "127.0.0.1:45678"));
			a.attach(RelayTestNode.fast(relay.url()).withWebSocket(false));
			// A's gossip advertises where it listens; the relay announces that in presence.
			a.context[0].advertise("gossip", List.of(new Endpoint("gossip", Endpoint.Kind.DIRECT, "127.0.0.1:45678")));
			// B's address is configured with its port only: the host is the one the relay sees it connect from.
			b.attach(RelayTestNode.fast(relay.url()).withWebSocket(false).withTcpEndpoint(":45679"));

			// B learns A's gossip address and reachability from the relay; A sees B as reachable too.
			await("B to learn A's TCP endpoint from the relay", WAIT, () -> b.node.peers(circle).stream()
					.anyMatch(p -> p.nodeId().equals(a.nodeId()) && p.addr().equals("127.0.0.1:45678")));
			await("both to reach one peer", WAIT, () -> a.relay.state().peers() == 1 && b.relay.state().peers() == 1);
			Member aSeenByB = b.node.members(circle).stream().filter(m -> m.nodeId().equals(a.nodeId())).findFirst()
					.orElseThrow();
			assertTrue(aSeenByB.transports().contains(RelayTransport.ID), aSeenByB::toString);
			assertEquals(Mode.POLL, a.mode(), () -> a.relay.state().toString());
			assertEquals(relay.url() + " (polling)", a.relay.state().detail());
			assertEquals("relay: polling", a.relay.state().label());
			assertEquals(List.of(new Endpoint("relay", Endpoint.Kind.RELAY, relay.url())),
					a.context[0].endpoints().stream().filter(e -> e.kind() == Endpoint.Kind.RELAY).toList(),
					"the relay's base URL is A's RELAY endpoint");
			assertEquals(0, a.relay.stats().failedRequests());
			await("A to learn B's endpoint with the host the relay observed", WAIT, () -> a.node.peers(circle).stream()
					.anyMatch(p -> p.nodeId().equals(b.nodeId()) && p.addr().equals("127.0.0.1:45679")));

			// What the relay stored, read with a signed request of our own.
			CircleCrypto crypto = a.node.context().circle(circle).orElseThrow().crypto();
			RelayClient probe = new RelayClient(relay.url(), crypto);
			Map<String, JsonNode> listed = probe.peers();
			assertEquals(Json.parse("[{\"transport\":\"tcp\",\"host\":\"127.0.0.1\",\"port\":45678,\"family\":\"ipv4\","
					+ "\"nat\":\"unknown\"}]"), listed.get(a.nodeId()).get("endpoints"));
			assertTrue(listed.get(a.nodeId()).get("capabilities").get("can_anchor").asBoolean());
			assertEquals(Json.parse("[{\"transport\":\"tcp\",\"host\":\"127.0.0.1\",\"port\":45679,"
					+ "\"family\":\"ipv4\",\"nat\":\"unknown\"}]"), listed.get(b.nodeId()).get("endpoints"));
			assertFalse(listed.get(b.nodeId()).get("capabilities").get("can_anchor").asBoolean());

			// The relay is strict: the same lookup unsigned is refused, so the transport's requests were signed.
			RelayException unsigned = assertThrows(RelayException.class, probe::unsignedPeers);
			assertEquals(401, unsigned.status());

			// When A's gossip moves, A's presence follows without waiting for the refresh.
			a.context[0].advertise("gossip", List.of(new Endpoint("gossip", Endpoint.Kind.DIRECT, "127.0.0.1:45690")));
			await("the relay to list A's new endpoint", WAIT, () -> {
				try {
					return probe.peers().get(a.nodeId()).path("endpoints").path(0).path("port").asInt() == 45690;
				} catch (Exception e) {
					throw new AssertionError(e);
				}
			});

			// Detaching unregisters at once and withdraws the RELAY endpoint; B notices that A is gone at its next lookup.
			a.detachRelay();
			assertEquals(Mode.OFFLINE, a.relay.state().mode());
			assertTrue(a.context[0].endpoints().stream().noneMatch(e -> e.kind() == Endpoint.Kind.RELAY));
			assertFalse(probe.peers().containsKey(a.nodeId()));
			await("B to see A unreachable", WAIT, () -> b.relay.state().peers() == 0);
			Optional<Member> gone = b.node.members(circle).stream().filter(m -> m.nodeId().equals(a.nodeId()))
					.findFirst();
			assertTrue(gone.isPresent() && !gone.get().transports().contains(RelayTransport.ID));
			assertTrue(b.node.peers(circle).stream().map(Peer::nodeId).anyMatch(a.nodeId()::equals),
					"the dialable address stays known to gossip");
		}
	}

	/** Signed requests of a member, made by the test itself. */
	static final class RelayClient {
		private final RelayUrl url;
		private final CircleCrypto crypto;
		private final RelayHttp http = new RelayHttp(HttpClient.newHttpClient(), Duration.ofSeconds(5));
		private int nonce;

		RelayClient(String url, CircleCrypto crypto) {
			this.url = RelayUrl.parse(url);
			this.crypto = crypto;
		}

		Map<String, JsonNode> peers() throws Exception {
			String self = "probe0000000000000000000";
			Map<String, String> headers = RelayRequests.signedHeaders(crypto, self, "GET", RelayRequests.PEERS,
					new byte[0], System.currentTimeMillis() / 1000, String.format("%032x", ++nonce + System.nanoTime()));
			ObjectNode reply = http.send("GET", url.api("peers", RelayRequests.peersQuery(crypto.circleHint(), 50)),
					null, headers, null);
			Map<String, JsonNode> out = new HashMap<>();
			reply.get("peers").forEach(p -> out.put(p.get("node_id").asText(), p));
			return out;
		}

		void unsignedPeers() throws Exception {
			http.send("GET", url.api("peers", RelayRequests.peersQuery(crypto.circleHint(), 50)), null, Map.of(), null);
		}
	}
}
