package org.felund.calls.internal;

/**
 * Counts one peer's decoded video frames: size, frames per second, and, for the test pattern, how old each frame is.
 */
final class VideoProbe {
	private long frames;
	private int width;
	private int height;
	private long windowStart = System.nanoTime();
	private long windowFrames;
	private double fps;
	private long lastFrameNanos;
	private long stamps;
	private double ageMs = -1;

	/** One decoded frame; {@code stamp} is the test pattern's capture time (low 32 bits of epoch ms) or -1. */
	synchronized void frame(int w, int h, long stamp) {
		long now = System.nanoTime();
		frames++;
		width = w;
		height = h;
		lastFrameNanos = now;
		windowFrames++;
		roll(now);
		if (stamp >= 0) {
			long age = (System.currentTimeMillis() & 0xffff_ffffL) - stamp;
			if (age >= 0 && age < 60_000) {
				stamps++;
				ageMs = ageMs < 0 ? age : 0.9 * ageMs + 0.1 * age;
			}
		}
	}

	private void roll(long now) {
		long elapsed = now - windowStart;
		if (elapsed >= 1_000_000_000L) {
			fps = windowFrames * 1e9 / elapsed;
			windowFrames = 0;
			windowStart = now;
		}
	}

	synchronized long frames() {
		return frames;
	}

	synchronized int width() {
		return width;
	}

	synchronized int height() {
		return height;
	}

	/** Frames per second over the last whole second; 0 once frames stopped for a second. */
	synchronized double fps() {
		long now = System.nanoTime();
		roll(now);
		return now - lastFrameNanos > 1_000_000_000L ? 0 : fps;
	}

	/** Smoothed age of the test pattern's frames when decoded, ms; -1 when none carried a stamp. */
	synchronized double patternAgeMs() {
		return stamps == 0 ? -1 : ageMs;
	}

	synchronized long stampedFrames() {
		return stamps;
	}
}
