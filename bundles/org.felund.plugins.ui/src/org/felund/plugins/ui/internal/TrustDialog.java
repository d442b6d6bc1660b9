package org.felund.plugins.ui.internal;

import org.eclipse.jface.dialogs.Dialog;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.felund.plugins.PluginPrompts.TrustRequest;

/** p2's trust question: content that is unsigned, or signed by someone not trusted yet. */
final class TrustDialog extends Dialog {
	private final TrustRequest request;

	TrustDialog(Shell parent, TrustRequest request) {
		super(parent);
		this.request = request;
		setShellStyle(getShellStyle() | SWT.RESIZE);
	}

	@Override
	protected void configureShell(Shell shell) {
		super.configureShell(shell);
		shell.setText("Trust this content?");
		Ids.tag(shell, "plugins.trust");
	}

	@Override
	protected Control createDialogArea(Composite parent) {
		Composite area = (Composite) super.createDialogArea(parent);
		area.setLayout(new GridLayout(1, false));
		Label intro = new Label(area, SWT.WRAP);
		intro.setText(intro(request));
		GridData introData = new GridData(SWT.FILL, SWT.TOP, true, false);
		introData.widthHint = 560;
		intro.setLayoutData(introData);
		StringBuilder details = new StringBuilder();
		if (!request.unsignedArtifacts().isEmpty()) {
			details.append("Unsigned:\n");
			request.unsignedArtifacts().forEach(a -> details.append("  ").append(a).append('\n'));
		}
		if (!request.untrustedSigners().isEmpty()) {
			details.append("Signed by:\n");
			request.untrustedSigners().forEach(s -> details.append("  ").append(s).append('\n'));
		}
		Text list = Ids.tag(new Text(area, SWT.BORDER | SWT.MULTI | SWT.READ_ONLY | SWT.V_SCROLL | SWT.H_SCROLL),
				"plugins.trust.details");
		list.setText(details.toString().strip());
		GridData listData = new GridData(SWT.FILL, SWT.FILL, true, true);
		listData.heightHint = 140;
		list.setLayoutData(listData);
		return area;
	}

	private static String intro(TrustRequest request) {
		if (!request.untrustedSigners().isEmpty() && request.unsignedArtifacts().isEmpty()) {
			return "This content is signed by someone Felund does not trust yet. Install it only if you trust the"
					+ " site it comes from.";
		}
		return "This content carries no signature, so Felund cannot verify who made it (Felund's own plugins are"
				+ " unsigned). Install it only if you trust the site it comes from.";
	}

	@Override
	protected void createButtonsForButtonBar(Composite parent) {
		Ids.tag(createButton(parent, IDialogConstants.OK_ID, "&Trust and install", false), "plugins.trust.yes");
		Ids.tag(createButton(parent, IDialogConstants.CANCEL_ID, "&Don't install", true), "plugins.trust.no");
	}
}
