package org.felund.ui.dialogs;

import java.util.Locale;

import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.TitleAreaDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.felund.api.model.AccessMode;
import org.felund.ui.internal.WidgetIds;

/** Name and access mode of a new channel: public, with a key, or by invitation (request and approval). */
public final class NewChannelDialog extends TitleAreaDialog {
	/** What the user chose. */
	public record Choice(String name, AccessMode mode, String key) {
	}

	private Text name;
	private Button isPublic;
	private Button withKey;
	private Button byInvite;
	private Text key;
	private Choice choice;

	public NewChannelDialog(Shell parent) {
		super(parent);
	}

	@Override
	protected void configureShell(Shell shell) {
		super.configureShell(shell);
		shell.setText("New channel");
		WidgetIds.tag(shell, "channel.dialog");
	}

	@Override
	protected Control createDialogArea(Composite parent) {
		setTitle("New channel");
		setMessage("Names are a-z, 0-9, - and _, at most 32 characters, so every felund client can show them.");
		Composite area = (Composite) super.createDialogArea(parent);
		Composite form = new Composite(area, SWT.NONE);
		form.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
		form.setLayout(new GridLayout(2, false));
		new Label(form, SWT.NONE).setText("Name:");
		name = WidgetIds.tag(new Text(form, SWT.BORDER), "channel.name");
		name.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
		name.setMessage("e.g. planning");
		Label access = new Label(form, SWT.NONE);
		access.setText("Who may join:");
		access.setLayoutData(new GridData(SWT.LEFT, SWT.TOP, false, false));
		Composite modes = new Composite(form, SWT.NONE);
		modes.setLayout(new GridLayout(1, false));
		isPublic = WidgetIds.tag(new Button(modes, SWT.RADIO), "channel.mode.public");
		isPublic.setText("Everyone in the circle");
		isPublic.setSelection(true);
		withKey = WidgetIds.tag(new Button(modes, SWT.RADIO), "channel.mode.key");
		withKey.setText("Whoever knows the key:");
		key = WidgetIds.tag(new Text(modes, SWT.BORDER), "channel.key");
		GridData keyData = new GridData(SWT.FILL, SWT.CENTER, true, false);
		keyData.horizontalIndent = 20;
		key.setLayoutData(keyData);
		byInvite = WidgetIds.tag(new Button(modes, SWT.RADIO), "channel.mode.invite");
		byInvite.setText("Only whom I let in (members ask, I approve)");
		for (Button b : new Button[] { isPublic, withKey, byInvite }) {
			b.addListener(SWT.Selection, e -> validate());
		}
		name.addListener(SWT.Modify, e -> validate());
		key.addListener(SWT.Modify, e -> validate());
		return area;
	}

	@Override
	protected void createButtonsForButtonBar(Composite parent) {
		super.createButtonsForButtonBar(parent);
		WidgetIds.tag(getButton(IDialogConstants.OK_ID), "channel.ok");
		getButton(IDialogConstants.OK_ID).setText("Create");
		validate();
	}

	private void validate() {
		key.setEnabled(withKey.getSelection());
		String error = error(name.getText(), withKey.getSelection(), key.getText());
		setErrorMessage(name.getText().isEmpty() ? null : error);
		Button ok = getButton(IDialogConstants.OK_ID);
		if (ok != null) {
			ok.setEnabled(error == null);
		}
	}

	/** Why the input cannot be used, or null. */
	static String error(String typedName, boolean keyMode, String typedKey) {
		String n = normalize(typedName);
		if (n.isEmpty()) {
			return "The channel needs a name";
		}
		if (n.length() > 32 || n.startsWith("__") || !n.matches("[a-z0-9_-]+")) {
			return "Use a-z, 0-9, - and _ (at most 32, not starting with __)";
		}
		if (keyMode && typedKey.isEmpty()) {
			return "A key channel needs a key";
		}
		return null;
	}

	private static String normalize(String typed) {
		String s = typed.strip();
		return (s.startsWith("#") ? s.substring(1) : s).toLowerCase(Locale.ROOT);
	}

	@Override
	protected void okPressed() {
		AccessMode mode = withKey.getSelection() ? AccessMode.KEY
				: byInvite.getSelection() ? AccessMode.INVITE : AccessMode.PUBLIC;
		choice = new Choice(normalize(name.getText()), mode, mode == AccessMode.KEY ? key.getText() : null);
		super.okPressed();
	}

	/** The choice after OK, else null. */
	public Choice choice() {
		return choice;
	}
}
