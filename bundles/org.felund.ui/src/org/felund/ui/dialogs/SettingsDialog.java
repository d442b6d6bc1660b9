package org.felund.ui.dialogs;

import java.util.Locale;

import org.eclipse.jface.preference.BooleanFieldEditor;
import org.eclipse.jface.preference.FieldEditorPreferencePage;
import org.eclipse.jface.preference.IntegerFieldEditor;
import org.eclipse.jface.preference.PreferenceDialog;
import org.eclipse.jface.preference.PreferenceManager;
import org.eclipse.jface.preference.PreferenceNode;
import org.eclipse.jface.preference.StringFieldEditor;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.felund.ui.internal.FelundPreferenceStore;
import org.felund.ui.internal.UiPreferences;
import org.felund.ui.internal.WidgetIds;

/**
 * F3: the settings as JFace preference pages over the workbench's preference store. The caller loads the node's
 * settings into the store before and applies them to the node after OK.
 */
public final class SettingsDialog {
	private SettingsDialog() {
	}

	/** Opens the dialog; returns true when the user pressed OK (the store is saved then). */
	public static boolean open(Shell parent, FelundPreferenceStore store) {
		PreferenceManager pages = new PreferenceManager();
		pages.addToRoot(new PreferenceNode("profile", new ProfilePage()));
		pages.addToRoot(new PreferenceNode("network", new NetworkPage()));
		pages.addToRoot(new PreferenceNode("calls", new CallsPage()));
		pages.addToRoot(new PreferenceNode("notifications", new NotificationsPage()));
		PreferenceDialog dialog = new PreferenceDialog(parent, pages) {
			@Override
			protected void configureShell(Shell shell) {
				super.configureShell(shell);
				shell.setText("Felund settings");
				WidgetIds.tag(shell, "settings.dialog");
			}

			@Override
			protected void createButtonsForButtonBar(Composite buttons) {
				super.createButtonsForButtonBar(buttons);
				WidgetIds.tag(getButton(OK), "settings.ok");
				WidgetIds.tag(getButton(CANCEL), "settings.cancel");
			}
		};
		dialog.setPreferenceStore(store);
		return dialog.open() == PreferenceDialog.OK;
	}

	/** Field editors see the dialog's store; each page tags its text fields for tests and accessibility. */
	private abstract static class Page extends FieldEditorPreferencePage {
		Page(String title, String description) {
			super(title, GRID);
			setDescription(description);
		}

		StringFieldEditor text(String key, String label, String id) {
			StringFieldEditor editor = new StringFieldEditor(key, label, getFieldEditorParent());
			WidgetIds.tag(editor.getTextControl(getFieldEditorParent()), id);
			addField(editor);
			return editor;
		}

		void note(String text) {
			Label note = new Label(getFieldEditorParent(), SWT.WRAP);
			note.setText(text);
			GridData data = new GridData(SWT.FILL, SWT.TOP, true, false, 2, 1);
			data.widthHint = 380;
			note.setLayoutData(data);
		}
	}

	static final class ProfilePage extends Page {
		ProfilePage() {
			super("Profile", "How others see you and where this computer listens for other nodes.");
		}

		@Override
		protected void createFieldEditors() {
			StringFieldEditor name = text(UiPreferences.NAME, "Display name:", "settings.name");
			name.setEmptyStringAllowed(false);
			name.setTextLimit(40);
			text(UiPreferences.BIND_HOST, "Listen on address:", "settings.bind").setEmptyStringAllowed(false);
			IntegerFieldEditor port = new IntegerFieldEditor(UiPreferences.PORT, "Listen port:",
					getFieldEditorParent());
			port.setValidRange(1, 65535);
			WidgetIds.tag(port.getTextControl(getFieldEditorParent()), "settings.port");
			addField(port);
			note("0.0.0.0 listens on every network of this computer. A changed address or port is used when the "
					+ "gossip transport starts again.");
		}
	}

	static final class NetworkPage extends Page {
		NetworkPage() {
			super("Relay and anchor", "Reaching members outside your network, and keeping messages for them.");
		}

		@Override
		protected void createFieldEditors() {
			StringFieldEditor relay = new StringFieldEditor(UiPreferences.RELAY_URL, "Relay URL:",
					getFieldEditorParent()) {
				@Override
				protected boolean doCheckState() {
					String v = getStringValue().strip().toLowerCase(Locale.ROOT);
					return v.isEmpty() || v.startsWith("http://") || v.startsWith("https://");
				}
			};
			relay.setErrorMessage("A relay URL starts with http:// or https://");
			relay.setEmptyStringAllowed(true);
			WidgetIds.tag(relay.getTextControl(getFieldEditorParent()), "settings.relay");
			addField(relay);
			addField(new BooleanFieldEditor(UiPreferences.CAN_ANCHOR,
					"Anchor: keep encrypted messages for members who are offline", getFieldEditorParent()));
			note("An anchor stores only ciphertext it cannot read, and hands it to members when they come back.");
		}
	}

	static final class CallsPage extends Page {
		CallsPage() {
			super("Calls", "TURN and STUN servers help calls through firewalls; the calls plugin uses them.");
		}

		@Override
		protected void createFieldEditors() {
			StringFieldEditor turn = new StringFieldEditor(UiPreferences.TURN_SERVERS, "TURN servers:", 40, 5,
					StringFieldEditor.VALIDATE_ON_KEY_STROKE, getFieldEditorParent()) {
				@Override
				protected Text createTextWidget(Composite parent) {
					return new Text(parent, SWT.MULTI | SWT.BORDER | SWT.V_SCROLL | SWT.WRAP);
				}

				@Override
				protected boolean doCheckState() {
					return turnServersError(getStringValue()) == null;
				}

				@Override
				protected void refreshValidState() {
					super.refreshValidState();
					String error = turnServersError(getStringValue());
					if (error != null) {
						showErrorMessage(error);
					}
				}
			};
			turn.setEmptyStringAllowed(true);
			WidgetIds.tag(turn.getTextControl(getFieldEditorParent()), "settings.turn");
			addField(turn);
			note("One server per line, e.g. turn:turn.example.org:3478?transport=udp or stun:stun.example.org:3478. "
					+ "Add credentials as turn:user:password@host:port.");
		}
	}

	/** Why the TURN server list is not usable, or null. */
	static String turnServersError(String value) {
		for (String line : value.split("\\R")) {
			String l = line.strip();
			if (!l.isEmpty() && !l.startsWith("turn:") && !l.startsWith("turns:") && !l.startsWith("stun:")
					&& !l.startsWith("stuns:")) {
				return "Each line starts with turn:, turns:, stun: or stuns: (" + l + ")";
			}
		}
		return null;
	}

	static final class NotificationsPage extends Page {
		NotificationsPage() {
			super("Notifications", "What happens when a message arrives while Felund is in the background.");
		}

		@Override
		protected void createFieldEditors() {
			addField(new BooleanFieldEditor(UiPreferences.NOTIFY, "Show a notification for new messages",
					getFieldEditorParent()));
			addField(new BooleanFieldEditor(UiPreferences.NOTIFY_PREVIEW, "Show the text of the message in it",
					getFieldEditorParent()));
			note("The window title always shows how many messages you have not read.");
		}
	}
}
