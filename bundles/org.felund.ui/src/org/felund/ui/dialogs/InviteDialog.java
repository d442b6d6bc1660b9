package org.felund.ui.dialogs;

import java.util.Comparator;
import java.util.List;

import org.eclipse.jface.dialogs.Dialog;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.felund.api.model.Circle;
import org.felund.api.node.NodeService;
import org.felund.api.transport.Endpoint;
import org.felund.ui.internal.Clipboards;
import org.felund.ui.internal.WidgetIds;

/**
 * The invite code of a circle, ready to copy. The code names one place where the invited can reach this node: by
 * default the node's choice (a direct address first, else a relay); when the transports advertise more than one
 * {@link Endpoint}, the person inviting can pick another (e.g. a relay, for people outside the local network).
 */
public final class InviteDialog extends Dialog {
	static final int COPY_ID = IDialogConstants.CLIENT_ID + 1;

	private final NodeService node;
	private final Circle circle;
	private Text code;
	private Combo reach;
	private List<Endpoint> endpoints = List.of();

	public InviteDialog(Shell parent, NodeService node, Circle circle) {
		super(parent);
		this.node = node;
		this.circle = circle;
	}

	@Override
	protected void configureShell(Shell shell) {
		super.configureShell(shell);
		shell.setText("Invite to " + org.felund.ui.internal.Labels.circle(node, circle));
		WidgetIds.tag(shell, "invite.dialog");
	}

	@Override
	protected Control createDialogArea(Composite parent) {
		Composite area = (Composite) super.createDialogArea(parent);
		area.setLayout(new GridLayout(1, false));
		Label intro = new Label(area, SWT.WRAP);
		intro.setText("Anyone with this code can join " + org.felund.ui.internal.Labels.circle(node, circle)
				+ " and read its messages. Send it privately, e.g. in person or by a message only they can read.");
		GridData introData = new GridData(SWT.FILL, SWT.TOP, true, false);
		introData.widthHint = 460;
		intro.setLayoutData(introData);
		code = WidgetIds.tag(new Text(area, SWT.BORDER | SWT.MULTI | SWT.WRAP | SWT.READ_ONLY), "invite.code");
		GridData codeData = new GridData(SWT.FILL, SWT.FILL, true, true);
		codeData.widthHint = 460;
		codeData.heightHint = 5 * code.getLineHeight();
		code.setLayoutData(codeData);
		endpoints = node.endpoints().stream()
				.sorted(Comparator.comparing((Endpoint e) -> e.kind() != Endpoint.Kind.DIRECT)).toList();
		if (endpoints.size() > 1) {
			Composite row = new Composite(area, SWT.NONE);
			row.setLayout(new GridLayout(2, false));
			row.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
			new Label(row, SWT.NONE).setText("They reach you at:");
			reach = WidgetIds.tag(new Combo(row, SWT.READ_ONLY | SWT.DROP_DOWN), "invite.endpoint");
			reach.add("the node's choice (a direct address first, else a relay)");
			for (Endpoint e : endpoints) {
				reach.add(e.address() + "  (" + e.transportId() + ")");
			}
			reach.select(0);
			reach.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
			reach.addListener(SWT.Selection, e -> refresh());
		}
		refresh();
		return area;
	}

	private void refresh() {
		int chosen = reach == null ? 0 : reach.getSelectionIndex();
		String hint = chosen <= 0 ? null : endpoints.get(chosen - 1).address();
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
			Clipboards.copy(getShell().getDisplay(), code.getText());
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
