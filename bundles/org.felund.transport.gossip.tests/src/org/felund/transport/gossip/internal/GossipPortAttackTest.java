package org.felund.transport.gossip.internal;

import static org.felund.transport.gossip.GossipTestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.felund.api.crypto.CircleSecret;
import org.felund.transport.gossip.GossipTestNode;
import org.felund.transport.gossip.SyncReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks on a node's gossip port by someone without the circle secret (issue 14, item 6 and the slowloris and
 * oversized-request part of the campaign), each performed with real sockets on loopback: the attacker connects from
 * other loopback addresses (127.0.0.2 …), the member from 127.0.0.1.
 */
class GossipPortAttackTest {
	static final String SECRET = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
	static final String CIRCLE = GossipTestNode.CRYPTO.forCircle(CircleSecret.fromHex(SECRET)).circleId();

	@TempDir
	Path tmp;
	final List<Socket> attackers = new ArrayList<>();

	@AfterEach
	void closeAttackers() {
		for (Socket s : attackers) {
			try {
				s.close();
			} catch (IOException e) {
				// Already gone.
			}
		}
	}

	Socket idleFrom(String sourceIp, int port) throws IOException {
		Socket s = new Socket();
		attackers.add(s);
		s.bind(new InetSocketAddress(sourceIp, 0));
		s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
		return s;
	}

	/** Reads until the server closes; fails if it keeps the socket longer than {@code within}. */
	static void assertClosedBy(Socket s, Duration within) throws IOException {
		s.setSoTimeout((int) within.toMillis());
		InputStream in = s.getInputStream();
		try {
			while (in.read() >= 0) {
				// Drain the ERROR line, if any.
			}
		} catch (SocketTimeoutException e) {
			throw new AssertionError("The server still held the connection after " + within);
		} catch (IOException e) {
			// Reset by the server: closed too.
		}
	}

	@Test
	void idleSocketsFromOneHostDoNotLockMembersOut() throws Exception {
		try (GossipTestNode a = GossipTestNode.start(tmp.resolve("a"), GossipTestNode.fast());
				GossipTestNode b = GossipTestNode.start(tmp.resolve("b"), GossipTestNode.fast())) {
			a.node.joinCircle(SECRET, "");
			b.node.joinCircle(SECRET, "");
			a.node.send(CIRCLE, "general", "still reachable");
			int port = a.gossip.boundPort();
			for (int i = 0; i < 128; i++) {
				idleFrom("127.0.0.2", port);
			}
			GossipEngine engine = a.gossip.engine();
			await("the flood admitted", Duration.ofSeconds(5),
					() -> engine.inboundCounts()[0] == InboundLimiter.PER_ADDRESS);
			SyncReport report = b.gossip.syncWith(CIRCLE, a.addr()).get(10, TimeUnit.SECONDS);
			assertNull(report.error(), "a member syncs while 128 idle sockets sit on the port");
			// Both ways: b's join announcement (a joining member announces itself) is stored by a as it arrives.
			await("the member's sync to converge", Duration.ofSeconds(5), () -> a.ids(CIRCLE).equals(b.ids(CIRCLE)));
			assertEquals(3, b.ids(CIRCLE).size(), "the message and the two joins' announcements");
			assertEquals(1, engine.inboundCounts()[1], "the member's session counts as authenticated");
			// The ones beyond the per-address share were closed at accept, the rest within the handshake timeout.
			long start = System.nanoTime();
			for (Socket s : attackers) {
				assertClosedBy(s, Duration.ofSeconds(8));
			}
			assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(8));
			await("idle slots released", Duration.ofSeconds(3), () -> engine.inboundCounts()[0] == 0);
		}
	}

	@Test
	void aFloodFromManyAddressesOnlyDelaysAMember() throws Exception {
		try (GossipTestNode a = GossipTestNode.start(tmp.resolve("a"), GossipTestNode.fast());
				GossipTestNode b = GossipTestNode.start(tmp.resolve("b"), GossipTestNode.fast())) {
			a.node.joinCircle(SECRET, "");
			b.node.joinCircle(SECRET, "");
			int port = a.gossip.boundPort();
			// 10 addresses × 8 = 80 idle sockets: more than the unauthenticated budget of 64.
			for (int host = 2; host < 12; host++) {
				for (int i = 0; i < InboundLimiter.PER_ADDRESS; i++) {
					idleFrom("127.0.0." + host, port);
				}
			}
			GossipEngine engine = a.gossip.engine();
			await("the budget full", Duration.ofSeconds(5),
					() -> engine.inboundCounts()[0] == InboundLimiter.UNAUTHENTICATED);
			SyncReport report = b.gossip.syncWith(CIRCLE, a.addr()).get(10, TimeUnit.SECONDS);
			assertNull(report.error(), "the oldest idle socket makes room for the member");
			assertTrue(engine.inboundCounts()[0] <= InboundLimiter.UNAUTHENTICATED);
		}
	}

	@Test
	void slowlorisAndOversizedLinesAreCutOffBeforeHello() throws Exception {
		try (GossipTestNode a = GossipTestNode.start(tmp.resolve("a"), GossipTestNode.fast())) {
			a.node.joinCircle(SECRET, "");
			int port = a.gossip.boundPort();
			// A HELLO dribbled one byte every 200 ms never completes a line: cut off at the handshake timeout.
			Socket slow = idleFrom("127.0.0.2", port);
			OutputStream out = slow.getOutputStream();
			long start = System.nanoTime();
			byte[] hello = ("{\"t\":\"HELLO\",\"node_id\":\"ad5ea04dac0fcd74dce5128d\",\"circle_id\":\"" + CIRCLE
					+ "\",\"nonce\":\"00112233445566778899aabbccddeeff\"").getBytes(StandardCharsets.US_ASCII);
			boolean cut = false;
			for (int i = 0; i < hello.length && !cut; i++) {
				try {
					out.write(hello[i]);
					out.flush();
					Thread.sleep(200);
				} catch (IOException e) {
					cut = true;
				}
				if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(9)) {
					break;
				}
			}
			assertClosedBy(slow, Duration.ofSeconds(3));
			long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
			assertTrue(seconds <= 8, "slow sender held the socket for " + seconds + " s");
			// A line longer than the reader's limit is refused as soon as the limit is passed.
			Socket big = idleFrom("127.0.0.3", port);
			OutputStream bigOut = big.getOutputStream();
			byte[] chunk = new byte[8192];
			java.util.Arrays.fill(chunk, (byte) 'a');
			try {
				for (int i = 0; i < 16; i++) {
					bigOut.write(chunk);
				}
			} catch (IOException e) {
				// The server closed first: fine.
			}
			assertClosedBy(big, Duration.ofSeconds(3));
			// The node still serves a member afterwards.
			try (GossipTestNode b = GossipTestNode.start(tmp.resolve("b"), GossipTestNode.fast())) {
				b.node.joinCircle(SECRET, "");
				assertNull(b.gossip.syncWith(CIRCLE, a.addr()).get(10, TimeUnit.SECONDS).error());
			}
		}
	}
}
