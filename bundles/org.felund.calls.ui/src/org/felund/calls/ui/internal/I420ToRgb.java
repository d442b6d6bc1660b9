package org.felund.calls.ui.internal;

import java.nio.ByteBuffer;

import org.felund.api.call.VideoFrame;

/**
 * Converts decoded I420 frames to packed 0xRRGGBB pixels (BT.601, limited range) into one buffer that is reused while
 * the size stays the same, so that a tile allocates nothing per frame. Used by one thread at a time.
 */
final class I420ToRgb {
	private int[] pixels = new int[0];
	private int width;
	private int height;

	/** Converts a frame; the returned array is this converter's own and is overwritten by the next call. */
	int[] convert(VideoFrame frame) {
		int w = frame.width();
		int h = frame.height();
		if (w <= 0 || h <= 0) {
			throw new IllegalArgumentException("A frame of " + w + "x" + h);
		}
		if (pixels.length != w * h) {
			pixels = new int[w * h];
		}
		width = w;
		height = h;
		ByteBuffer y = frame.dataY();
		ByteBuffer u = frame.dataU();
		ByteBuffer v = frame.dataV();
		int sy = frame.strideY();
		int su = frame.strideU();
		int sv = frame.strideV();
		for (int row = 0; row < h; row++) {
			int yRow = row * sy;
			int uRow = (row >> 1) * su;
			int vRow = (row >> 1) * sv;
			int out = row * w;
			for (int col = 0; col < w; col++) {
				int c = (y.get(yRow + col) & 0xff) - 16;
				int d = (u.get(uRow + (col >> 1)) & 0xff) - 128;
				int e = (v.get(vRow + (col >> 1)) & 0xff) - 128;
				int c298 = 298 * c + 128;
				int r = clamp((c298 + 409 * e) >> 8);
				int g = clamp((c298 - 100 * d - 208 * e) >> 8);
				int b = clamp((c298 + 516 * d) >> 8);
				pixels[out + col] = r << 16 | g << 8 | b;
			}
		}
		return pixels;
	}

	int width() {
		return width;
	}

	int height() {
		return height;
	}

	private static int clamp(int x) {
		return x < 0 ? 0 : x > 255 ? 255 : x;
	}
}
