package org.felund.api.call;

import java.nio.ByteBuffer;

/**
 * A decoded video frame in I420 (a full-resolution Y plane, quarter-resolution U and V planes). The buffers are
 * read-only views of native memory that are valid only during {@link VideoSink#frame}: copy or convert what you need
 * before returning.
 *
 * @param rotation clockwise degrees to turn the picture to show it upright (0, 90, 180, 270)
 * @param timestampNanos when the frame was captured or received, on the receiving machine's monotonic clock
 */
public record VideoFrame(int width, int height, ByteBuffer dataY, int strideY, ByteBuffer dataU, int strideU,
		ByteBuffer dataV, int strideV, int rotation, long timestampNanos) {
}
