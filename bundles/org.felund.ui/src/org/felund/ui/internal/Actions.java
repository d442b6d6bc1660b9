package org.felund.ui.internal;

import java.util.List;
import java.util.function.Consumer;

import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.jface.dialogs.InputDialog;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.felund.api.model.Channel;
import org.felund.api.model.Circle;
import org.felund.api.node.CreatedCircle;
import org.felund.api.node.NodeService;
import org.felund.ui.contrib.ChatCommand;
import org.felund.ui.dialogs.HelpDialog;
import org.felund.ui.dialogs.InviteDialog;
import org.felund.ui.dialogs.NewChannelDialog;
import org.felund.ui.dialogs.SearchDialog;
import org.felund.ui.dialogs.SettingsDialog;
import org.felund.ui.dialogs.SetupWizard;
import org.felund.ui.settings.PluginConfigurations;

/**
 * What menus, buttons, keys and slash commands do, in one place so that each way of asking does the same.
 * Called on the UI thread.
 */
public final class Actions {
	private Actions() {
	}

	public static void showInvite(Shell shell, NodeService node, String circleId) {
		node.circle(circleId).ifPresentOrElse(c -> new InviteDialog(shell, node, c).open(),
				() -> MessageDialog.openInformation(shell, "Invite", "Select a circle first."));
	}

	/** Asks for a name, creates the circle, shows it and its invite. */
	public static void newCircle(Shell shell, NodeService node, MApplication app) {
		InputDialog dialog = new InputDialog(shell, "New circle",
				"Name of the new circle (optional; everyone in it sees the name):", "",
				v -> v.strip().length() > 40 ? "At most 40 characters" : null) {
			@Override
			protected Control createDialogArea(org.eclipse.swt.widgets.Composite parent) {
				Control area = super.createDialogArea(parent);
				WidgetIds.tag(getText(), "circle.name");
				return area;
			}

			@Override
			protected void configureShell(Shell s) {
				super.configureShell(s);
				WidgetIds.tag(s, "circle.dialog");
			}
		};
		if (dialog.open() != Window.OK) {
			return;
		}
		try {
			connect(node);
			CreatedCircle created = node.createCircle(dialog.getValue());
			Selection.select(app, new ChannelRef(created.circle().circleId(), ChannelRef.DEFAULT_CHANNEL));
			new InviteDialog(shell, node, created.circle()).open();
		} catch (IllegalArgumentException e) {
			MessageDialog.openError(shell, "New circle", e.getMessage());
		}
	}

	/** Asks for an invite code and joins in the background; the circle is shown as soon as it exists. */
	public static void joinCircle(Shell shell, NodeService node, MApplication app, UISynchronize sync) {
		InputDialog dialog = new InputDialog(shell, "Join a circle", "Paste the invite code you were given:", "",
				v -> v.strip().startsWith("felund1.") ? null : "An invite code starts with felund1.") {
			@Override
			protected int getInputTextStyle() {
				return SWT.MULTI | SWT.BORDER | SWT.WRAP;
			}

			@Override
			protected Control createDialogArea(org.eclipse.swt.widgets.Composite parent) {
				Control area = super.createDialogArea(parent);
				Text text = WidgetIds.tag(getText(), "join.code");
				GridData data = (GridData) text.getLayoutData();
				data.heightHint = 4 * text.getLineHeight();
				return area;
			}

			@Override
			protected void configureShell(Shell s) {
				super.configureShell(s);
				WidgetIds.tag(s, "join.dialog");
			}
		};
		if (dialog.open() == Window.OK) {
			join(shell, node, app, sync, dialog.getValue());
		}
	}

	public static void join(Shell shell, NodeService node, MApplication app, UISynchronize sync, String code) {
		join(node, app, sync, code, c -> {
		}, error -> {
			if (!shell.isDisposed()) {
				MessageDialog.openError(shell, "Join a circle", error);
			}
		});
	}

	public static void join(NodeService node, MApplication app, UISynchronize sync, String code,
			Consumer<Circle> joined, Consumer<String> failed) {
		connect(node);
		NodeJobs.join(node, inviteCode(code), sync, circle -> {
			Selection.select(app, new ChannelRef(circle.circleId(), ChannelRef.DEFAULT_CHANNEL));
			joined.accept(circle);
		}, failed, (circle, reason) -> {
			org.eclipse.swt.widgets.Display display = org.eclipse.swt.widgets.Display.getCurrent();
			Shell shell = display == null ? null : display.getActiveShell();
			if (unreached(shell, node, circle, reason)) {
				join(node, app, sync, code, joined, failed);
			}
		});
	}

