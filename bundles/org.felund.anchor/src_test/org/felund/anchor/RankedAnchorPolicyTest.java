package org.felund.anchor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.felund.api.model.AnchorRecord;
import org.junit.jupiter.api.Test;

class RankedAnchorPolicyTest {
	private static final String C = "c";
	private static final long NOW = 1_000_000;

	private static AnchorRecord anchor(String id, boolean publicReachable, boolean mobile, long lastSeen) {
		return new AnchorRecord(C, id, true, publicReachable, mobile, lastSeen, lastSeen);
	}

	private static RankedAnchorPolicy policy() {
		return new RankedAnchorPolicy(RankedAnchorPolicy.Settings.defaults(false));
	}

	@Test
	void ranksByReachabilityThenMobilityThenUptimeThenNodeIdAndSkipsStaleAndNonOfferingRecords() {
		RankedAnchorPolicy p = policy();
		for (long round = 2; round <= 21; round++) {
			p.announced(C, "eeee", NOW - round * 60); // announced in every one of the last settled rounds
		}
		p.announced(C, "ffff", NOW - 120);
		List<AnchorRecord> records = List.of(anchor("aaaa", false, true, NOW), anchor("ffff", false, false, NOW),
				anchor("eeee", false, false, NOW), anchor("bbbb", false, false, NOW), anchor("cccc", true, false, NOW - 21),
				new AnchorRecord(C, "dddd", false, true, false, NOW, NOW), anchor("gggg", true, true, NOW));
		assertEquals(List.of("gggg", "eeee", "ffff", "bbbb", "aaaa"), p.rank(C, records, NOW),
				"public first, then not mobile, then uptime, then the smaller node id; stale and declining ones out");
		assertEquals(20, p.uptime(C, "eeee", NOW));
		assertEquals(1, p.uptime(C, "ffff", NOW));
	}

