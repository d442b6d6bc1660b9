package org.felund.plugins.ui.internal;

import org.eclipse.jface.dialogs.Dialog;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.felund.plugins.PluginChange;
import org.felund.plugins.PluginLicense;
import org.felund.plugins.PluginPlan;

/**
 * What a planned change does, before it is applied: the plugins and bundles it adds, updates and removes, and the
 * licenses to accept (the OK button waits for the acceptance).
 */
final class ReviewDialog extends Dialog {
	private final PluginPlan plan;
	private final String action;
	private Button accept;

	ReviewDialog(Shell parent, PluginPlan plan, String action) {
		super(parent);
		this.plan = plan;
		this.action = action;
		setShellStyle(getShellStyle() | SWT.RESIZE);
	}

	@Override
	protected void configureShell(Shell shell) {
		super.configureShell(shell);
		shell.setText(action + " plugin");
		Ids.tag(shell, "plugins.review");
	}

	@Override
	protected Control createDialogArea(Composite parent) {
		Composite area = (Composite) super.createDialogArea(parent);
		area.setLayout(new GridLayout(1, false));
		Label summary = Ids.tag(new Label(area, SWT.WRAP), "plugins.review.summary");
		summary.setText(plan.summary() + ".");
		GridData summaryData = new GridData(SWT.FILL, SWT.TOP, true, false);
		summaryData.widthHint = 600;
		summary.setLayoutData(summaryData);

		Table changes = Ids.tag(new Table(area, SWT.BORDER | SWT.FULL_SELECTION | SWT.V_SCROLL), "plugins.review.changes");
		changes.setHeaderVisible(true);
		GridData changesData = new GridData(SWT.FILL, SWT.FILL, true, true);
		changesData.heightHint = 150;
		changes.setLayoutData(changesData);
		column(changes, "Change", 90);
		column(changes, "What", 330);
		column(changes, "Version", 180);
		for (PluginChange c : plan.changes()) {
			TableItem item = new TableItem(changes, SWT.NONE);
			String kind = switch (c.kind()) {
			case ADD -> "add";
			case UPDATE -> "update";
			case REMOVE -> "remove";
			};
			String version = switch (c.kind()) {
			case ADD -> c.toVersion();
			case UPDATE -> c.fromVersion() + " \u2192 " + c.toVersion();
			case REMOVE -> c.fromVersion();
			};
			item.setText(new String[] { kind, c.name(), version });
		}

		if (!plan.licenses().isEmpty()) {
			Label heading = new Label(area, SWT.WRAP);
			heading.setText("Read the license" + (plan.licenses().size() == 1 ? "" : "s") + ":");
			Text licenses = Ids.tag(new Text(area, SWT.BORDER | SWT.MULTI | SWT.READ_ONLY | SWT.WRAP | SWT.V_SCROLL),
					"plugins.review.licenses");
			StringBuilder text = new StringBuilder();
			for (PluginLicense l : plan.licenses()) {
				text.append(l.pluginName()).append(":\n").append(l.text());
				if (!l.url().isEmpty()) {
					text.append("\n(").append(l.url()).append(')');
				}
				text.append("\n\n");
			}
			licenses.setText(text.toString().strip());
			GridData licensesData = new GridData(SWT.FILL, SWT.FILL, true, true);
			licensesData.heightHint = 110;
			licenses.setLayoutData(licensesData);
			accept = Ids.tag(new Button(area, SWT.CHECK), "plugins.review.accept");
			accept.setText("I &accept the terms of the license" + (plan.licenses().size() == 1 ? "" : "s"));
			accept.addListener(SWT.Selection, e -> getButton(IDialogConstants.OK_ID).setEnabled(accept.getSelection()));
		}
		return area;
	}

	private static void column(Table table, String title, int width) {
		TableColumn c = new TableColumn(table, SWT.LEFT);
		c.setText(title);
		c.setWidth(width);
	}

	@Override
	protected void createButtonsForButtonBar(Composite parent) {
		Button ok = Ids.tag(createButton(parent, IDialogConstants.OK_ID, "&" + action, true), "plugins.review.ok");
		Ids.tag(createButton(parent, IDialogConstants.CANCEL_ID, IDialogConstants.CANCEL_LABEL, false),
				"plugins.review.cancel");
		ok.setEnabled(accept == null);
	}
}
