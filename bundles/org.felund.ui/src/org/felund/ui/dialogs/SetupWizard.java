package org.felund.ui.dialogs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
import org.eclipse.swt.widgets.TabFolder;
import org.eclipse.swt.widgets.TabItem;
import org.eclipse.swt.widgets.Text;
import org.felund.api.node.NodeService;
import org.felund.ui.internal.WidgetIds;
import org.felund.ui.settings.ConfigurationForm;
import org.felund.ui.settings.ConfigurationStore;
import org.felund.ui.settings.PluginConfiguration;
import org.felund.ui.settings.PluginConfigurations;

/**
 * First run: who you are (the display name), then, optionally, how this computer connects (the settings pages of
 * the installed transports, made from their metatype; the defaults suit most networks and Settings (F3) has them
 * too), then a first circle, created (its invite is shown next) or joined with a {@code felund1.} code.
 */
public final class SetupWizard extends Wizard {
	/** What the user asked for on the last page. */
	public enum FirstCircle {
		CREATE, JOIN, LATER
	}

	/** The outcome after Finish: the name and settings were applied; the circle is left to the caller. */
	public record Result(FirstCircle firstCircle, String circleName, String inviteCode) {
	}

	private final NodeService node;
	private final IdentityPage identity = new IdentityPage();
	private final ConnectionsPage connections;
	private final CirclePage circle = new CirclePage();
	private Result result;

	/** @param plugins the plugin configurations, or null (the connections step is left out then) */
	public SetupWizard(NodeService node, PluginConfigurations plugins) {
		this.node = node;
		ConfigurationStore store = plugins == null ? null : plugins.store();
		List<PluginConfiguration> transports = plugins == null || store == null ? List.of()
				: plugins.list().stream().filter(PluginConfiguration::isTransport).toList();
		connections = transports.isEmpty() ? null : new ConnectionsPage(transports, store);
		setWindowTitle("Welcome to Felund");
		setNeedsProgressMonitor(false);
	}

	/** Opens the wizard modally; returns the outcome, or null when cancelled. */
	public static Result open(Shell parent, NodeService node, PluginConfigurations plugins) {
		SetupWizard wizard = new SetupWizard(node, plugins);
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
		if (connections != null) {
			addPage(connections);
		}
		addPage(circle);
	}

	@Override
	public boolean canFinish() {
		return identity.isPageComplete() && (connections == null || connections.isPageComplete())
				&& circle.isPageComplete();
	}

	@Override
	public boolean performFinish() {
		String name = identity.name.getText().strip();
		try {
			// Local writes: quick, and their errors belong on their pages.
			if (!name.equals(node.identity().displayName())) {
				node.setDisplayName(name);
			}
		} catch (IllegalArgumentException | UnsupportedOperationException e) {
			getContainer().showPage(identity);
			identity.setErrorMessage(e.getMessage());
			return false;
		}
		if (connections != null && !connections.save()) {
			getContainer().showPage(connections);
			return false;
		}
		FirstCircle choice = circle.create.getSelection() ? FirstCircle.CREATE
				: circle.join.getSelection() ? FirstCircle.JOIN : FirstCircle.LATER;
		result = new Result(choice, circle.circleName.getText().strip(), circle.code.getText().strip());
		return true;
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

		IdentityPage() {
			super("identity");
			setTitle("Who are you?");
			setDescription("Your name is what others see next to your messages. You can change it later (F3).");
		}

		@Override
		public void createControl(Composite parent) {
			String current = node.identity().displayName();
			Composite form = new Composite(parent, SWT.NONE);
			form.setLayout(new GridLayout(2, false));
			new Label(form, SWT.NONE).setText("Display name:");
			name = WidgetIds.tag(new Text(form, SWT.BORDER), "setup.name");
			GridData data = new GridData(SWT.FILL, SWT.CENTER, true, false);
			data.widthHint = 320;
			name.setLayoutData(data);
			name.setText("anon".equals(current) ? "" : current);
			name.setMessage("e.g. Alice");
			name.addListener(SWT.Modify, e -> validate());
			Label next = new Label(form, SWT.WRAP);
			next.setText(connections == null ? "Next: your first circle."
					: "Next, if you like: how this computer connects to others. Then your first circle.");
			GridData nextData = new GridData(SWT.FILL, SWT.TOP, true, false, 2, 1);
			nextData.verticalIndent = 12;
			nextData.widthHint = 420;
			next.setLayoutData(nextData);
			next.setForeground(form.getDisplay().getSystemColor(SWT.COLOR_WIDGET_DARK_SHADOW));
			setControl(form);
			validate();
		}

		private void validate() {
			String error = SettingsDialog.nameError(name.getText());
			setErrorMessage(name.getText().isEmpty() ? null : error);
			setPageComplete(error == null);
		}
	}

	/** The transports' settings, one tab each; nothing to do here for most people. */
	private static final class ConnectionsPage extends WizardPage {
		private final List<PluginConfiguration> transports;
		private final ConfigurationStore store;
		private final List<ConfigurationForm> forms = new ArrayList<>();

		ConnectionsPage(List<PluginConfiguration> transports, ConfigurationStore store) {
			super("connections");
			this.transports = transports;
			this.store = store;
			setTitle("How this computer connects (optional)");
			setDescription("The defaults suit most networks. You can change these later in Settings (F3).");
		}

		@Override
		public void createControl(Composite parent) {
			TabFolder tabs = WidgetIds.tag(new TabFolder(parent, SWT.TOP), "setup.connections");
			for (PluginConfiguration c : transports) {
				TabItem tab = new TabItem(tabs, SWT.NONE);
				tab.setText(c.name());
				Map<String, Object> current;
				try {
					current = store.read(c.pid());
				} catch (IOException | IllegalArgumentException e) {
					current = Map.of();
				}
				ConfigurationForm form = new ConfigurationForm(tabs, c, current, this::validate);
				forms.add(form);
				tab.setControl(form.control());
			}
			setControl(tabs);
			validate();
		}

		private void validate() {
			String error = null;
			for (ConfigurationForm f : forms) {
				error = f.edit().error();
				if (error != null) {
					break;
				}
			}
			setErrorMessage(error);
			setPageComplete(error == null);
		}

		/** Writes what changed; false (with the error shown) when something is wrong or cannot be saved. */
		boolean save() {
			validate();
			if (!isPageComplete()) {
				return false;
			}
			for (ConfigurationForm f : forms) {
				try {
					store.write(f.configuration().pid(), f.edit().attributes());
				} catch (IOException | IllegalArgumentException | IllegalStateException e) {
					setErrorMessage("Cannot save the settings of " + f.configuration().name() + ": " + e.getMessage());
					return false;
				}
			}
			return true;
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
}
