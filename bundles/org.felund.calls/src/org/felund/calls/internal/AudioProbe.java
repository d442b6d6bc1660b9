package org.felund.calls.internal;

import dev.onvoid.webrtc.media.audio.AudioTrackSink;

/**
 * Listens to one peer's decoded audio: its level, its strongest frequency, and, when the peer sends the test beeps
 * (which start on every wall-clock second), how late each beep arrives: the mouth-to-ear latency on one machine.
 */
final class AudioProbe implements AudioTrackSink {
	private static final int WINDOW = 8192;
	private static final double BEEP_THRESHOLD = 0.05;

	private final double[] ring = new double[WINDOW];
	private int position;
	private int filled;
	private int sampleRate = 48_000;
	private double energy;
	private long samples;
	private long callbacks;
	private boolean inBeep;
	private long quietSamples;
	private final double[] latencies = new double[32];
	private int latencyCount;

	@Override
	public synchronized void onData(byte[] data, int bitsPerSample, int rate, int channels, int frames) {
		if (bitsPerSample != 16 || channels < 1 || frames <= 0) {
			return;
		}
		long arrived = System.currentTimeMillis();
		sampleRate = rate;
		callbacks++;
		for (int i = 0; i < frames; i++) {
			int sum = 0;
			for (int ch = 0; ch < channels; ch++) {
				int at = 2 * (i * channels + ch);
				sum += (short) ((data[at] & 0xff) | (data[at + 1] << 8));
			}
			double x = sum / (double) channels / 32768.0;
			ring[position] = x;
			position = (position + 1) % WINDOW;
			filled = Math.min(WINDOW, filled + 1);
			energy = 0.9995 * energy + 0.0005 * x * x;
			samples++;
			double magnitude = Math.abs(x);
			if (!inBeep && magnitude > BEEP_THRESHOLD && quietSamples > rate / 4) {
				inBeep = true;
				// This sample plays at the end of the 10 ms block the callback delivers.
				long at = arrived + (long) ((i - frames) * 1000.0 / rate);
				long intoSecond = Math.floorMod(at, 1000);
				if (intoSecond < 900) {
					latencies[latencyCount % latencies.length] = intoSecond;
					latencyCount++;
				}
			}
			if (magnitude > BEEP_THRESHOLD) {
				quietSamples = 0;
			} else {
				quietSamples++;
				if (quietSamples > rate / 50) {
					inBeep = false;
				}
			}
		}
	}

	/** RMS level over the last second or so, 0 to 1. */
	synchronized double level() {
		return Math.sqrt(energy);
	}

	synchronized long callbacks() {
		return callbacks;
	}

	synchronized long samples() {
		return samples;
	}

	/** The strongest frequency of the last {@value #WINDOW} samples, 0 when silent or too little arrived. */
	synchronized double dominantHz() {
		if (filled < WINDOW || level() < 1e-3) {
			return 0;
		}
		double[] block = new double[WINDOW];
		for (int i = 0; i < WINDOW; i++) {
			block[i] = ring[(position + i) % WINDOW];
		}
		return Spectrum.dominantHz(block, sampleRate);
	}

	/** Median delay of the last test beeps, ms; -1 before any. */
	synchronized double beepLatencyMs() {
		int n = Math.min(latencyCount, latencies.length);
		if (n == 0) {
			return -1;
		}
		double[] copy = java.util.Arrays.copyOf(latencies, n);
		java.util.Arrays.sort(copy);
		return copy[n / 2];
	}
}
