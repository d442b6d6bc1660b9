package org.felund.ui.tests;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.felund.ui.internal.WidgetIds;

import jakarta.annotation.PostConstruct;

/** The part the test calls plugin puts beside the chat. */
public class SampleCallsPart {
	@PostConstruct
	public void create(Composite parent) {
		parent.setLayout(new FillLayout());
		WidgetIds.tag(new Label(parent, SWT.NONE), "sample.calls.part").setText("No call in this circle.");
	}
}
