package org.felund.transport.gossip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.felund.transport.gossip.GossipOptions;
import org.felund.transport.gossip.MemoryAnchorStore;
import org.junit.jupiter.api.Test;

class RequestLimitTest {
	/** A reference peer whose MSGS_SEND holds at most {@code capacity} messages: how often do we overflow it? */
	@Test
	void probingAReferencePeersLineCapacityMissesOnceThenSettles() {
		GossipEngine engine = new GossipEngine(GossipOptions.loopback(), () -> "00", () -> 0L, new MemoryAnchorStore());
		int capacity = 50;
		List<Integer> asked = new ArrayList<>();
		int misses = 0;
		for (int round = 0; round < 40; round++) {
			int n = engine.requestLimit("peer", true);
			asked.add(n);
			boolean answered = n <= capacity;
			misses += answered ? 0 : 1;
			engine.requestOutcome("peer", true, n, answered);
		}
		assertEquals(40, asked.get(0));
		assertEquals(1, misses, asked.toString());
		assertTrue(asked.get(39) >= 40 && asked.get(39) <= capacity, asked.toString());
		assertEquals(25, engine.requestLimit("other", false), "plaintext sessions start smaller");
	}
}