	@Test
	void nodesThatSeeTheSameRecordsInAnyOrderPickTheSameAnchor() {
		List<AnchorRecord> records = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			records.add(anchor(String.format("%024x", 0xabcdefL * (i + 1)), i % 3 == 0, i % 2 == 0, NOW));
		}
		Random random = new Random(7);
		Optional<String> first = null;
		for (int node = 0; node < 5; node++) {
			List<AnchorRecord> shuffled = new ArrayList<>(records);
			Collections.shuffle(shuffled, random);
			Optional<String> choice = policy().select(C, shuffled, NOW);
			if (first == null) {
				first = choice;
			}
			assertEquals(first, choice, "node " + node);
		}
		assertTrue(first.isPresent());
	}

	@Test
	void aStaleAnchorIsReplacedAtOnceAndItsReturnDoesNotFlapTheChoice() {
		RankedAnchorPolicy p = policy();
		assertEquals(Optional.of("aaaa"), p.select(C, List.of(anchor("aaaa", false, false, NOW),
				anchor("bbbb", false, false, NOW)), NOW));
		// aaaa dies: stale after 20 s, bbbb takes over at once (no cooldown for a gone anchor)
		assertEquals(Optional.of("aaaa"), p.select(C, List.of(anchor("aaaa", false, false, NOW),
				anchor("bbbb", false, false, NOW + 20)), NOW + 20));
		assertEquals(Optional.of("bbbb"), p.select(C, List.of(anchor("aaaa", false, false, NOW),
				anchor("bbbb", false, false, NOW + 21)), NOW + 21));
		// aaaa comes back and (with nothing else to tell them apart) ranks first again: no switch within the cooldown
		for (long t = NOW + 22; t < NOW + 21 + 60; t += 7) {
			assertEquals(Optional.of("bbbb"), p.select(C, List.of(anchor("aaaa", false, false, t),
					anchor("bbbb", false, false, t)), t), "at " + (t - NOW));
		}
		assertEquals(List.of("bbbb", "aaaa"), p.order(C, List.of(anchor("aaaa", false, false, NOW + 80),
				anchor("bbbb", false, false, NOW + 80)), NOW + 80), "the chosen one first, then by rank");
		// after it, the best ranked: what a node that never chose bbbb picks too (with announcements, the streak
		// keeps bbbb first, see theAnchorThatStayedUpOutranksOneThatCameBack…)
		assertEquals(Optional.of("aaaa"), p.select(C, List.of(anchor("aaaa", false, false, NOW + 81),
				anchor("bbbb", false, false, NOW + 81)), NOW + 81));
	}

	@Test
	void aNodeThatChoseBeforeItSawEveryRecordEndsOnTheSameAnchorAsTheOthers() {
		RankedAnchorPolicy p = policy();
		// At start a node knows only its own record and picks itself.
		assertEquals(Optional.of("eeee"), p.select(C, List.of(anchor("eeee", false, false, NOW)), NOW));
		List<AnchorRecord> all = List.of(anchor("aaaa", false, false, NOW + 5), anchor("bbbb", false, false, NOW + 5),
				anchor("eeee", false, false, NOW + 5));
		assertEquals(Optional.of("eeee"), p.select(C, all, NOW + 5), "kept within the cooldown");
		List<AnchorRecord> later = List.of(anchor("aaaa", false, false, NOW + 60), anchor("bbbb", false, false, NOW + 60),
				anchor("eeee", false, false, NOW + 60));
		assertEquals(policy().select(C, later, NOW + 60), p.select(C, later, NOW + 60),
				"after the cooldown it agrees with a node that saw everything at once");
		assertEquals(Optional.of("aaaa"), p.select(C, later, NOW + 60));
	}

	@Test
	void anOutrankedAnchorIsReplacedOnlyAfterTheCooldown() {
		RankedAnchorPolicy p = policy();
		assertEquals(Optional.of("cccc"), p.select(C, List.of(anchor("cccc", false, false, NOW)), NOW));
		List<AnchorRecord> better = List.of(anchor("aaaa", true, false, NOW + 30), anchor("bbbb", true, false, NOW + 30),
				anchor("cccc", false, false, NOW + 30));
		assertEquals(Optional.of("cccc"), p.select(C, better, NOW + 30), "fallen two ranks, but within the cooldown");
		List<AnchorRecord> later = List.of(anchor("aaaa", true, false, NOW + 60), anchor("bbbb", true, false, NOW + 60),
				anchor("cccc", false, false, NOW + 60));
		assertEquals(Optional.of("aaaa"), p.select(C, later, NOW + 60));
		assertEquals(Optional.empty(), p.select(C, List.of(anchor("aaaa", true, false, NOW)), NOW + 100), "stale");
	}

	@Test
	void theAnchorThatStayedUpOutranksOneThatCameBackSoANodeThatStartsLaterAgrees() {
		RankedAnchorPolicy longRunning = policy();
		long start = 60 * 30_000;
		long back = start + 40 * 60; // aaaa was away for rounds 10..14, bbbb announced throughout
		for (long round = 0; round < 40; round++) {
			long ts = start + round * 60 + 5;
			longRunning.announced(C, "bbbb", ts);
			if (round < 10 || round >= 15) {
				longRunning.announced(C, "aaaa", ts);
			}
		}
		long later = back + 25 * 60; // uptimes equal again (20 of the last 20), streaks not
		for (long round = 40; round < 65; round++) {
			longRunning.announced(C, "aaaa", start + round * 60 + 5);
			longRunning.announced(C, "bbbb", start + round * 60 + 5);
		}
		List<AnchorRecord> records = List.of(anchor("aaaa", false, false, later), anchor("bbbb", false, false, later));
		assertEquals(longRunning.uptime(C, "aaaa", later), longRunning.uptime(C, "bbbb", later));
		assertTrue(longRunning.streak(C, "bbbb", later) > longRunning.streak(C, "aaaa", later));
		assertEquals(List.of("bbbb", "aaaa"), longRunning.rank(C, records, later));
		assertEquals(Optional.of("bbbb"), longRunning.select(C, records, later));
	}

	@Test
	void uptimeCountsSettledRoundsOnlySoThatEveryNodeCountsAlike() {
		RankedAnchorPolicy p = policy();
		long roundStart = 60 * 20_000;
		p.announced(C, "aaaa", roundStart + 30); // in the current round: not complete yet
		assertEquals(0, p.uptime(C, "aaaa", roundStart + 40));
		assertEquals(0, p.uptime(C, "aaaa", roundStart + 60 + 59), "the round after it has not passed yet");
		assertEquals(1, p.uptime(C, "aaaa", roundStart + 120));
		assertEquals(1, p.streak(C, "aaaa", roundStart + 120));
		assertEquals(0, p.uptime(C, "aaaa", roundStart + 60 * 22), "older than 20 rounds");
	}

	@Test
	void anAnnouncementThatArrivesLateWithinARoundChangesNoRank() {
		RankedAnchorPolicy p = policy();
		long start = 60 * 40_000;
		for (long round = 0; round <= 10; round++) {
			if (round < 10) {
				p.announced(C, "bbbb", start + round * 60 + 30); // announcing longest: first by streak
			}
			if (round >= 3) {
				p.announced(C, "aaaa", start + round * 60 + 30);
			}
		}
		// bbbb's announcement of round 10 is still on its way a round and a half after it was made
		long late = start + 11 * 60 + 59;
		List<AnchorRecord> records = List.of(anchor("aaaa", false, false, late), anchor("bbbb", false, false, late));
		assertEquals(List.of("bbbb", "aaaa"), p.rank(C, records, late));
		p.announced(C, "bbbb", start + 10 * 60 + 30);
		assertEquals(List.of("bbbb", "aaaa"), p.rank(C, records, late), "its arrival changes nothing");
		assertEquals(List.of("bbbb", "aaaa"), p.rank(C, records, start + 12 * 60), "once settled, both counted");
	}

	@Test
	void aRivalItOnceOutrankedThatRisesOneRankAboveDoesNotMoveTheChoiceButFallingTwoRanksDoes() {
		RankedAnchorPolicy p = policy();
		for (long round = 2; round <= 40; round++) {
			for (String id : List.of("bbbb", "cccc", "dddd")) {
				p.announced(C, id, NOW - round * 60); // all up for the last 40 rounds: full uptimes, equal streaks
			}
		}
		List<AnchorRecord> equal = List.of(anchor("bbbb", false, false, NOW), anchor("cccc", false, false, NOW),
				anchor("dddd", false, false, NOW));
		assertEquals(Optional.of("bbbb"), p.select(C, equal, NOW), "smallest node id among equals");
		// cccc becomes publicly reachable: one rank above the choice, which had outranked it
		for (long t = NOW + 10; t < NOW + 600; t += 30) {
			for (String id : List.of("bbbb", "cccc", "dddd")) {
				p.announced(C, id, t);
			}
			List<AnchorRecord> ccccUp = List.of(anchor("bbbb", false, false, t), anchor("cccc", true, false, t),
					anchor("dddd", false, false, t));
			assertEquals(Optional.of("bbbb"), p.select(C, ccccUp, t), "at " + (t - NOW));
		}
		List<AnchorRecord> bothUp = List.of(anchor("bbbb", false, false, NOW + 600), anchor("cccc", true, false, NOW + 600),
				anchor("dddd", true, false, NOW + 600));
		assertEquals(Optional.of("cccc"), p.select(C, bothUp, NOW + 600), "fallen two ranks: the best ranked one");
	}

	@Test
	void whileUptimesStillGrowAfterAStartTheBestRankedIsTakenAfterTheCooldownSoEveryNodeConverges() {
		RankedAnchorPolicy early = policy();
		long start = 60 * 50_000;
		// cccc started a round before bbbb; both still short of a full uptime record
		early.announced(C, "cccc", start + 30);
		for (long round = 1; round <= 6; round++) {
			early.announced(C, "cccc", start + round * 60 + 30);
			early.announced(C, "bbbb", start + round * 60 + 30);
		}
		long t = start + 4 * 60;
		List<AnchorRecord> records = List.of(anchor("bbbb", false, false, t), anchor("cccc", false, false, t));
		assertEquals(Optional.of("cccc"), early.select(C, records, t), "more rounds so far");
		// later bbbb gains the better capabilities: one rank above a choice that never outranked it with a full record
		long later = start + 8 * 60;
		List<AnchorRecord> then = List.of(anchor("bbbb", true, false, later), anchor("cccc", false, false, later));
		assertEquals(Optional.of("bbbb"), early.select(C, then, later), "what a node that starts now picks");
		assertEquals(policy().select(C, then, later), early.select(C, then, later));
	}
}
