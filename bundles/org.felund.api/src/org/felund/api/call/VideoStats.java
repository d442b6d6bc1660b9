package org.felund.api.call;

/**
 * One direction of a peer's video.
 *
 * @param bytes payload bytes so far
 * @param frames frames decoded (received) or encoded (sent) so far
 * @param width width of the last frame
 * @param height height of the last frame
 * @param fps frames per second over the last second
 * @param kbps bit rate over the last second
 * @param limitation sent video only: why the encoder sends less than the source gives ({@code bandwidth},
 *            {@code cpu}, {@code other}) or {@code none}; {@code ""} when unknown
 */
public record VideoStats(long bytes, long frames, int width, int height, double fps, double kbps, String limitation) {
	public static final VideoStats NONE = new VideoStats(0, 0, 0, 0, 0, 0, "");

	public VideoStats {
		limitation = limitation == null ? "" : limitation;
	}
}
