package org.felund.calls.ui.internal;

import java.nio.ByteBuffer;

import org.felund.api.call.VideoFrame;

/**
 * Converts decoded I420 frames (BT.601, limited range), scaled to the tile, straight into the pixels of the tile's
 * image buffer; the column map is reused while the sizes stay the same, so that a tile allocates nothing per frame.
 * Used by one thread at a time.
 */
final class I420ToRgb {
	private int[] columns = new int[0];
	private int columnsFor;

	/**
	 * Converts a frame scaled to {@code dw} x {@code dh} (each output pixel from its nearest source pixel) straight into
	 * the pixels of a 32-bit image: bytes blue, green, red, unused, as a 32-bit ImageData with masks 0xFF00 (red),
	 * 0xFF0000 (green), 0xFF000000 (blue) holds them, {@code bytesPerLine} apart. Only the pixels shown are converted.
	 */
	void scaleInto(VideoFrame frame, byte[] out, int dw, int dh, int bytesPerLine) {
		int w = frame.width();
		int h = frame.height();
		if (w <= 0 || h <= 0 || dw <= 0 || dh <= 0) {
			throw new IllegalArgumentException("A frame of " + w + "x" + h + " shown at " + dw + "x" + dh);
		}
		if (out.length < bytesPerLine * (dh - 1) + dw * 4) {
			throw new IllegalArgumentException("No room for " + dw + "x" + dh + " in " + out.length + " bytes");
		}
		if (columns.length != dw || columnsFor != w) {
			columns = new int[dw];
			for (int x = 0; x < dw; x++) {
				columns[x] = Math.min(w - 1, (int) ((x + 0.5) * w / dw));
			}
			columnsFor = w;
		}
		ByteBuffer y = frame.dataY();
		ByteBuffer u = frame.dataU();
		ByteBuffer v = frame.dataV();
		int sy = frame.strideY();
		int su = frame.strideU();
		int sv = frame.strideV();
		for (int row = 0; row < dh; row++) {
			int src = Math.min(h - 1, (int) ((row + 0.5) * h / dh));
			int yRow = src * sy;
			int uRow = (src >> 1) * su;
			int vRow = (src >> 1) * sv;
			int o = row * bytesPerLine;
			for (int x = 0; x < dw; x++) {
				int col = columns[x];
				int c = (y.get(yRow + col) & 0xff) - 16;
				int d = (u.get(uRow + (col >> 1)) & 0xff) - 128;
				int e = (v.get(vRow + (col >> 1)) & 0xff) - 128;
				int c298 = 298 * c + 128;
				out[o] = (byte) clamp((c298 + 516 * d) >> 8);
				out[o + 1] = (byte) clamp((c298 - 100 * d - 208 * e) >> 8);
				out[o + 2] = (byte) clamp((c298 + 409 * e) >> 8);
				out[o + 3] = (byte) 0xff;
				o += 4;
			}
		}
	}

	private static int clamp(int x) {
		return x < 0 ? 0 : x > 255 ? 255 : x;
	}
}
