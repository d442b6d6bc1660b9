package org.felund.transport.gossip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.felund.api.model.ChatMessage;
import org.felund.api.model.Envelope;
import org.felund.api.store.SyncKey;
import org.felund.protocol.wire.Json;
import org.felund.protocol.wire.MessageJson;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

class SyncPlannerTest {
	private static final String CIRCLE = "630dcd2966c4336691125448";

	static List<SyncKey> keys(int n) {
		List<SyncKey> out = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			// ids deliberately not in time order
			out.add(new SyncKey(1_700_000_000L + i, String.format("%032x", (i * 7919L) % 100_003)));
		}
		return out;
	}

	@Test
	void advertisesEverythingWhenItFits() {
		List<SyncKey> ours = keys(300);
		List<String> have = SyncPlanner.haveSubset(CIRCLE, ours, Set.of(), FrameLimits.maxJsonBytes(true));
		assertEquals(300, have.size());
		List<String> sorted = new ArrayList<>(have);
		sorted.sort(null);
		assertEquals(sorted, have);
	}

	@Test
	void advertisesTheNewestTheReferenceCanTakeWhenTooMany() {
		List<SyncKey> ours = keys(10_000);
		int budget = FrameLimits.maxJsonBytes(true);
		List<String> have = SyncPlanner.haveSubset(CIRCLE, ours, Set.of(), budget);
		assertEquals(699, have.size());
		assertTrue(SyncPlanner.idListFrameBytes(Frames.MSGS_HAVE, CIRCLE, have) <= budget);
		Set<String> newest = new HashSet<>();
		ours.subList(10_000 - 699, 10_000).forEach(k -> newest.add(k.msgId()));
		assertEquals(newest, new HashSet<>(have));
		assertEquals(466, SyncPlanner.haveSubset(CIRCLE, ours, Set.of(), FrameLimits.maxJsonBytes(false)).size());
	}

	@Test
	void prefersTheNewestIdsThePeerLacks() {
		List<SyncKey> ours = keys(2000);
		Set<String> peerHas = new HashSet<>();
		ours.subList(1900, 2000).forEach(k -> peerHas.add(k.msgId()));
		List<String> have = SyncPlanner.haveSubset(CIRCLE, ours, peerHas, FrameLimits.maxJsonBytes(true));
		Set<String> expected = new HashSet<>();
		ours.subList(1900 - 699, 1900).forEach(k -> expected.add(k.msgId()));
		assertEquals(expected, new HashSet<>(have));
	}

	@Test
	void requestsNoMoreThanTheLimitAndTheLine() {
		List<String> missing = new ArrayList<>();
		keys(1000).forEach(k -> missing.add(k.msgId()));
		assertEquals(40, SyncPlanner.requestSubset(CIRCLE, missing, 40, FrameLimits.maxJsonBytes(true)).size());
		assertEquals(466, SyncPlanner.requestSubset(CIRCLE, missing, 1000, FrameLimits.maxJsonBytes(false)).size());
	}

	static ChatMessage message(int i, int textLength) {
		return new ChatMessage(String.format("%032x", i), CIRCLE, "general", "0123456789abcdef01234567",
				1_700_000_000L + i, "alice", "x".repeat(textLength), "a".repeat(64), 2,
				Envelope.of("AAECAwQFBgcICQoL", "A".repeat(4 * ((textLength + 60) / 3))));
	}

	@Test
	void sendsTheNewestRequestedMessagesThatFitOneLineInRequestOrder() {
		List<ChatMessage> requested = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			requested.add(message(i, 11));
		}
		int budget = FrameLimits.maxJsonBytes(true);
		List<ChatMessage> chosen = SyncPlanner.sendSubset(CIRCLE, requested, budget, Integer.MAX_VALUE);
		ObjectNode frame = Frames.frame(Frames.MSGS_SEND);
		frame.put("circle_id", CIRCLE);
		ArrayNode list = frame.putArray("messages");
		chosen.forEach(m -> list.add(MessageJson.toWire(m)));
		assertTrue(Json.ascii(frame).length() <= budget);
		assertTrue(chosen.size() > 30, "chosen " + chosen.size());
		// The chosen ones are the newest, and in request order.
		assertEquals(requested.subList(200 - chosen.size(), 200), chosen);
	}

	@Test
	void neverPushesAReferenceNodePastItsOwnHaveLimit() {
		List<ChatMessage> requested = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			requested.add(message(i, 5));
		}
		int room = 10 * 35;
		assertEquals(10, SyncPlanner.sendSubset(CIRCLE, requested, FrameLimits.maxJsonBytes(true), room).size());
		assertEquals(0, SyncPlanner.sendSubset(CIRCLE, requested, FrameLimits.maxJsonBytes(true), 0).size());
	}
}
