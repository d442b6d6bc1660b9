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
 * One person's video. Frames are converted on the thread that delivers them, into a buffer reused from frame to frame;
 * the UI thread only copies the newest one into the tile's image and repaints this tile, and frames that arrive while
 * a paint is pending replace each other instead of queueing, so a slow UI thread never stalls the decoders or falls
 * behind.
 */
final class VideoTile implements VideoSink {
	private final Canvas canvas;
	private final String label;
	private final I420ToRgb converter = new I420ToRgb();
	private final AtomicBoolean paintPending = new AtomicBoolean();
	private final Object lock = new Object();
	private int[] latest = new int[0];
	private int latestWidth;
	private int latestHeight;
	private boolean fresh;
	private ImageData data;
	private Image image;
	private long frames;

	VideoTile(Composite parent, String label) {
		this.label = label;
		canvas = new Canvas(parent, SWT.DOUBLE_BUFFERED | SWT.NO_BACKGROUND);
		canvas.addPaintListener(e -> paint(e.gc));
		canvas.addDisposeListener(e -> {
			if (image != null) {
				image.dispose();
			}
		});
	}

	Canvas control() {
		return canvas;
	}

	long frames() {
		synchronized (lock) {
			return frames;
		}
	}

	@Override
	public void frame(VideoFrame frame) {
		synchronized (lock) {
			int[] rgb = converter.convert(frame);
			if (latest.length != rgb.length) {
				latest = new int[rgb.length];
			}
			System.arraycopy(rgb, 0, latest, 0, rgb.length);
			latestWidth = converter.width();
			latestHeight = converter.height();
			fresh = true;
			frames++;
		}
		if (paintPending.compareAndSet(false, true)) {
			Display display = canvas.isDisposed() ? null : canvas.getDisplay();
			if (display == null || display.isDisposed()) {
				return;
			}
			display.asyncExec(() -> {
				paintPending.set(false);
				if (!canvas.isDisposed()) {
					canvas.redraw();
				}
			});
		}
	}

	private void paint(GC gc) {
		Rectangle area = canvas.getClientArea();
		gc.setBackground(canvas.getDisplay().getSystemColor(SWT.COLOR_BLACK));
		gc.fillRectangle(area);
		synchronized (lock) {
			if (fresh) {
				if (data == null || data.width != latestWidth || data.height != latestHeight) {
					data = new ImageData(latestWidth, latestHeight, 24, new PaletteData(0xff0000, 0xff00, 0xff));
					if (image != null) {
						image.dispose();
						image = null;
					}
				}
				for (int row = 0; row < latestHeight; row++) {
					data.setPixels(0, row, latestWidth, latest, row * latestWidth);
				}
				if (image != null) {
					image.dispose();
				}
				image = new Image(canvas.getDisplay(), data);
				fresh = false;
			}
		}
		if (image != null) {
			Rectangle size = image.getBounds();
			double scale = Math.min(area.width / (double) size.width, area.height / (double) size.height);
			int w = (int) (size.width * scale);
			int h = (int) (size.height * scale);
			gc.drawImage(image, 0, 0, size.width, size.height, area.x + (area.width - w) / 2,
					area.y + (area.height - h) / 2, w, h);
		}
		gc.setForeground(canvas.getDisplay().getSystemColor(SWT.COLOR_WHITE));
		gc.drawText(label, area.x + 4, area.y + 4, true);
	}
}
