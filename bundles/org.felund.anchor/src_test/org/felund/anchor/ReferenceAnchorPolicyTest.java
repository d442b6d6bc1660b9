package org.felund.anchor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.felund.api.model.AnchorRecord;
import org.junit.jupiter.api.Test;

class ReferenceAnchorPolicyTest {
	private static final String C = "c";
	private static final long NOW = 1_000_000;

	private static AnchorRecord anchor(String id, boolean publicReachable, boolean mobile, long lastSeen) {
		return new AnchorRecord(C, id, true, publicReachable, mobile, lastSeen, lastSeen);
	}

	@Test
	void ranksByReachabilityThenMobilityAndSkipsStaleAndNonOfferingRecords() {
		ReferenceAnchorPolicy p = new ReferenceAnchorPolicy(false);
		AnchorRecord mobile = anchor("aaaa", false, true, NOW);
		AnchorRecord desk = anchor("bbbb", false, false, NOW);
		AnchorRecord stale = anchor("cccc", true, false, NOW - 21);
		AnchorRecord declined = new AnchorRecord(C, "dddd", false, true, false, NOW, NOW);
		assertEquals(Optional.of("bbbb"), p.select(C, List.of(mobile, desk, stale, declined), NOW));
		assertEquals(Optional.empty(), new ReferenceAnchorPolicy(false).select(C, List.of(stale, declined), NOW));
	}

	@Test
	void keepsItsChoiceForSixtySecondsWhileItStaysACandidate() {
		ReferenceAnchorPolicy p = new ReferenceAnchorPolicy(false);
		assertEquals(Optional.of("aaaa"), p.select(C, List.of(anchor("aaaa", false, false, NOW)), NOW));
		List<AnchorRecord> better = List.of(anchor("aaaa", false, false, NOW + 30), anchor("bbbb", true, false, NOW + 30));
		assertEquals(Optional.of("aaaa"), p.select(C, better, NOW + 30), "hysteresis");
		List<AnchorRecord> later = List.of(anchor("aaaa", false, false, NOW + 60), anchor("bbbb", true, false, NOW + 60));
		assertEquals(Optional.of("bbbb"), p.select(C, later, NOW + 60));
		assertEquals(Optional.of("bbbb"), p.select(C, List.of(anchor("bbbb", true, false, NOW + 61)), NOW + 61));
		assertEquals(Optional.empty(), p.select(C, List.of(anchor("bbbb", true, false, NOW)), NOW + 100), "stale");
	}

	@Test
	void theTiebreakIsTheSameEverywhere() {
		assertEquals(ReferenceAnchorPolicy.tiebreak("0123456789abcdef01234567"),
				ReferenceAnchorPolicy.tiebreak("0123456789abcdef01234567"));
		double t = ReferenceAnchorPolicy.tiebreak("x");
		assertTrue(t >= 0 && t < 1, String.valueOf(t));
	}
}
