package org.felund.calls.ui.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;

import org.felund.api.call.VideoFrame;
import org.junit.jupiter.api.Test;

/** The tiles' colour conversion: BT.601 limited range, strides wider than the picture, scaled into an image's lines. */
class I420ToRgbTest {
	/** A 4x2 frame: left half (Y, U, V) a, right half b; every plane padded with 0xEE past the picture. */
	private static VideoFrame frame(int[] a, int[] b) {
		int strideY = 6;
		int strideC = 4;
		ByteBuffer y = ByteBuffer.allocateDirect(strideY * 2);
		ByteBuffer u = ByteBuffer.allocateDirect(strideC);
		ByteBuffer v = ByteBuffer.allocateDirect(strideC);
		for (int i = 0; i < strideY * 2; i++) {
			int col = i % strideY;
			y.put(i, (byte) (col < 2 ? a[0] : col < 4 ? b[0] : 0xEE));
		}
		for (int i = 0; i < strideC; i++) {
			u.put(i, (byte) (i == 0 ? a[1] : i == 1 ? b[1] : 0xEE));
			v.put(i, (byte) (i == 0 ? a[2] : i == 1 ? b[2] : 0xEE));
		}
		return new VideoFrame(4, 2, y, strideY, u, strideC, v, strideC, 0, 0);
	}

	/** The frame at its own size, as 0xRRGGBB per pixel (the image buffer holds blue, green, red, unused). */
	private static int[] rgb(I420ToRgb converter, VideoFrame frame) {
		int w = frame.width();
		int h = frame.height();
		byte[] image = new byte[w * h * 4];
		converter.scaleInto(frame, image, w, h, w * 4);
		int[] out = new int[w * h];
		for (int i = 0; i < out.length; i++) {
			out[i] = (image[4 * i + 2] & 0xff) << 16 | (image[4 * i + 1] & 0xff) << 8 | (image[4 * i] & 0xff);
		}
		return out;
	}

	@Test
	void whiteBlackAndPrimariesComeOutAsRgbWhateverThePadding() {
		I420ToRgb converter = new I420ToRgb();
		int[] white = { 235, 128, 128 };
		int[] black = { 16, 128, 128 };
		int w = 0xffffff;
		int k = 0x000000;
		assertArrayEquals(new int[] { w, w, k, k, w, w, k, k }, rgb(converter, frame(white, black)));
		// BT.601 studio-swing red (81, 90, 240) and blue (41, 240, 110), within rounding.
		int[] out = rgb(converter, frame(new int[] { 81, 90, 240 }, new int[] { 41, 240, 110 }));
		int[] expected = { 0xff0000, 0xff0000, 0x0000ff, 0x0000ff, 0xff0000, 0xff0000, 0x0000ff, 0x0000ff };
		for (int i = 0; i < expected.length; i++) {
			for (int shift = 0; shift <= 16; shift += 8) {
				int got = out[i] >> shift & 0xff;
				int want = expected[i] >> shift & 0xff;
				if (Math.abs(got - want) > 3) {
					throw new AssertionError("pixel " + i + " channel " + shift + ": " + got + " vs " + want);
				}
			}
		}
	}

	@Test
	void scaledIntoAnImageTheColoursAreTheSameInBlueGreenRedOrderAndEachRowStartsAtItsLine() {
		I420ToRgb converter = new I420ToRgb();
		VideoFrame redBlue = frame(new int[] { 81, 90, 240 }, new int[] { 41, 240, 110 });
		int[] rgb = rgb(converter, redBlue);
		int line = 4 * 4 + 3; // padding past each row, as an image's scan lines may have
		byte[] full = new byte[line * 2];
		java.util.Arrays.fill(full, (byte) 0x55);
		converter.scaleInto(redBlue, full, 4, 2, line);
		for (int i = 0; i < 8; i++) {
			int o = (i / 4) * line + (i % 4) * 4;
			int got = (full[o + 2] & 0xff) << 16 | (full[o + 1] & 0xff) << 8 | (full[o] & 0xff);
			org.junit.jupiter.api.Assertions.assertEquals(rgb[i], got, "pixel " + i);
		}
		org.junit.jupiter.api.Assertions.assertEquals(0x55, full[16], "the padding is left alone");
		// Half the size: one pixel from each half of the picture.
		byte[] half = new byte[2 * 4];
		converter.scaleInto(redBlue, half, 2, 1, 8);
		org.junit.jupiter.api.Assertions.assertEquals(rgb[0], (half[2] & 0xff) << 16 | (half[1] & 0xff) << 8
				| (half[0] & 0xff));
		org.junit.jupiter.api.Assertions.assertEquals(rgb[3], (half[6] & 0xff) << 16 | (half[5] & 0xff) << 8
				| (half[4] & 0xff));
		assertThrows(IllegalArgumentException.class, () -> converter.scaleInto(redBlue, new byte[8], 4, 2, 16));
	}

	@Test
	void emptyFramesAndSizesAreRefused() {
		I420ToRgb converter = new I420ToRgb();
		ByteBuffer none = ByteBuffer.allocate(0);
		assertThrows(IllegalArgumentException.class, () -> converter.scaleInto(
				new VideoFrame(0, 0, none, 0, none, 0, none, 0, 0, 0), new byte[16], 2, 2, 8));
		VideoFrame black = frame(new int[] { 16, 128, 128 }, new int[] { 16, 128, 128 });
		assertThrows(IllegalArgumentException.class, () -> converter.scaleInto(black, new byte[16], 0, 2, 8));
	}
}
