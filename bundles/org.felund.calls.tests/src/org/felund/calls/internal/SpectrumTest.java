package org.felund.calls.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SpectrumTest {
	@Test
	void findsTheToneBetweenBinsAndNothingInSilence() {
		for (double hz : new double[] { 440, 660, 997.5, 3000 }) {
			double[] x = new double[8192];
			for (int i = 0; i < x.length; i++) {
				x[i] = 0.25 * Math.sin(2 * Math.PI * hz * i / 48_000) + 0.01 * Math.sin(2 * Math.PI * 50 * i / 48_000);
			}
			assertEquals(hz, Spectrum.dominantHz(x, 48_000), 1.0, "tone " + hz);
		}
		assertEquals(0, Spectrum.dominantHz(new double[8192], 48_000));
	}
}
