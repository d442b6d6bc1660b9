package org.felund.plugins.ui.internal;

import org.eclipse.swt.widgets.Widget;

/**
 * Stable ids on widgets, under the same data key as the workbench's own ({@value #KEY}), so that tests and
 * accessibility tools find them without relying on layout or labels.
 */
final class Ids {
	static final String KEY = "org.felund.id";

	private Ids() {
	}

	static <W extends Widget> W tag(W widget, String id) {
		widget.setData(KEY, id);
		return widget;
	}
}
