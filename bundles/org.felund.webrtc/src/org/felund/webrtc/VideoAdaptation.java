package org.felund.webrtc;

/**
 * Picks how far to scale the sent video down from the sender's bandwidth estimate, so that a slow link gets fewer,
 * sharper pixels at a usable frame rate rather than full-size frames at a few a second.
 * <p>
 * Why here: libwebrtc adapts the <em>bit rate</em> to the estimate by itself, but webrtc-java 0.14.0 cannot set a
 * degradation preference, and with its defaults the encoder keeps the source's resolution and drops frames instead
 * (measured: 640x480 at 7 fps and 30 kbit/s behind a 150 kbit/s link, for 25 s). The encoding's
 * {@code scaleResolutionDownBy} is the knob it does offer.
 * <p>
 * Levels are 1, 2 and 4 (never below {@link #MIN_HEIGHT} rows). The estimate must stay below a level's threshold for
 * {@link #DOWN_AFTER_MICROS} before scaling down, and above the way-up threshold (well above, against flapping) for
 * {@link #UP_AFTER_MICROS} before scaling back up. Nothing scales down in the first {@link #WARM_UP_MICROS} of a
 * connection's estimates: libwebrtc starts from 300 kbit/s and its first probes take a moment to raise it, and a
 * picture that shrinks and grows again at the start of every call would look broken. Not thread-safe: one instance per connection, fed from its
 * statistics.
 */
public final class VideoAdaptation {
	/** Below this estimate (kbit/s, the whole connection) the video is sent at half size. */
	public static final double HALF_BELOW_KBPS = 350;
	/** Back to full size above this. */
	public static final double FULL_ABOVE_KBPS = 450;
	/** Below this the video is sent at a quarter size. */
	public static final double QUARTER_BELOW_KBPS = 60;
	/** Back to half size above this. */
	public static final double HALF_ABOVE_KBPS = 120;
	/** The smallest height scaled down to. */
	public static final int MIN_HEIGHT = 120;
	static final long DOWN_AFTER_MICROS = 1_000_000;
	static final long UP_AFTER_MICROS = 3_000_000;
	static final long WARM_UP_MICROS = 2_000_000;

	private int scale = 1;
	/** Since when (report time) the estimate asks for a change in the same direction; 0 when it does not. */
	private long downSince;
	private long upSince;
	/** The first report with an estimate (report time); 0 before. */
	private long firstMicros;

	/** The current factor: 1, 2 or 4. */
	public int scale() {
		return scale;
	}

	/**
	 * One statistics report.
	 *
	 * @param estimateKbps the sender's bandwidth estimate (0 when unknown: nothing changes)
	 * @param sentHeight the height of the frames sent now (at the current scale; 0 when unknown)
	 * @param atMicros the report's time
	 * @return the factor to send at from now on
	 */
	public int update(double estimateKbps, int sentHeight, long atMicros) {
		if (estimateKbps <= 0 || sentHeight <= 0) {
			downSince = 0;
			upSince = 0;
			return scale;
		}
		firstMicros = firstMicros == 0 ? atMicros : firstMicros;
		int sourceHeight = sentHeight * scale;
		int wanted = wanted(estimateKbps);
		while (wanted > 1 && sourceHeight / wanted < MIN_HEIGHT) {
			wanted /= 2;
		}
		if (wanted > scale) {
			upSince = 0;
			downSince = downSince == 0 ? atMicros : downSince;
			if (atMicros - downSince >= DOWN_AFTER_MICROS && atMicros - firstMicros >= WARM_UP_MICROS) {
				scale = wanted;
				downSince = 0;
			}
		} else if (wanted < scale) {
			downSince = 0;
			upSince = upSince == 0 ? atMicros : upSince;
			if (atMicros - upSince >= UP_AFTER_MICROS) {
				scale = wanted;
				upSince = 0;
			}
		} else {
			downSince = 0;
			upSince = 0;
		}
		return scale;
	}

	/** The level the estimate asks for, with the hysteresis of the current level. */
	private int wanted(double kbps) {
		return switch (scale) {
		case 1 -> kbps < QUARTER_BELOW_KBPS ? 4 : kbps < HALF_BELOW_KBPS ? 2 : 1;
		case 2 -> kbps < QUARTER_BELOW_KBPS ? 4 : kbps > FULL_ABOVE_KBPS ? 1 : 2;
		default -> kbps > FULL_ABOVE_KBPS ? 1 : kbps > HALF_ABOVE_KBPS ? 2 : 4;
		};
	}
}
