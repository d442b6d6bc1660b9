package org.felund.transport.gossip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.felund.api.model.ChatMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SlowPeersAndAnchorTest {
	static final String SECRET = GossipNetworkTest.SECRET;
	static final String CIRCLE = GossipNetworkTest.CIRCLE;

	@TempDir
	Path tmp;

	static GossipOptions quick() {
		return GossipTestNode.fast().withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1));
	}

	@Test
	void silentServersTimeOutWithoutHoldingThreads() throws Exception {
		List<Socket> accepted = new ArrayList<>();
		try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
				GossipTestNode a = GossipTestNode.start(tmp.resolve("a"), quick())) {
			Thread acceptor = new Thread(() -> {
				try {
					while (true) {
						accepted.add(silent.accept());
					}
				} catch (Exception e) {
					// closed
				}
			});
			acceptor.setDaemon(true);
			acceptor.start();
			a.node.joinCircle(SECRET, "");
			int threadsBefore = Thread.activeCount();
			long start = System.nanoTime();
			List<CompletableFuture<SyncReport>> dials = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				// Same peer, distinct circles is not possible here; distinct host spellings give distinct dials.
				dials.add(a.gossip.engine().dial(a.node.context().circle(CIRCLE).orElseThrow(),
						org.felund.transport.gossip.internal.PeerAddress.parse("127.0.0." + (i + 1) + ":" + silent.getLocalPort())
								.orElseThrow()));
			}
			int peakThreads = Thread.activeCount();
			for (CompletableFuture<SyncReport> d : dials) {
				SyncReport r = d.get(10, TimeUnit.SECONDS);
				assertNotNull(r.error());
			}
			long millis = (System.nanoTime() - start) / 1_000_000;
			assertTrue(millis < 8_000, "20 silent peers took " + millis + " ms");
			assertTrue(peakThreads - threadsBefore <= 6, "threads grew from " + threadsBefore + " to " + peakThreads);
			assertTrue(a.gossip.engine().backingOff("127.0.0.1:" + silent.getLocalPort()));
		} finally {
			for (Socket s : accepted) {
				s.close();
			}
		}
	}

	@Test
	void silentAndTricklingClientsAreDisconnected() throws Exception {
		try (GossipTestNode a = GossipTestNode.start(tmp.resolve("a"), quick())) {
			a.node.joinCircle(SECRET, "");
			try (Socket silent = new Socket(InetAddress.getLoopbackAddress(), a.gossip.boundPort());
					Socket trickle = new Socket(InetAddress.getLoopbackAddress(), a.gossip.boundPort())) {
				silent.setSoTimeout(5_000);
				trickle.setSoTimeout(5_000);
				OutputStream out = trickle.getOutputStream();
				long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2_500);
				boolean closed = false;
				while (System.nanoTime() < end && !closed) {
					try {
						out.write('{');
						out.flush();
					} catch (java.io.IOException e) {
						closed = true;
					}
					Thread.sleep(100);
				}
				BufferedReader silentIn = new BufferedReader(new InputStreamReader(silent.getInputStream(), StandardCharsets.UTF_8));
				assertEquals("{\"t\":\"ERROR\",\"err\":\"Internal error\"}", silentIn.readLine());
				assertNull(silentIn.readLine(), "closed after the error");
				BufferedReader trickleIn = new BufferedReader(new InputStreamReader(trickle.getInputStream(), StandardCharsets.UTF_8));
				assertEquals("{\"t\":\"ERROR\",\"err\":\"Internal error\"}", trickleIn.readLine());
			}
		}
	}

	@Test
	void deadPeersBackOff() throws Exception {
		try (GossipTestNode a = GossipTestNode.start(tmp.resolve("a"), quick().withMaxBackoff(Duration.ofMinutes(1)));
				ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			int port = closed.getLocalPort();
			closed.close();
			a.node.joinCircle(SECRET, "");
			SyncReport r = a.gossip.syncWith(CIRCLE, "127.0.0.1:" + port).get(5, TimeUnit.SECONDS);
			assertTrue(r.error().startsWith("Cannot connect"), r.error());
			assertTrue(a.gossip.engine().backingOff("127.0.0.1:" + port));
		}
	}

	@Test
	void referencePeersPushToAndPullFromAnAnchor() throws Exception {
		GossipOptions reference = GossipTestNode.fast().withExtensions(false);
		try (GossipTestNode anchor = GossipTestNode.start(tmp.resolve("anchor"), reference, null, true);
				GossipTestNode b = GossipTestNode.start(tmp.resolve("b"), reference);
				GossipTestNode c = GossipTestNode.start(tmp.resolve("c"), reference)) {
			anchor.node.joinCircle(SECRET, "");
			b.node.joinCircle(SECRET, "");
			c.node.joinCircle(SECRET, "");
			for (int i = 0; i < 120; i++) {
				b.node.send(CIRCLE, "general", "for the anchor " + i);
			}
			SyncReport pushed = b.gossip.syncWith(CIRCLE, anchor.addr()).get(20, TimeUnit.SECONDS);
			assertNull(pushed.error());
			List<ChatMessage> held = anchor.gossip.anchorStore().pull(CIRCLE, 0, 1000);
			assertTrue(held.size() >= 40, "one line of envelopes, got " + held.size());
			assertTrue(held.size() < 120, "never more than one line");
			assertTrue(held.stream().allMatch(m -> m.text().isEmpty() && m.enc() != null), "ciphertext only");
			SyncReport pulled = c.gossip.syncWith(CIRCLE, anchor.addr()).get(20, TimeUnit.SECONDS);
			assertNull(pulled.error());
			assertTrue(pulled.stored() > 0);
			// A cut ANCHOR_MSGS moves the cursor only as far as it got, so further pulls bring the rest.
			for (int i = 0; i < 3 && !held.stream().allMatch(m -> c.store.messages().contains(CIRCLE, m.msgId())); i++) {
				assertNull(c.gossip.syncWith(CIRCLE, anchor.addr()).get(20, TimeUnit.SECONDS).error());
			}
			assertTrue(held.stream().allMatch(m -> c.store.messages().contains(CIRCLE, m.msgId())));
		}
	}
}
