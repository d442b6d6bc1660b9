package org.felund.ui.parts;

import java.time.ZoneId;
import java.util.function.Function;

import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.program.Program;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.felund.ui.internal.ChatLinks;
import org.felund.ui.internal.ChatTranscript;
import org.felund.ui.internal.Clipboards;
import org.felund.ui.internal.DeliveryText;
import org.felund.ui.internal.MenuItems;
import org.felund.ui.internal.MessagePaths;

/**
 * The context menu of the chat's messages (right click, or the menu key at the caret): copy the selection, a
 * message's text, id or path, open or copy a link, show message paths, jump to the latest. Its items are made for
 * the place it was asked for, each time it opens.
 */
final class MessageMenu {
	/** What the menu needs of the chat part. */
	interface Chat {
		ChatTranscript transcript();

		ChatTranscript.Rendered rendered();

		Function<String, String> memberNames();

		/** Whether the reader is away from the newest message. */
		boolean behind();

		void jumpToLatest();
	}

	private final StyledText messages;
	private final MApplication application;
	private final Chat chat;
	/** Where the menu was asked for. */
	private int offset = -1;

	private MessageMenu(StyledText messages, MApplication application, Chat chat) {
		this.messages = messages;
		this.application = application;
		this.chat = chat;
	}

	static void install(StyledText messages, MApplication application, Chat chat) {
		new MessageMenu(messages, application, chat).create();
	}

	private void create() {
		Menu menu = new Menu(messages);
		messages.addListener(SWT.MenuDetect, e -> {
			Point p = messages.toControl(e.x, e.y);
			try {
				offset = e.detail == SWT.MENU_KEYBOARD ? messages.getCaretOffset() : messages.getOffsetAtPoint(p);
			} catch (IllegalArgumentException ex) {
				offset = -1;
			}
		});
		menu.addListener(SWT.Show, e -> fill(menu));
		messages.setMenu(menu);
	}

	private void fill(Menu menu) {
		for (MenuItem item : menu.getItems()) {
			item.dispose();
		}
		ChatTranscript transcript = chat.transcript();
		ChatTranscript.Rendered rendered = chat.rendered();
		ChatTranscript.Entry entry = rendered == null || offset < 0 ? null : rendered.entryAt(offset).orElse(null);
		if (messages.getSelectionCount() > 0) {
			MenuItems.push(menu, "Copy", messages::copy);
		}
		if (entry != null && entry.kind() != ChatTranscript.Kind.LOCAL) {
			MenuItems.push(menu, "Copy text", () -> copy(entry.text()));
			if (entry.kind() == ChatTranscript.Kind.MESSAGE) {
				MenuItems.push(menu, "Copy message id", () -> copy(entry.key().msgId()));
				transcript.deliveryOf(entry.key().msgId()).ifPresent(d -> MenuItems.push(menu, "Copy path",
						() -> copy(DeliveryText.pathLine(d, ZoneId.systemDefault(), chat.memberNames()))));
			}
		}
		MenuItem paths = new MenuItem(menu, SWT.CHECK);
		paths.setText("Show message paths\tCtrl+Alt+P");
		paths.setSelection(transcript != null && transcript.showsPaths());
		paths.addListener(SWT.Selection, ev -> MessagePaths.set(application, paths.getSelection()));
		String address = offset < 0 ? null : ChatLinks.atOffset(messages, offset);
		if (address != null) {
			MenuItems.push(menu, "Open link", () -> Program.launch(address));
			MenuItems.push(menu, "Copy link", () -> copy(address));
		}
		if (chat.behind()) {
			MenuItems.push(menu, "Jump to the latest", chat::jumpToLatest);
		}
	}

	private void copy(String text) {
		Clipboards.copy(messages.getDisplay(), text);
	}
}
