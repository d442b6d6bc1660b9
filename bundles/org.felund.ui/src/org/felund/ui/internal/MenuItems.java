package org.felund.ui.internal;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;

/** The context menus' plain items: a label and what choosing it does. */
public final class MenuItems {
	private MenuItems() {
	}

	public static MenuItem push(Menu menu, String text, Runnable action) {
		MenuItem item = new MenuItem(menu, SWT.PUSH);
		item.setText(text);
		item.addListener(SWT.Selection, e -> action.run());
		return item;
	}
}
