package org.felund.transport.gossip;

import static org.felund.transport.gossip.GossipTestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.felund.api.crypto.CircleSecret;
import org.felund.api.model.Peer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, fault campaign: clocks 10 minutes apart between nodes. Gossip authenticates with nonces, not time, so
 * the handshake, the sync (both the extended and the reference way), live push and the peer exchange all work; what
 * the clocks do change is documented in docs/reliability.md (message order by {@code created_ts}, a peer's
 * {@code last_seen} never taken from the future).
 */
class ClockSkewTest {
	static final String SECRET = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
	static final String CIRCLE = GossipTestNode.CRYPTO.forCircle(CircleSecret.fromHex(SECRET)).circleId();
	static final long TEN_MINUTES = 600;

	@TempDir
	Path tmp;

	@Test
	void nodesTenMinutesApartSyncBothWaysAndPushLive() throws Exception {
		for (boolean extensions : new boolean[] { true, false }) {
			GossipOptions options = GossipTestNode.fast().withExtensions(extensions);
			try (GossipTestNode ahead = GossipTestNode.startSkewed(tmp.resolve("ahead" + extensions), options, TEN_MINUTES);
					GossipTestNode behind = GossipTestNode.startSkewed(tmp.resolve("behind" + extensions), options,
							-TEN_MINUTES)) {
				ahead.node.joinCircle(SECRET, "");
				behind.node.joinCircle(SECRET, "");
				String fromAhead = ahead.node.send(CIRCLE, "general", "from the future").msgId();
				String fromBehind = behind.node.send(CIRCLE, "general", "from the past").msgId();
				SyncReport report = behind.gossip.syncWith(CIRCLE, ahead.addr()).get(15, TimeUnit.SECONDS);
				assertNull(report.error());
				assertEquals(extensions, report.extended());
				// The two messages and the two joins' announcements (a joining member announces itself).
				await("both messages on both sides", Duration.ofSeconds(10),
						() -> ahead.ids(CIRCLE).equals(behind.ids(CIRCLE)) && ahead.ids(CIRCLE).size() == 4);
				assertTrue(behind.store.messages().contains(CIRCLE, fromAhead));
				assertTrue(ahead.store.messages().contains(CIRCLE, fromBehind));
				// Each keeps the author's timestamp: the message from the future sorts 20 minutes after the other.
				long tsAhead = behind.store.messages().get(CIRCLE, fromAhead).orElseThrow().createdTs();
				long tsBehind = behind.store.messages().get(CIRCLE, fromBehind).orElseThrow().createdTs();
				assertTrue(tsAhead - tsBehind >= 2 * TEN_MINUTES - 5, tsAhead - tsBehind + " s apart");
				if (extensions) {
					String live = ahead.node.send(CIRCLE, "general", "live").msgId();
					await("live push across the skew", Duration.ofSeconds(5),
							() -> behind.store.messages().contains(CIRCLE, live));
				} else {
					assertNull(ahead.gossip.syncWith(CIRCLE, behind.addr()).get(15, TimeUnit.SECONDS).error());
				}
				// The node behind never records a last_seen from its own future.
				long behindNow = System.currentTimeMillis() / 1000 - TEN_MINUTES;
				for (Peer p : behind.node.peers(CIRCLE)) {
					assertTrue(p.lastSeen() <= behindNow + 5, p + " seen in the future of " + behindNow);
				}
			}
		}
	}
}
