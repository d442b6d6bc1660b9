package org.felund.ui.dialogs;

import org.eclipse.jface.dialogs.Dialog;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.swt.SWT;
import org.eclipse.swt.dnd.Clipboard;
import org.eclipse.swt.dnd.TextTransfer;
import org.eclipse.swt.dnd.Transfer;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.felund.api.model.Circle;
import org.felund.api.node.NodeService;
import org.felund.ui.internal.WidgetIds;

/**
 * The invite code of a circle, ready to copy. When the node has a relay, the code can name the relay instead of
 * this computer's address (for people outside the local network).
 */
public final class InviteDialog extends Dialog {
	static final int COPY_ID = IDialogConstants.CLIENT_ID + 1;

	private final NodeService node;
	private final Circle circle;
	private Text code;
	private Button viaRelay;

	public InviteDialog(Shell parent, NodeService node, Circle circle) {
		super(parent);
		this.node = node;
		this.circle = circle;
	}

	@Override
	protected void configureShell(Shell shell) {
		super.configureShell(shell);
		shell.setText("Invite to " + circle.label());
		WidgetIds.tag(shell, "invite.dialog");
	}

	@Override
	protected Control createDialogArea(Composite parent) {
		Composite area = (Composite) super.createDialogArea(parent);
		area.setLayout(new GridLayout(1, false));
		Label intro = new Label(area, SWT.WRAP);
		intro.setText("Anyone with this code can join " + circle.label()
				+ " and read its messages. Send it privately, e.g. in person or by a message only they can read.");
		GridData introData = new GridData(SWT.FILL, SWT.TOP, true, false);
		introData.widthHint = 460;
		intro.setLayoutData(introData);
		code = WidgetIds.tag(new Text(area, SWT.BORDER | SWT.MULTI | SWT.WRAP | SWT.READ_ONLY), "invite.code");
		GridData codeData = new GridData(SWT.FILL, SWT.FILL, true, true);
		codeData.widthHint = 460;
		codeData.heightHint = 5 * code.getLineHeight();
		code.setLayoutData(codeData);
		String relay = node.identity().relayUrl();
		if (!relay.isBlank()) {
			viaRelay = WidgetIds.tag(new Button(area, SWT.CHECK), "invite.viaRelay");
			viaRelay.setText("Name my relay (" + relay + ") instead of this computer's address");
			viaRelay.addListener(SWT.Selection, e -> refresh());
		}
		refresh();
		return area;
	}

	private void refresh() {
		String hint = viaRelay != null && viaRelay.getSelection() ? node.identity().relayUrl() : null;
		code.setText(node.inviteCode(circle.circleId(), hint));
	}

	@Override
	protected void createButtonsForButtonBar(Composite parent) {
		WidgetIds.tag(createButton(parent, COPY_ID, "&Copy", true), "invite.copy");
		WidgetIds.tag(createButton(parent, IDialogConstants.CLOSE_ID, IDialogConstants.CLOSE_LABEL, false),
				"invite.close");
	}

	@Override
	protected void buttonPressed(int buttonId) {
		if (buttonId == COPY_ID) {
			Clipboard clipboard = new Clipboard(getShell().getDisplay());
			try {
				clipboard.setContents(new Object[] { code.getText() }, new Transfer[] { TextTransfer.getInstance() });
			} finally {
				clipboard.dispose();
			}
			getButton(COPY_ID).setText("Copied \u2713");
			getButton(COPY_ID).getParent().layout();
			return;
		}
		if (buttonId == IDialogConstants.CLOSE_ID) {
			close();
			return;
		}
		super.buttonPressed(buttonId);
	}

	/** The code shown now. */
	public String code() {
		return code.getText();
	}
}
