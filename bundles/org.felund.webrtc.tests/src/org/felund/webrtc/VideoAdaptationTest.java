package org.felund.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VideoAdaptationTest {
	private static final long S = 1_000_000;

	private final VideoAdaptation a = new VideoAdaptation();
	private long now = 10 * S;

	/** Feeds one report a quarter second after the last, at the height the current scale gives a 480-row source. */
	private int feed(double kbps) {
		now += S / 4;
		return a.update(kbps, 480 / a.scale(), now);
	}

	/** A connection past its warm-up, on a good link. */
	@BeforeEach
	void established() {
		assertEquals(1, feedFor(2000, 3 * S));
	}

	private int feedFor(double kbps, long micros) {
		int scale = a.scale();
		for (long t = 0; t < micros; t += S / 4) {
			scale = feed(kbps);
		}
		return scale;
	}

	@Test
	void theStartingEstimateDoesNotShrinkThePictureWhileTheFirstProbesRun() {
		VideoAdaptation fresh = new VideoAdaptation();
		long t = 0;
		for (int i = 0; i < 8; i++) {
			t += S / 4;
			assertEquals(1, fresh.update(300, 480, t), "at " + t + " us");
		}
		t += S / 4;
		assertEquals(2, fresh.update(300, 480, t), "a low estimate past the warm-up");
	}

	@Test
	void aPlentifulEstimateKeepsFullSize() {
		assertEquals(1, feedFor(2000, 10 * S));
	}

	@Test
	void aLowEstimateHalvesTheSizeAfterASecondNotAtOneDip() {
		assertEquals(1, feedFor(200, S / 2));
		assertEquals(1, feed(800));
		assertEquals(1, feedFor(200, S / 2));
		assertEquals(2, feedFor(200, S));
	}

	@Test
	void aVeryLowEstimateQuartersTheSizeButNotBelowTheMinimumHeight() {
		assertEquals(4, feedFor(40, 2 * S));
		VideoAdaptation small = new VideoAdaptation();
		long t = 0;
		for (int i = 0; i < 20; i++) {
			t += S / 4;
			small.update(40, 240 / small.scale(), t);
		}
		assertEquals(2, small.scale(), "a 240-row source goes down to 120 rows, not 60");
	}

	@Test
	void theWayBackUpNeedsAClearlyHigherEstimateForThreeSeconds() {
		assertEquals(2, feedFor(150, 2 * S));
		assertEquals(2, feedFor(400, 10 * S), "between the thresholds: stays");
		assertEquals(2, feedFor(900, 2 * S));
		assertEquals(2, feed(300));
		assertEquals(2, feedFor(900, 2 * S), "the dip restarted the wait");
		assertEquals(1, feedFor(900, 2 * S));
	}

	@Test
	void fromAQuarterItStepsBackToHalfThenFull() {
		assertEquals(4, feedFor(40, 2 * S));
		assertEquals(4, feedFor(100, 5 * S), "just above the quarter threshold is not enough");
		assertEquals(2, feedFor(200, 4 * S));
		assertEquals(1, feedFor(1000, 4 * S));
	}

	@Test
	void anUnknownEstimateChangesNothing() {
		assertEquals(2, feedFor(150, 2 * S));
		assertEquals(2, feedFor(0, 10 * S));
		assertEquals(2, a.update(5000, 0, now + S));
	}
}
