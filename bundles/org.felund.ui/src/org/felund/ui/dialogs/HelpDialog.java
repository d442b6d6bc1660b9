package org.felund.ui.dialogs;

import java.util.List;

import org.eclipse.jface.dialogs.Dialog;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.felund.ui.internal.SlashCommands;
import org.felund.ui.internal.WidgetIds;

/** F1: the keys, then the commands that can be typed in the message box. */
public final class HelpDialog extends Dialog {
	/** A key and what it does. */
	public record Key(String keys, String action) {
	}

	public static final List<Key> KEYS = List.of( //
			new Key("F1", "this help"), //
			new Key("F2", "the invite code of the selected circle, with copy"), //
			new Key("F3", "settings: your name, notifications, and each plugin's settings"), //
			new Key("F4", "calls (once the calls plugin is installed)"), //
			new Key("Ctrl+F", "search the messages of all your circles"), //
			new Key("Ctrl+N", "new circle"), //
			new Key("Ctrl+J", "join a circle with an invite code"), //
			new Key("Ctrl+Alt+P", "show or hide the paths of your messages"), //
			new Key("Ctrl+Q", "quit"), //
			new Key("Enter", "send the message"), //
			new Key("Shift+Enter", "a new line in the message"), //
			new Key("Tab", "complete a /command; Ctrl+Space lists them"));

	private final List<SlashCommands.Command> commands;

	/** @param commands the slash commands to list (the workbench's and the installed plugins') */
	public HelpDialog(Shell parent, List<SlashCommands.Command> commands) {
		super(parent);
		this.commands = List.copyOf(commands);
		setShellStyle(getShellStyle() | SWT.RESIZE);
	}

	@Override
	protected void configureShell(Shell shell) {
		super.configureShell(shell);
		shell.setText("Felund help");
		WidgetIds.tag(shell, "help.dialog");
	}

	@Override
	protected Control createDialogArea(Composite parent) {
		Composite area = (Composite) super.createDialogArea(parent);
		area.setLayout(new GridLayout(1, false));
		Table table = WidgetIds.tag(new Table(area, SWT.BORDER | SWT.FULL_SELECTION | SWT.V_SCROLL), "help.table");
		table.setHeaderVisible(true);
		GridData data = new GridData(SWT.FILL, SWT.FILL, true, true);
		data.widthHint = 680;
		data.heightHint = 460;
		table.setLayoutData(data);
		TableColumn what = new TableColumn(table, SWT.LEFT);
		what.setText("Press or type");
		what.setWidth(250);
		TableColumn does = new TableColumn(table, SWT.LEFT);
		does.setText("What it does");
		does.setWidth(410);
		for (Key k : KEYS) {
			row(table, k.keys(), k.action());
		}
		TableItem heading = row(table, "In the message box:", "");
		heading.setFont(JFaceResources.getFontRegistry().getBold(JFaceResources.DEFAULT_FONT));
		for (SlashCommands.Command c : commands) {
			row(table, c.usage(), c.description());
		}
		return area;
	}

	private static TableItem row(Table table, String left, String right) {
		TableItem item = new TableItem(table, SWT.NONE);
		item.setText(new String[] { left, right });
		return item;
	}

	@Override
	protected void createButtonsForButtonBar(Composite parent) {
		createButton(parent, IDialogConstants.CLOSE_ID, IDialogConstants.CLOSE_LABEL, true);
	}

	@Override
	protected void buttonPressed(int buttonId) {
		if (buttonId == IDialogConstants.CLOSE_ID) {
			close();
		} else {
			super.buttonPressed(buttonId);
		}
	}
}
