package org.felund.calls.internal;

/** The strongest frequency of a block of samples: a Hann-windowed radix-2 FFT with parabolic peak interpolation. */
final class Spectrum {
	private Spectrum() {
	}

	/**
	 * @param samples a power-of-two count of samples, oldest first
	 * @param sampleRate samples per second
	 * @return the strongest frequency in Hz, 0 for silence
	 */
	static double dominantHz(double[] samples, int sampleRate) {
		int n = samples.length;
		if (n < 4 || Integer.bitCount(n) != 1) {
			throw new IllegalArgumentException("The FFT needs a power of two of samples, got " + n);
		}
		double[] re = new double[n];
		double[] im = new double[n];
		for (int i = 0; i < n; i++) {
			re[i] = samples[i] * (0.5 - 0.5 * Math.cos(2 * Math.PI * i / (n - 1)));
		}
		fft(re, im);
		int best = 0;
		double bestPower = 0;
		double[] power = new double[n / 2];
		for (int k = 1; k < n / 2; k++) {
			power[k] = re[k] * re[k] + im[k] * im[k];
			if (power[k] > bestPower) {
				bestPower = power[k];
				best = k;
			}
		}
		if (best == 0 || bestPower < 1e-3 * n) {
			return 0;
		}
		double shift = 0;
		if (best > 1 && best < n / 2 - 1) {
			double a = Math.log(power[best - 1] + 1e-12);
			double b = Math.log(power[best] + 1e-12);
			double c = Math.log(power[best + 1] + 1e-12);
			double d = a - 2 * b + c;
			shift = d == 0 ? 0 : 0.5 * (a - c) / d;
		}
		return (best + shift) * sampleRate / n;
	}

	/** In place, iterative Cooley-Tukey. */
	static void fft(double[] re, double[] im) {
		int n = re.length;
		for (int i = 1, j = 0; i < n; i++) {
			int bit = n >> 1;
			for (; (j & bit) != 0; bit >>= 1) {
				j ^= bit;
			}
			j ^= bit;
			if (i < j) {
				double t = re[i];
				re[i] = re[j];
				re[j] = t;
				t = im[i];
				im[i] = im[j];
				im[j] = t;
			}
		}
		for (int len = 2; len <= n; len <<= 1) {
			double angle = -2 * Math.PI / len;
			double wr = Math.cos(angle);
			double wi = Math.sin(angle);
			for (int i = 0; i < n; i += len) {
				double cr = 1;
				double ci = 0;
				for (int k = 0; k < len / 2; k++) {
					int a = i + k;
					int b = a + len / 2;
					double xr = re[b] * cr - im[b] * ci;
					double xi = re[b] * ci + im[b] * cr;
					re[b] = re[a] - xr;
					im[b] = im[a] - xi;
					re[a] += xr;
					im[a] += xi;
					double nr = cr * wr - ci * wi;
					ci = cr * wi + ci * wr;
					cr = nr;
				}
			}
		}
	}
}
