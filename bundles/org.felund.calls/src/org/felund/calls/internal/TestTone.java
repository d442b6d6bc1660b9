package org.felund.calls.internal;

import org.felund.webrtc.AudioFeed;

/**
 * Test audio: a steady sine, short beeps on every wall-clock second (for measuring mouth-to-ear latency), or
 * silence. Sources are named {@code tone:<hz>}, {@code beep:<hz>} and {@code silence}.
 */
final class TestTone implements AudioFeed.Generator {
	/** Amplitude: -12 dBFS, well clear of clipping after the codec. */
	static final double AMPLITUDE = 0.25 * 32767;
	/** Beep length. */
	static final int BEEP_MILLIS = 100;

	enum Shape {
		TONE, BEEP, SILENCE
	}

	private final Shape shape;
	private final double hz;

	TestTone(Shape shape, double hz) {
		if (shape != Shape.SILENCE && (hz < 20 || hz > 20_000)) {
			throw new IllegalArgumentException("A test tone must be 20 to 20000 Hz, got " + hz);
		}
		this.shape = shape;
		this.hz = hz;
	}

	Shape shape() {
		return shape;
	}

	double hz() {
		return hz;
	}

	@Override
	public void fill(short[] frame, long firstSample, long wallMillis) {
		switch (shape) {
		case SILENCE -> java.util.Arrays.fill(frame, (short) 0);
		case TONE -> {
			for (int i = 0; i < frame.length; i++) {
				frame[i] = (short) (AMPLITUDE * Math.sin(2 * Math.PI * hz * (firstSample + i) / AudioFeed.SAMPLE_RATE));
			}
		}
		case BEEP -> {
			for (int i = 0; i < frame.length; i++) {
				long sampleMillis = wallMillis + i * 1000L / AudioFeed.SAMPLE_RATE;
				boolean on = Math.floorMod(sampleMillis, 1000) < BEEP_MILLIS;
				frame[i] = on ? (short) (AMPLITUDE * Math.sin(2 * Math.PI * hz * (firstSample + i) / AudioFeed.SAMPLE_RATE))
						: 0;
			}
		}
		}
	}

	String label() {
		return switch (shape) {
		case SILENCE -> "silence";
		case TONE -> "test tone " + (long) hz + " Hz";
		case BEEP -> "test beeps " + (long) hz + " Hz";
		};
	}
}
