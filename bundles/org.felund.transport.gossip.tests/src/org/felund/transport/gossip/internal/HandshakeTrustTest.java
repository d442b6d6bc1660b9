package org.felund.transport.gossip.internal;

import static org.felund.transport.gossip.GossipTestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.felund.api.crypto.CircleSecret;
import org.felund.protocol.wire.Json;
import org.felund.transport.gossip.GossipTestNode;
import org.felund.transport.gossip.SyncReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a dialling node believes before its peer has proven the circle secret (issue 14, items 7 and 8): an impostor
 * server's WELCOME changes nothing, ids are validated, and a man in the middle cannot strip the Felund extensions
 * between two Felund nodes.
 */
class HandshakeTrustTest {
	static final String SECRET = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
	static final String CIRCLE = GossipTestNode.CRYPTO.forCircle(CircleSecret.fromHex(SECRET)).circleId();
	/** A key an impostor without the secret might use. */
	static final String OTHER_SECRET = "ff0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

	@TempDir
	Path tmp;

	/**
	 * An impostor server on loopback: answers HELLO with a CHALLENGE and HELLO_AUTH with the given WELCOME, then sends
	 * one frame sealed with a key that is not the circle's, as anyone without the secret must.
	 */
	static final class Impostor implements AutoCloseable {
		final ServerSocket server;
		final AtomicInteger served = new AtomicInteger();

		Impostor(String welcome) throws IOException {
			server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
			Thread t = new Thread(() -> {
				while (!server.isClosed()) {
					try (Socket s = server.accept()) {
						BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
						OutputStream out = s.getOutputStream();
						String hello = in.readLine();
						String clientNonce = Frames.text((com.fasterxml.jackson.databind.JsonNode) Json.parse(hello), "nonce");
						String serverNonce = "ffeeddccbbaa99887766554433221100";
						out.write(("{\"t\":\"CHALLENGE\",\"nonce\":\"" + serverNonce + "\"}\n").getBytes(StandardCharsets.UTF_8));
						in.readLine();
						out.write((welcome + "\n").getBytes(StandardCharsets.UTF_8));
						var wrongKey = GossipTestNode.CRYPTO.forCircle(CircleSecret.fromHex(OTHER_SECRET))
								.session(clientNonce, serverNonce);
						out.write((wrongKey.seal(("{\"t\":\"PEERS\",\"circle_id\":\"" + CIRCLE + "\",\"peers\":[]}")
								.getBytes(StandardCharsets.US_ASCII)) + "\n").getBytes(StandardCharsets.UTF_8));
						out.flush();
						s.setSoTimeout(3_000);
						while (in.readLine() != null) {
							// Until the client gives up.
						}
					} catch (Exception e) {
						// Next connection.
					}
					served.incrementAndGet();
				}
			}, "nodehard-impostor");
			t.setDaemon(true);
			t.start();
		}

		String addr() {
			return "127.0.0.1:" + server.getLocalPort();
		}

		@Override
		public void close() throws IOException {
			server.close();
		}
	}

	static String welcome(String nodeId) {
		StringBuilder quoted = new StringBuilder();
		Json.appendAsciiString(nodeId, quoted);
		return "{\"t\":\"WELCOME\",\"node_id\":" + quoted
				+ ",\"enc_ready\":true,\"can_anchor\":true,\"felund_ext\":1}";
	}

	@Test
	void anImpostorsWelcomeRecordsNoMemberNoPeerAndNoSelfAddress() throws Exception {
		try (GossipTestNode b = GossipTestNode.start(tmp.resolve("b"), GossipTestNode.fast())) {
			b.node.joinCircle(SECRET, "");
			GossipEngine engine = b.gossip.engine();
			String spoofed = "\u202E" + "a".repeat(5012);
			String plausible = "deadbeefdeadbeefdeadbeef";
			for (String claimed : new String[] { spoofed, plausible, b.nodeId(), "", "short" }) {
				try (Impostor impostor = new Impostor(welcome(claimed))) {
					SyncReport report = b.gossip.syncWith(CIRCLE, impostor.addr()).get(10, TimeUnit.SECONDS);
					assertNotNull(report.error(), "an impostor's session fails: " + claimed.length());
					assertTrue(b.node.peers(CIRCLE).isEmpty(), "no peer from an unproven WELCOME: " + b.node.peers(CIRCLE));
					assertTrue(b.node.members(CIRCLE).stream().noneMatch(m -> m.nodeId().equals(claimed)
							&& !claimed.equals(b.nodeId())), "no member from an unproven WELCOME");
					assertFalse(engine.isSelfAddress(PeerAddress.parse(impostor.addr()).orElseThrow()),
							"an unproven claim never marks an address as our own");
					assertFalse(b.gossip.referencePeersSeen(CIRCLE));
					assertTrue(b.gossip.engine().state().detail().length() < 400, "errors quote ids briefly");
				}
			}
		}
	}

