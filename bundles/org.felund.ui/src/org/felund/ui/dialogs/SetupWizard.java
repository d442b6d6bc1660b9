package org.felund.ui.dialogs;

import java.util.Locale;

import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.wizard.Wizard;
import org.eclipse.jface.wizard.WizardDialog;
import org.eclipse.jface.wizard.WizardPage;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.felund.api.node.NodeIdentity;
import org.felund.api.node.NodeService;
import org.felund.ui.internal.WidgetIds;

/**
 * First run: who you are (display name, listen port, optional relay), then a first circle, created (its invite
 * is shown next) or joined with a {@code felund1.} code.
 */
public final class SetupWizard extends Wizard {
	/** What the user asked for on the last page. */
	public enum FirstCircle {
		CREATE, JOIN, LATER
	}

	/** The outcome after Finish: the settings were applied; the circle is left to the caller. */
	public record Result(FirstCircle firstCircle, String circleName, String inviteCode) {
	}

	private final NodeService node;
	private final IdentityPage identity = new IdentityPage();
	private final CirclePage circle = new CirclePage();
	private Result result;

	public SetupWizard(NodeService node) {
		this.node = node;
		setWindowTitle("Welcome to Felund");
		setNeedsProgressMonitor(false);
	}

	/** Opens the wizard modally; returns the outcome, or null when cancelled. */
	public static Result open(Shell parent, NodeService node) {
		SetupWizard wizard = new SetupWizard(node);
		WizardDialog dialog = new WizardDialog(parent, wizard) {
			@Override
			protected void createButtonsForButtonBar(Composite buttons) {
				super.createButtonsForButtonBar(buttons);
				WidgetIds.tag(getButton(IDialogConstants.NEXT_ID), "setup.next");
				WidgetIds.tag(getButton(IDialogConstants.BACK_ID), "setup.back");
				WidgetIds.tag(getButton(IDialogConstants.FINISH_ID), "setup.finish");
				WidgetIds.tag(getButton(IDialogConstants.CANCEL_ID), "setup.cancel");
			}
		};
		dialog.create();
		WidgetIds.tag(dialog.getShell(), "setup.dialog");
		return dialog.open() == WizardDialog.OK ? wizard.result : null;
	}

	@Override
	public void addPages() {
		addPage(identity);
		addPage(circle);
	}

	@Override
	public boolean canFinish() {
		return identity.isPageComplete() && circle.isPageComplete();
	}

	@Override
	public boolean performFinish() {
		NodeIdentity now = node.identity();
		NodeIdentity wanted = new NodeIdentity(now.nodeId(), identity.name.getText().strip(), now.bindHost(),
				Integer.parseInt(identity.port.getText().strip()), identity.relay.getText().strip(), now.canAnchor());
		try {
			// A local settings write: quick, and its error belongs on this page.
			node.configure(wanted);
		} catch (IllegalArgumentException | UnsupportedOperationException e) {
			getContainer().showPage(identity);
			identity.setErrorMessage(e.getMessage());
			return false;
		}
		FirstCircle choice = circle.create.getSelection() ? FirstCircle.CREATE
				: circle.join.getSelection() ? FirstCircle.JOIN : FirstCircle.LATER;
		result = new Result(choice, circle.circleName.getText().strip(), circle.code.getText().strip());
		return true;
	}

	/** Why the identity input cannot be used, or null. */
	static String identityError(String name, String port, String relay) {
		String n = name.strip();
		if (n.isEmpty()) {
			return "Tell the others your name";
		}
		if (n.codePointCount(0, n.length()) > 40) {
			return "A name has at most 40 characters";
		}
		int p;
		try {
			p = Integer.parseInt(port.strip());
		} catch (NumberFormatException e) {
			return "The port is a number from 1 to 65535";
		}
		if (p < 1 || p > 65535) {
			return "The port is a number from 1 to 65535";
		}
		String r = relay.strip().toLowerCase(Locale.ROOT);
		if (!r.isEmpty() && !r.startsWith("http://") && !r.startsWith("https://")) {
			return "A relay URL starts with http:// or https://";
		}
		return null;
	}

	/** Why the first-circle input cannot be used, or null. */
	static String circleError(boolean joining, String code) {
		if (joining && !code.strip().startsWith("felund1.")) {
			return "Paste the whole invite code: it starts with felund1.";
		}
		return null;
	}

	private final class IdentityPage extends WizardPage {
		Text name;
		Text port;
		Text relay;

