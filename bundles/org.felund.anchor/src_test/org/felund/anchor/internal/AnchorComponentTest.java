package org.felund.anchor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.felund.api.control.AnchorAnnounce;
import org.felund.api.control.ControlMessage;
import org.junit.jupiter.api.Test;

class AnchorComponentTest {
	private static final String C = "c";

	@Test
	void offersOnlyWhenConfiguredToAndReadsItsSettingsLeniently() {
		AnchorComponent component = new AnchorComponent(() -> 1_000_000);
		component.configure(Map.of());
		assertFalse(component.offersAnchor());
		assertEquals(60, component.policy().settings().roundSeconds());
		component.configure(Map.of("offer", true, "announceInterval", 5L));
		assertTrue(component.offersAnchor());
		assertEquals(5, component.policy().settings().roundSeconds());
		component.configure(Map.of("offer", "false", "announceInterval", "-3"));
		assertFalse(component.offersAnchor());
		assertEquals(60, component.policy().settings().roundSeconds(), "a bad interval falls back to the default");
		assertTrue(component.exchangeWith(C, "peer", true));
		assertFalse(component.exchangeWith(C, "peer", false));
	}

	@Test
	void uptimeComesFromAnnouncementsTheirAuthorsMade() {
		AnchorComponent component = new AnchorComponent(() -> 1_000_000);
		component.configure(Map.of());
		long t = 1_000_000 - 120;
		component.controlEvent(new ControlMessage(C, "m1", "bob", "", t, new AnchorAnnounce("bob", t, true, false, false)),
				"gossip");
		component.controlEvent(new ControlMessage(C, "m2", "eve", "", t, new AnchorAnnounce("bob", t - 60, true, false, false)),
				"gossip");
		assertEquals(1, component.policy().uptime(C, "bob", 1_000_000), "eve cannot announce for bob");
	}

	@Test
	void announcementsAreTimedForTheMiddleOfARoundNeverTwiceForOneMiddle() {
		long round = 5_000;
		long start = 1_000_000 * round;
		assertEquals(2_500, AnchorComponent.delayToNextMidRound(start, round));
		assertEquals(4_900, AnchorComponent.delayToNextMidRound(start + 2_600, round), "just after a middle: the next");
		assertEquals(5_100, AnchorComponent.delayToNextMidRound(start + 2_400, round),
				"a timer that fired early would announce twice in this round's middle");
		assertEquals(2_501, AnchorComponent.delayToNextMidRound(start + 4_999, round));
		for (long at = 0; at < 3 * round; at += 137) {
			long next = start + at + AnchorComponent.delayToNextMidRound(start + at, round);
			assertEquals(round / 2, Math.floorMod(next, round), "lands in a middle from " + at);
		}
	}
}