	@Test
	void aProvenPeerIsRecordedAfterItsFirstEncryptedFrame() throws Exception {
		try (GossipTestNode a = GossipTestNode.start(tmp.resolve("a"), GossipTestNode.fast());
				GossipTestNode b = GossipTestNode.start(tmp.resolve("b"), GossipTestNode.fast())) {
			a.node.joinCircle(SECRET, "");
			b.node.joinCircle(SECRET, "");
			SyncReport report = b.gossip.syncWith(CIRCLE, a.addr()).get(10, TimeUnit.SECONDS);
			assertNull(report.error());
			assertTrue(b.node.peers(CIRCLE).stream().anyMatch(p -> p.nodeId().equals(a.nodeId()) && p.addr().equals(a.addr())));
			assertTrue(b.node.members(CIRCLE).stream().anyMatch(m -> m.nodeId().equals(a.nodeId())));
		}
	}

	@Test
	void aManInTheMiddleCannotStripTheExtensionsBetweenFelundNodes() throws Exception {
		try (GossipTestNode a = GossipTestNode.start(tmp.resolve("a"), GossipTestNode.fast());
				GossipTestNode b = GossipTestNode.start(tmp.resolve("b"), GossipTestNode.fast())) {
			a.node.joinCircle(SECRET, "");
			b.node.joinCircle(SECRET, "");
			String fromA = a.node.send(CIRCLE, "general", "from a").msgId();
			String strip = ",\"felund_ext\":1";
			// Stripped from HELLO: the server runs a reference session, so does the client (no offer in WELCOME).
			try (LineProxy mitm = new LineProxy(a.gossip.boundPort(), l -> l.replace(strip, ""), l -> l)) {
				SyncReport report = b.gossip.syncWith(CIRCLE, mitm.addr()).get(10, TimeUnit.SECONDS);
				assertNotNull(report.error(), "a stripped negotiation must not sync");
				assertTrue(report.error().contains("tampered"), report.error());
				assertFalse(report.extended());
			}
			// Stripped from WELCOME only: the sides disagree, and the client sees the server's offer in PEERS.
			try (LineProxy mitm = new LineProxy(a.gossip.boundPort(), l -> l, l -> l.replace(strip, ""))) {
				SyncReport report = b.gossip.syncWith(CIRCLE, mitm.addr()).get(10, TimeUnit.SECONDS);
				assertNotNull(report.error());
			}
			assertFalse(b.store.messages().contains(CIRCLE, fromA), "nothing synced over a downgraded session");
			assertFalse(a.gossip.referencePeersSeen(CIRCLE) || b.gossip.referencePeersSeen(CIRCLE),
					"a downgraded session never counts as a reference peer");
			await("server side closed", Duration.ofSeconds(5), () -> a.gossip.engine().inboundCounts()[1] == 0);
			// An honest relay of the same bytes keeps the extended session.
			try (LineProxy honest = new LineProxy(a.gossip.boundPort(), l -> l, l -> l)) {
				SyncReport report = b.gossip.syncWith(CIRCLE, honest.addr()).get(10, TimeUnit.SECONDS);
				assertNull(report.error());
				assertTrue(report.extended());
			}
			await("synced", Duration.ofSeconds(5), () -> b.store.messages().contains(CIRCLE, fromA));
		}
	}

	@Test
	void aFelundNodeWithoutExtensionsStillTalksToOneWithThem() throws Exception {
		try (GossipTestNode a = GossipTestNode.start(tmp.resolve("a"), GossipTestNode.fast().withExtensions(false));
				GossipTestNode b = GossipTestNode.start(tmp.resolve("b"), GossipTestNode.fast())) {
			a.node.joinCircle(SECRET, "");
			b.node.joinCircle(SECRET, "");
			String fromA = a.node.send(CIRCLE, "general", "from a").msgId();
			SyncReport report = b.gossip.syncWith(CIRCLE, a.addr()).get(10, TimeUnit.SECONDS);
			assertNull(report.error());
			assertFalse(report.extended());
			assertTrue(b.store.messages().contains(CIRCLE, fromA));
			SyncReport back = a.gossip.syncWith(CIRCLE, b.addr()).get(10, TimeUnit.SECONDS);
			assertNull(back.error());
			// The message and both joins' announcements on both sides (the answering side stores as frames arrive).
			await("both to hold the same", Duration.ofSeconds(5), () -> a.ids(CIRCLE).equals(b.ids(CIRCLE)));
			assertEquals(3, a.ids(CIRCLE).size());
		}
	}
}
