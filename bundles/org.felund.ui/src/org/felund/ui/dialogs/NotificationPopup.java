package org.felund.ui.dialogs;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Listener;
import org.eclipse.swt.widgets.Shell;
import org.felund.ui.internal.WidgetIds;

/**
 * A small non-modal popup in the corner of the screen for a message that arrived while Felund was in the
 * background. It takes no focus, closes itself after a few seconds, and a click on it brings the window back.
 */
public final class NotificationPopup {
	static final int VISIBLE_MS = 6000;

	private NotificationPopup() {
	}

	/** Shows (or replaces) the popup; {@code clicked} runs when the user clicks it. */
	public static Shell show(Display display, String title, String body, Runnable clicked) {
		for (Shell s : display.getShells()) {
			if ("notification.popup".equals(s.getData(WidgetIds.KEY))) {
				s.dispose();
			}
		}
		Shell popup = WidgetIds.tag(new Shell(display, SWT.ON_TOP | SWT.NO_TRIM | SWT.TOOL | SWT.NO_FOCUS),
				"notification.popup");
		popup.setLayout(new GridLayout(1, false));
		popup.setBackground(display.getSystemColor(SWT.COLOR_INFO_BACKGROUND));
		Label heading = WidgetIds.tag(new Label(popup, SWT.NONE), "notification.title");
		heading.setText(title);
		heading.setFont(org.eclipse.jface.resource.JFaceResources.getBannerFont());
		Label text = WidgetIds.tag(new Label(popup, SWT.WRAP), "notification.text");
		text.setText(body);
		GridData textData = new GridData(SWT.FILL, SWT.TOP, true, false);
		textData.widthHint = 300;
		text.setLayoutData(textData);
		for (Label l : new Label[] { heading, text }) {
			l.setBackground(popup.getBackground());
			l.setForeground(display.getSystemColor(SWT.COLOR_INFO_FOREGROUND));
		}
		Listener click = e -> {
			popup.dispose();
			clicked.run();
		};
		popup.addListener(SWT.MouseUp, click);
		heading.addListener(SWT.MouseUp, click);
		text.addListener(SWT.MouseUp, click);
		Point size = popup.computeSize(SWT.DEFAULT, SWT.DEFAULT);
		Rectangle screen = display.getPrimaryMonitor().getClientArea();
		popup.setBounds(screen.x + screen.width - size.x - 16, screen.y + screen.height - size.y - 16, size.x, size.y);
		popup.setVisible(true);
		display.timerExec(VISIBLE_MS, () -> {
			if (!popup.isDisposed()) {
				popup.dispose();
			}
		});
		return popup;
	}
}
