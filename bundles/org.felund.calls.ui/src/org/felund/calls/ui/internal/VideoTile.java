package org.felund.calls.ui.internal;

import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.PaletteData;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.felund.api.call.VideoFrame;
import org.felund.api.call.VideoSink;

/**
 * One person's video. Each frame is converted on the thread that delivers it, already scaled to the size the tile
 * shows, straight into the pixel layout of an image; three buffers are reused from frame to frame (the one being
 * filled, the newest finished one, the one on screen) and only swapped under the lock, so neither side waits for the
 * other's work. The UI thread only turns the newest buffer into an image and repaints the picture's rectangle; frames
 * that arrive while a paint is pending replace each other instead of queueing, so a slow UI thread never stalls the
 * decoders or falls behind.
 */
final class VideoTile implements VideoSink {
	/** Blue, green, red, unused: the byte order of the image surfaces of GTK (cairo ARGB32, little-endian). */
	private static final PaletteData PIXELS = new PaletteData(0xff00, 0xff0000, 0xff000000);

	private final Canvas canvas;
	private final String label;
	private final I420ToRgb converter = new I420ToRgb();
	private final AtomicBoolean paintPending = new AtomicBoolean();
	private final Object lock = new Object();
	private final Object producing = new Object();
	/** The size the picture may take (the canvas's client area), for the delivering thread. */
	private volatile int areaWidth;
	private volatile int areaHeight;
	private ImageData filling;
	private ImageData ready;
	private ImageData shown;
	private boolean fresh;
	private long readyHandedAt;
	private long frames;
	private long painted;
	private long superseded;
	private Image image;
	private volatile Rectangle picture = new Rectangle(0, 0, 0, 0);
	private volatile PaintProbe probe;

	/** Told when a paint has put a frame on screen: when that frame was handed to the tile, and when it was shown. */
	interface PaintProbe {
		void painted(long handedAtNanos, long paintedAtNanos);
	}

	VideoTile(Composite parent, String label) {
		this.label = label;
		canvas = new Canvas(parent, SWT.DOUBLE_BUFFERED | SWT.NO_BACKGROUND);
		canvas.addPaintListener(e -> paint(e.gc));
		canvas.addListener(SWT.Resize, e -> {
			Rectangle area = canvas.getClientArea();
			areaWidth = area.width;
			areaHeight = area.height;
			canvas.redraw();
		});
		canvas.addDisposeListener(e -> {
			if (image != null) {
				image.dispose();
			}
		});
	}

	Canvas control() {
		return canvas;
	}

	void probe(PaintProbe p) {
		probe = p;
	}

	/** Frames this tile has put on screen (fewer than {@link #frames()} when newer ones replaced them first). */
	long painted() {
		synchronized (lock) {
			return painted;
		}
	}

	/** Frames dropped unconverted because the picture before them was still waiting for a paint. */
	long superseded() {
		synchronized (lock) {
			return superseded;
		}
	}

	long frames() {
		synchronized (lock) {
			return frames;
		}
	}

	@Override
	public void frame(VideoFrame frame) {
		long handedAt = System.nanoTime();
		int fw = frame.width();
		int fh = frame.height();
		if (fw <= 0 || fh <= 0) {
			throw new IllegalArgumentException("A frame of " + fw + "x" + fh);
		}
		int aw = areaWidth;
		int ah = areaHeight;
		double scale = aw <= 0 || ah <= 0 ? 1 : Math.min(aw / (double) fw, ah / (double) fh);
		int dw = Math.max(1, (int) (fw * scale));
		int dh = Math.max(1, (int) (fh * scale));
		synchronized (lock) {
			frames++;
			if (fresh) {
				// The UI thread has not shown the last picture yet: it will, and converting this one would only take
				// the processor from it.
				superseded++;
				return;
			}
		}
		synchronized (producing) {
			ImageData target = filling;
			if (target == null || target.width != dw || target.height != dh) {
				target = new ImageData(dw, dh, 32, PIXELS);
			}
			converter.scaleInto(frame, target.data, dw, dh, target.bytesPerLine);
			synchronized (lock) {
				filling = ready;
				ready = target;
				readyHandedAt = handedAt;
				fresh = true;
			}
		}
		if (paintPending.compareAndSet(false, true)) {
			Display display = canvas.isDisposed() ? null : canvas.getDisplay();
			if (display == null || display.isDisposed()) {
				return;
			}
			display.asyncExec(() -> {
				paintPending.set(false);
				if (!canvas.isDisposed()) {
					Rectangle at = place(dw, dh, canvas.getClientArea());
					Rectangle before = picture;
					// Only the picture's rectangle changes, unless the picture moved or changed size.
					if (at.equals(before)) {
						canvas.redraw(at.x, at.y, at.width, at.height, false);
					} else {
						canvas.redraw();
					}
				}
			});
		}
	}

	private static Rectangle place(int w, int h, Rectangle area) {
		double scale = Math.min(1, Math.min(area.width / (double) w, area.height / (double) h));
		int sw = (int) (w * scale);
		int sh = (int) (h * scale);
		return new Rectangle(area.x + (area.width - sw) / 2, area.y + (area.height - sh) / 2, sw, sh);
	}

	private void paint(GC gc) {
		Rectangle area = canvas.getClientArea();
		long shownHandedAt = 0;
		synchronized (lock) {
			if (fresh) {
				ImageData previous = shown;
				shown = ready;
				ready = previous;
				shownHandedAt = readyHandedAt;
				fresh = false;
				painted++;
			}
		}
		if (shownHandedAt != 0) {
			if (image != null) {
				image.dispose();
			}
			image = new Image(canvas.getDisplay(), shown);
		}
		gc.setBackground(canvas.getDisplay().getSystemColor(SWT.COLOR_BLACK));
		if (image == null) {
			gc.fillRectangle(area);
		} else {
			Rectangle size = image.getBounds();
			Rectangle at = place(size.width, size.height, area);
			picture = at;
			// The bars around the picture; the picture itself covers the rest.
			gc.fillRectangle(area.x, area.y, area.width, at.y - area.y);
			gc.fillRectangle(area.x, at.y + at.height, area.width, area.y + area.height - at.y - at.height);
			gc.fillRectangle(area.x, at.y, at.x - area.x, at.height);
			gc.fillRectangle(at.x + at.width, at.y, area.x + area.width - at.x - at.width, at.height);
			if (at.width == size.width && at.height == size.height) {
				gc.drawImage(image, at.x, at.y);
			} else {
				gc.drawImage(image, 0, 0, size.width, size.height, at.x, at.y, at.width, at.height);
			}
		}
		gc.setForeground(canvas.getDisplay().getSystemColor(SWT.COLOR_WHITE));
		gc.drawText(label, area.x + 4, area.y + 4, true);
		PaintProbe p = probe;
		if (p != null && shownHandedAt != 0) {
			p.painted(shownHandedAt, System.nanoTime());
		}
	}
}