		IdentityPage() {
			super("identity");
			setTitle("Who are you?");
			setDescription("Your name is what others see next to your messages. You can change all of this later (F3).");
		}

		@Override
		public void createControl(Composite parent) {
			NodeIdentity id = node.identity();
			Composite form = new Composite(parent, SWT.NONE);
			form.setLayout(new GridLayout(2, false));
			name = field(form, "Display name:", "setup.name", "anon".equals(id.displayName()) ? "" : id.displayName());
			name.setMessage("e.g. Alice");
			port = field(form, "Listen port:", "setup.port", Integer.toString(id.port()));
			hint(form, "Other computers on your network connect to this TCP port (felund's default is 9999).");
			relay = field(form, "Relay URL (optional):", "setup.relay", id.relayUrl());
			relay.setMessage("https://relay.example.org");
			hint(form, "A relay carries encrypted messages for members who cannot reach you directly.");
			setControl(form);
			validate();
		}

		private Text field(Composite form, String label, String id, String value) {
			new Label(form, SWT.NONE).setText(label);
			Text text = WidgetIds.tag(new Text(form, SWT.BORDER), id);
			GridData data = new GridData(SWT.FILL, SWT.CENTER, true, false);
			data.widthHint = 320;
			text.setLayoutData(data);
			text.setText(value);
			text.addListener(SWT.Modify, e -> validate());
			return text;
		}

		private void validate() {
			String error = identityError(name.getText(), port.getText(), relay.getText());
			setErrorMessage(name.getText().isEmpty() ? null : error);
			setPageComplete(error == null);
		}
	}

	private final class CirclePage extends WizardPage {
		Button create;
		Button join;
		Button later;
		Text circleName;
		Text code;

		CirclePage() {
			super("circle");
			setTitle("Your first circle");
			setDescription("A circle is a private group: everyone in it reads its messages, nobody else can.");
		}

		@Override
		public void createControl(Composite parent) {
			Composite form = new Composite(parent, SWT.NONE);
			form.setLayout(new GridLayout(1, false));
			create = WidgetIds.tag(new Button(form, SWT.RADIO), "setup.mode.create");
			create.setText("Create a circle and invite people");
			create.setSelection(true);
			circleName = WidgetIds.tag(new Text(form, SWT.BORDER), "setup.circleName");
			circleName.setMessage("Name of the circle (optional), e.g. Book Club");
			indent(circleName);
			join = WidgetIds.tag(new Button(form, SWT.RADIO), "setup.mode.join");
			join.setText("Join a circle with an invite code someone gave me");
			code = WidgetIds.tag(new Text(form, SWT.BORDER | SWT.MULTI | SWT.WRAP), "setup.code");
			code.setMessage("felund1.\u2026");
			GridData codeData = indent(code);
			codeData.heightHint = 3 * code.getLineHeight();
			later = WidgetIds.tag(new Button(form, SWT.RADIO), "setup.mode.later");
			later.setText("Later");
			for (Button b : new Button[] { create, join, later }) {
				b.addListener(SWT.Selection, e -> validate());
			}
			code.addListener(SWT.Modify, e -> {
				if (!code.getText().isBlank() && !join.getSelection()) {
					join.setSelection(true);
					create.setSelection(false);
					later.setSelection(false);
				}
				validate();
			});
			setControl(form);
			validate();
		}

		@Override
		public void setVisible(boolean visible) {
			super.setVisible(visible);
			if (visible) {
				(create.getSelection() ? circleName : join.getSelection() ? code : later).setFocus();
			}
		}

		private GridData indent(Text text) {
			GridData data = new GridData(SWT.FILL, SWT.CENTER, true, false);
			data.horizontalIndent = 24;
			data.widthHint = 420;
			text.setLayoutData(data);
			return data;
		}

		private void validate() {
			circleName.setEnabled(create.getSelection());
			String error = circleError(join.getSelection(), code.getText());
			setErrorMessage(code.getText().isBlank() ? null : error);
			setPageComplete(error == null);
		}
	}

	private static void hint(Composite form, String text) {
		new Label(form, SWT.NONE);
		Label hint = new Label(form, SWT.WRAP);
		hint.setText(text);
		GridData data = new GridData(SWT.FILL, SWT.TOP, true, false);
		data.widthHint = 320;
		hint.setLayoutData(data);
		hint.setForeground(form.getDisplay().getSystemColor(SWT.COLOR_WIDGET_DARK_SHADOW));
	}
}
