package org.felund.ui.internal;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Font;
import org.eclipse.swt.graphics.FontData;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.Tray;
import org.eclipse.swt.widgets.TrayItem;

/**
 * Felund's icon in the system tray, where the desktop has one: the unread count as a badge and in the tooltip; a
 * click brings the window forward, its menu also quits. Without a tray (SWT finds none) there is no icon and nothing
 * else changes: the window title still counts unread messages. UI thread only.
 */
public final class TrayIcon {
	private static final int SIZE = 22;

	private final TrayItem item;
	private final Image plain;
	private Image badged;
	private int shown = -1;

	private TrayIcon(TrayItem item, Image plain) {
		this.item = item;
		this.plain = plain;
	}

	/**
	 * The icon, or null when the desktop has no system tray.
	 *
	 * @param icon the application's icon (scaled to the tray)
	 * @param show brings the window forward
	 * @param quit quits Felund
	 */
	public static TrayIcon create(org.eclipse.swt.widgets.Shell window, Image icon, Runnable show, Runnable quit) {
		Display display = window.getDisplay();
		Tray tray = display.getSystemTray();
		if (tray == null) {
			return null;
		}
		TrayItem item = new TrayItem(tray, SWT.NONE);
		item.setData(WidgetIds.KEY, "tray.item");
		Image plain = new Image(display, icon.getImageData().scaledTo(SIZE, SIZE));
		TrayIcon t = new TrayIcon(item, plain);
		item.addListener(SWT.Selection, e -> show.run());
		item.addListener(SWT.DefaultSelection, e -> show.run());
		Menu menu = new Menu(window, SWT.POP_UP);
		MenuItems.push(menu, "Show Felund", show);
		MenuItems.push(menu, "Quit", quit);
		item.addListener(SWT.MenuDetect, e -> menu.setVisible(true));
		item.addListener(SWT.Dispose, e -> t.disposeImages());
		t.update(0);
		return t;
	}

	/** Shows how many messages are unread. */
	public void update(int unread) {
		if (item.isDisposed() || unread == shown) {
			return;
		}
		shown = unread;
		item.setToolTipText(tooltip(unread));
		Image old = badged;
		badged = unread == 0 ? null : badge(item.getDisplay(), plain, unread);
		item.setImage(badged == null ? plain : badged);
		if (old != null) {
			old.dispose();
		}
	}

	/** "Felund" or "Felund — 3 unread messages". */
	public static String tooltip(int unread) {
		return unread == 0 ? "Felund" : "Felund \u2014 " + unread + (unread == 1 ? " unread message" : " unread messages");
	}

	public String tooltip() {
		return item.getToolTipText();
	}

	public Image image() {
		return item.getImage();
	}

	/** The count in a red disc over the icon's lower right corner (99+ beyond 99). */
	static Image badge(Display display, Image base, int count) {
		ImageData data = base.getImageData();
		Image out = new Image(display, data); // keeps the icon's transparency
		GC gc = new GC(out);
		Color red = new Color(new RGB(210, 40, 40));
		Font font = null;
		try {
			gc.setAntialias(SWT.ON);
			gc.setTextAntialias(SWT.ON);
			String text = count > 99 ? "99+" : Integer.toString(count);
			FontData fd = display.getSystemFont().getFontData()[0];
			fd.setHeight(Math.max(6, data.height / 3));
			fd.setStyle(SWT.BOLD);
			font = new Font(display, fd);
			gc.setFont(font);
			Point extent = gc.textExtent(text);
			int d = Math.max(extent.y, extent.x + 4);
			int x = data.width - d;
			int y = data.height - extent.y;
			gc.setBackground(red);
			gc.fillOval(x, y, d, extent.y);
			gc.setForeground(display.getSystemColor(SWT.COLOR_WHITE));
			gc.drawText(text, x + (d - extent.x) / 2, y, true);
		} finally {
			gc.dispose();
			if (font != null) {
				font.dispose();
			}
		}
		return out;
	}

	private void disposeImages() {
		plain.dispose();
		if (badged != null) {
			badged.dispose();
		}
	}

	public void dispose() {
		if (!item.isDisposed()) {
			item.dispose();
		}
	}
}