	/** Tells that nobody answered and why; true when the user wants to try again. */
	static boolean unreached(Shell shell, NodeService node, Circle circle, String reason) {
		MessageDialog dialog = new MessageDialog(shell, "Joining a circle", null,
				"You joined, but nobody could be reached yet, so there are no messages or members to show.\n\n"
						+ reason + "\n\nFelund keeps trying in the background; Retry tries again now.",
				MessageDialog.WARNING, 0, "Retry", "Close") {
			@Override
			protected void configureShell(Shell s) {
				super.configureShell(s);
				WidgetIds.tag(s, "join.unreached");
			}
		};
		return dialog.open() == 0;
	}

	/** Asks before leaving a circle; Cancel is the default button, so Enter keeps the circle. */
	public static boolean confirmLeave(Shell shell, String circleLabel) {
		MessageDialog dialog = new MessageDialog(shell, "Leave circle", null, "Leave " + circleLabel
				+ "? Its messages and its key are deleted from this computer; you need a new invite to come back.",
				MessageDialog.CONFIRM, 1, "Leave", "Cancel") {
			@Override
			protected void configureShell(Shell s) {
				super.configureShell(s);
				WidgetIds.tag(s, "leave.dialog");
			}
		};
		return dialog.open() == 0;
	}

	/** A pasted invite code without the line breaks and spaces a mail or a chat may have put into it. */
	public static String inviteCode(String pasted) {
		return pasted.replaceAll("[\\s\u00ad\u200b]+", "");
	}

	/** Asks for a channel's name and access mode, creates it and shows it. */
	public static void newChannel(Shell shell, NodeService node, MApplication app, String circleId) {
		NewChannelDialog dialog = new NewChannelDialog(shell);
		if (dialog.open() != Window.OK) {
			return;
		}
		NewChannelDialog.Choice choice = dialog.choice();
		try {
			Channel channel = node.createChannel(circleId, choice.name(), choice.mode(), choice.key());
			Selection.select(app, new ChannelRef(circleId, channel.channelId()));
		} catch (IllegalArgumentException e) {
			MessageDialog.openError(shell, "New channel", e.getMessage());
		}
	}

	/**
	 * F3: the node's name, the notifications, and a page per plugin configuration; each page applies its own
	 * values when the user presses OK.
	 */
	public static void showSettings(Shell shell, NodeService node, PluginConfigurations plugins, MApplication app) {
		showSettings(shell, node, plugins, app, null, null, null);
	}

	/** F3 at a page ({@code history} with a circle or a channel selected, …). */
	public static void showSettings(Shell shell, NodeService node, PluginConfigurations plugins, MApplication app,
			String page, String circleId, String channelId) {
		SettingsDialog.show(shell, FelundPreferenceStore.workbench(), node, plugins, page, circleId, channelId,
				theme -> Theme.apply(app.getContext(), theme));
	}

	/** F1: the keys, then the workbench's and the plugins' slash commands. */
	public static void showHelp(Shell shell, List<ChatCommand> contributions) {
		new HelpDialog(shell, SlashCommands.available(contributions)).open();
	}

	/** First run: the setup wizard, then the first circle (created with its invite shown, or joined). */
	public static void runSetup(Shell shell, NodeService node, PluginConfigurations plugins, MApplication app,
			UISynchronize sync) {
		SetupWizard.Result result = SetupWizard.open(shell, node, plugins);
		if (result == null) {
			return; // cancelled: asked again at the next start, nothing is taken as answered
		}
		FelundPreferenceStore store = FelundPreferenceStore.workbench();
		store.setValue(UiPreferences.SETUP_DONE, true);
		store.save();
		connect(node); // the answer, with its connection settings saved: now the transports may listen and dial
		switch (result.firstCircle()) {
		case CREATE -> {
			CreatedCircle created = node.createCircle(result.circleName());
			Selection.select(app, new ChannelRef(created.circle().circleId(), ChannelRef.DEFAULT_CHANNEL));
			new InviteDialog(shell, node, created.circle()).open();
		}
		case JOIN -> join(shell, node, app, sync, result.inviteCode());
		case LATER -> {
		}
		}
	}

	/**
	 * Lets the node attach its transports (listen, dial): once the setup is answered, or when the person creates or
	 * joins a circle even though they left the setup unanswered.
	 */
	public static void connect(NodeService node) {
		if (node != null && !node.setupComplete()) {
			node.completeSetup();
		}
	}

	public static void search(Shell shell, MessageIndex index, NodeService node, MApplication app) {
		if (index == null) {
			MessageDialog.openInformation(shell, "Search", "Search is not available: the index could not start.");
			return;
		}
		new SearchDialog(shell, index,
				circleId -> node == null ? circleId : node.circle(circleId).map(c -> Labels.circle(node, c)).orElse(circleId),
				hit -> Selection.reveal(app, new Selection.Reveal(hit.circleId(), hit.channelId(), hit.msgId())))
				.open();
	}
}
