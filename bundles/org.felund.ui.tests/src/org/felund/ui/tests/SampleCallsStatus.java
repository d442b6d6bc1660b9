package org.felund.ui.tests;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.felund.ui.internal.WidgetIds;

import jakarta.annotation.PostConstruct;

/** The status segment (a tool control in the bottom trim) of the test calls plugin. */
public class SampleCallsStatus {
	@PostConstruct
	public void create(Composite parent) {
		Composite box = new Composite(parent, SWT.NONE);
		box.setLayout(new FillLayout());
		WidgetIds.tag(new Label(box, SWT.NONE), "sample.calls.status").setText("no call");
	}
}
