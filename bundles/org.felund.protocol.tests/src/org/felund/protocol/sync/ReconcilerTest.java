package org.felund.protocol.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.felund.api.model.ProtocolException;
import org.felund.api.store.SyncKey;
import org.felund.protocol.wire.Json;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class ReconcilerTest {
	/** The gossip transport's budget: the largest encrypted line's JSON (24,545 bytes, protocol §4.2) less 128. */
	private static final int BUDGET = 24_545 - 128;

	/** Runs the exchange between two indexes to the end; returns frames, bytes and what each side pushed/asked. */
	record Run(int frames, int bytes, Set<String> aPushes, Set<String> aAsks, Set<String> bPushes, Set<String> bAsks) {
	}

	static Run reconcile(RangeIndex a, RangeIndex b) {
		Reconciler ra = new Reconciler(a, BUDGET);
		Reconciler rb = new Reconciler(b, BUDGET);
		Set<String> aPush = new HashSet<>();
		Set<String> aAsk = new HashSet<>();
		Set<String> bPush = new HashSet<>();
		Set<String> bAsk = new HashSet<>();
		JsonNode msg = ra.initial();
		int frames = 1;
		int bytes = Json.compact(msg).length();
		boolean bTurn = true;
		while (!msg.isEmpty()) {
			Reconciler.Outcome o = (bTurn ? rb : ra).respond(msg);
			(bTurn ? bPush : aPush).addAll(o.push());
			(bTurn ? bAsk : aAsk).addAll(o.request());
			msg = o.reply();
			frames++;
			int frameBytes = Json.compact(msg).length();
			assertTrue(frameBytes <= BUDGET, "frame " + frames + " has " + frameBytes + " bytes (budget " + BUDGET + ")");
			bytes += frameBytes;
			bTurn = !bTurn;
			if (frames > 2_000) {
				throw new AssertionError("reconciliation does not terminate");
			}
		}
		return new Run(frames, bytes, aPush, aAsk, bPush, bAsk);
	}

	static List<SyncKey> keys(Random rnd, int n) {
		List<SyncKey> out = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			out.add(new SyncKey(1_700_000_000L + rnd.nextInt(86_400 * 30), String.format("%016x%016x", rnd.nextLong(), rnd.nextLong())));
		}
		return out;
	}

	@Test
	void identicalSetsFinishAfterOneExchange() throws Exception {
		List<SyncKey> all = keys(new Random(1), 5000);
		RangeIndex a = new RangeIndex();
		RangeIndex b = new RangeIndex();
		a.addAll(all);
		b.addAll(all);
		Run run = reconcile(a, b);
		assertEquals(2, run.frames());
		assertTrue(run.aPushes().isEmpty() && run.bPushes().isEmpty() && run.aAsks().isEmpty() && run.bAsks().isEmpty());
	}

	@Test
	void everyDifferenceIsFoundInBothDirections() throws Exception {
		Random rnd = new Random(2);
		List<SyncKey> common = keys(rnd, 20_000);
		List<SyncKey> onlyA = keys(rnd, 37);
		List<SyncKey> onlyB = keys(rnd, 250);
		RangeIndex a = new RangeIndex();
		RangeIndex b = new RangeIndex();
		a.addAll(common);
		a.addAll(onlyA);
		b.addAll(common);
		b.addAll(onlyB);
		Run run = reconcile(a, b);
		Set<String> aLacks = ids(onlyB);
		Set<String> bLacks = ids(onlyA);
		Set<String> toA = new HashSet<>(run.bPushes());
		toA.addAll(run.aAsks());
		Set<String> toB = new HashSet<>(run.aPushes());
		toB.addAll(run.bAsks());
		assertEquals(aLacks, toA);
		assertEquals(bLacks, toB);
	}

	/**
	 * Two nodes apart for long (the kill -9 campaign: ~10,000 messages each that the other lacks, interleaved in
	 * time): every reply fits the line, so that the session does not fail on it, and every difference is found.
	 * Before the fix, id lists and skips were not counted and a reply reached 31,119 bytes.
	 */
	@Test
	void largeDifferencesOnBothSidesKeepEveryFrameWithinTheLine() throws Exception {
		Random rnd = new Random(5);
		List<SyncKey> common = keys(rnd, 5_000);
		List<SyncKey> onlyA = keys(rnd, 10_000);
		List<SyncKey> onlyB = keys(rnd, 13_000);
		RangeIndex a = new RangeIndex();
		RangeIndex b = new RangeIndex();
		a.addAll(common);
		a.addAll(onlyA);
		b.addAll(common);
		b.addAll(onlyB);
		Run run = reconcile(a, b);
		assertEquals(ids(onlyB), union(run.bPushes(), run.aAsks()));
		assertEquals(ids(onlyA), union(run.aPushes(), run.bAsks()));
	}

	@Test
	void anEmptySideGetsEverythingPushedWithoutIdLists() throws Exception {
		RangeIndex a = new RangeIndex();
		RangeIndex b = new RangeIndex();
		List<SyncKey> all = keys(new Random(3), 30_000);
		b.addAll(all);
		Run run = reconcile(a, b);
		assertEquals(ids(all), run.bPushes());
		assertTrue(run.bytes() < 1_000, "bytes " + run.bytes());
	}

	@Test
	void oneDifferenceInAHundredThousandCostsFewRoundTripsAndLittle() throws Exception {
		Random rnd = new Random(4);
		List<SyncKey> common = keys(rnd, 100_000);
		RangeIndex a = new RangeIndex();
		RangeIndex b = new RangeIndex();
		a.addAll(common);
		b.addAll(common);
		SyncKey extra = keys(rnd, 1).get(0);
		b.add(extra);
		Run run = reconcile(a, b);
		assertEquals(Set.of(extra.msgId()), union(run.bPushes(), run.aAsks()));
		// frames alternate a, b, a, ...: a round trip is two frames.
		assertTrue(run.frames() <= 7, "frames " + run.frames());
		assertTrue(run.bytes() < 4096, "bytes " + run.bytes());
	}

	@Test
	void malformedRangesAreRefused() {
		Reconciler r = new Reconciler(new RangeIndex(), BUDGET);
		for (String bad : new String[] { "{}", "[[1]]", "[[\"x\",\"a\",0,\"\"]]", "[[5,\"a\",9]]", "[[5,\"b\"],[-1,\"a\"]]",
				"[[5,\"b\"],[0,\"a\"]]", "[[null,null,\"notalist\"]]", "[[null,null,[7]]]", "[[1,\"a\",1,2,3]]",
				"[[9223372036854775807,\"a\"],[9,\"b\"]]" }) {
			JsonNode node = Json.parse(bad);
			assertThrows(ProtocolException.class, () -> r.respond(node), bad);
		}
	}

	@Test
	void separatorsAreShortAndOrdered() {
		SyncKey p = new SyncKey(5, "abcd");
		SyncKey q = new SyncKey(5, "abd0");
		SyncKey s = RangeIndex.separator(p, q);
		assertEquals("abd", s.msgId());
		assertTrue(p.compareTo(s) < 0 && s.compareTo(q) <= 0);
		assertEquals(new SyncKey(6, ""), RangeIndex.separator(p, new SyncKey(6, "0")));
	}

	private static Set<String> ids(List<SyncKey> keys) {
		Set<String> out = new HashSet<>();
		keys.forEach(k -> out.add(k.msgId()));
		return out;
	}

	private static Set<String> union(Set<String> x, Set<String> y) {
		Set<String> out = new HashSet<>(x);
		out.addAll(y);
		return out;
	}

}
