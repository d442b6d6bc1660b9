package org.felund.calls.internal;

import java.nio.ByteBuffer;

import dev.onvoid.webrtc.media.video.CustomVideoSource;
import dev.onvoid.webrtc.media.video.NativeI420Buffer;
import dev.onvoid.webrtc.media.video.VideoFrame;

/**
 * Test video ({@code pattern:<w>x<h>@<fps>}): a grey ramp with colour bands, a white bar that sweeps across, and along
 * the top edge the capture time (epoch milliseconds, low 32 bits) as 32 black or white blocks, so that a receiver can
 * tell the frames move and how old each one is ({@link VideoProbe}).
 */
final class TestPattern implements AutoCloseable {
	static final int CODE_BITS = 32;
	/** Size of one bit's block; with {@link #CODE_BITS} it needs a frame at least 512 pixels wide. */
	static final int BLOCK = 16;
	static final int MIN_WIDTH = 160;
	static final int MIN_HEIGHT = 120;

	private final int width;
	private final int height;
	private final int fps;
	private final CustomVideoSource source;
	private final Thread thread;
	private volatile boolean closed;
	private volatile long frames;

	TestPattern(int width, int height, int fps, CustomVideoSource source) {
		if (width < MIN_WIDTH || height < MIN_HEIGHT || width > 3840 || height > 2160 || width % 2 != 0
				|| height % 2 != 0) {
			throw new IllegalArgumentException("A test pattern must be an even size from " + MIN_WIDTH + "x"
					+ MIN_HEIGHT + " to 3840x2160, got " + width + "x" + height);
		}
		if (fps < 1 || fps > 60) {
			throw new IllegalArgumentException("A test pattern runs at 1 to 60 frames a second, got " + fps);
		}
		this.width = width;
		this.height = height;
		this.fps = fps;
		this.source = source;
		this.thread = new Thread(this::run, "felund-pattern " + width + "x" + height);
		thread.setDaemon(true);
		thread.start();
	}

	String label() {
		return "test pattern " + width + "x" + height + " at " + fps + " fps";
	}

	long frames() {
		return frames;
	}

	private void run() {
		long interval = 1_000_000_000L / fps;
		long next = System.nanoTime();
		long n = 0;
		while (!closed) {
			long now = System.nanoTime();
			if (now < next) {
				java.util.concurrent.locks.LockSupport.parkNanos(next - now);
				continue;
			}
			next = Math.max(next + interval, now - interval);
			NativeI420Buffer buffer = NativeI420Buffer.allocate(width, height);
			try {
				draw(buffer, n++, System.currentTimeMillis());
				VideoFrame frame = new VideoFrame(buffer, System.nanoTime());
				source.pushFrame(frame);
				frame.release();
				frames++;
			} catch (RuntimeException e) {
				buffer.release();
				if (!closed) {
					System.getLogger(TestPattern.class.getName()).log(System.Logger.Level.WARNING,
							"test pattern stopped: " + e);
				}
				return;
			}
		}
	}

	/** Draws frame {@code n}, stamped with {@code millis}. */
	void draw(NativeI420Buffer buffer, long n, long millis) {
		ByteBuffer y = buffer.getDataY();
		ByteBuffer u = buffer.getDataU();
		ByteBuffer v = buffer.getDataV();
		int sy = buffer.getStrideY();
		int su = buffer.getStrideU();
		int sv = buffer.getStrideV();
		int bar = (int) ((n * 8) % width);
		byte[] row = new byte[width];
		for (int r = 0; r < height; r++) {
			int base = 40 + (r * 160) / height;
			for (int c = 0; c < width; c++) {
				int d = c - bar;
				row[c] = (byte) (d >= 0 && d < 24 ? 235 : base);
			}
			if (r < BLOCK && width >= CODE_BITS * BLOCK) {
				for (int bit = 0; bit < CODE_BITS; bit++) {
					byte value = (byte) (((millis >>> (CODE_BITS - 1 - bit)) & 1) != 0 ? 235 : 16);
					java.util.Arrays.fill(row, bit * BLOCK, bit * BLOCK + BLOCK, value);
				}
			}
			y.put(r * sy, row, 0, width);
		}
		int cw = width / 2;
		byte[] urow = new byte[cw];
		byte[] vrow = new byte[cw];
		for (int r = 0; r < height / 2; r++) {
			for (int c = 0; c < cw; c++) {
				int band = (c * 6) / cw;
				boolean code = r < BLOCK / 2 && width >= CODE_BITS * BLOCK && c < CODE_BITS * BLOCK / 2;
				urow[c] = (byte) (code ? 128 : 128 + ((band % 3) - 1) * 48);
				vrow[c] = (byte) (code ? 128 : 128 + ((band / 3) * 2 - 1) * 40);
			}
			u.put(r * su, urow, 0, cw);
			v.put(r * sv, vrow, 0, cw);
		}
	}

	/**
	 * The capture time a frame of this pattern carries (low 32 bits of epoch milliseconds), or -1 when the frame is
	 * too narrow to carry it.
	 */
	static long readStamp(ByteBuffer y, int stride, int width, int height) {
		if (width < CODE_BITS * BLOCK || height < BLOCK) {
			return -1;
		}
		long value = 0;
		for (int bit = 0; bit < CODE_BITS; bit++) {
			int luma = y.get((BLOCK / 2) * stride + bit * BLOCK + BLOCK / 2) & 0xff;
			value = (value << 1) | (luma > 128 ? 1 : 0);
		}
		return value;
	}

	@Override
	public void close() {
		closed = true;
		try {
			thread.join(1000);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}
}
