package org.felund.ui.internal;

import org.eclipse.swt.widgets.Widget;

/**
 * Stable ids on widgets (widget data key {@value #KEY}) so that tests and accessibility tools can find
 * them without relying on layout or labels.
 */
public final class WidgetIds {
	public static final String KEY = "org.felund.id";

	private WidgetIds() {
	}

	public static <W extends Widget> W tag(W widget, String id) {
		widget.setData(KEY, id);
		return widget;
	}
}
