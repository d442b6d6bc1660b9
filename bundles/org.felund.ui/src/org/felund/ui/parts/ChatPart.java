package org.felund.ui.parts;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.di.extensions.Service;
import org.eclipse.e4.ui.di.Focus;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.jface.bindings.keys.KeyStroke;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.fieldassist.ContentProposal;
import org.eclipse.jface.fieldassist.ContentProposalAdapter;
import org.eclipse.jface.fieldassist.IContentProposal;
import org.eclipse.jface.fieldassist.TextContentAdapter;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyleRange;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Link;
import org.eclipse.swt.widgets.Text;
import org.felund.api.model.AccessMode;
import org.felund.api.model.Channel;
import org.felund.api.model.ChatMessage;
import org.felund.api.model.Circle;
import org.felund.api.model.Delivery;
import org.felund.api.node.NodeListener;
import org.felund.api.node.NodeService;
import org.felund.api.node.SystemNote;
import org.felund.api.store.SyncKey;
import org.felund.ui.contrib.ChatCommand;
import org.felund.ui.internal.Actions;
import org.felund.ui.internal.AuthorColors;
import org.felund.ui.internal.ChannelRef;
import org.felund.ui.internal.ChatTranscript;
import org.felund.ui.internal.Console;
import org.felund.ui.internal.Drafts;
import org.felund.ui.internal.MessagePaths;
import org.felund.ui.internal.Selection;
import org.felund.ui.internal.SlashCommands;
import org.felund.ui.internal.NodeListeners;
import org.felund.ui.internal.WidgetIds;
import org.felund.ui.settings.PluginConfigurations;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

/**
 * The messages of the selected channel, with system lines for control events, paged back through history as
 * the user scrolls up; and the composer (Enter sends, Shift+Enter adds a line, / starts a command).
 */
public class ChatPart {
	/** Messages per history page. */
	static final int PAGE = 100;
	/** Control messages read per page when looking for the system lines of a channel. */
	private static final int CONTROL_PAGE = 500;
	private static final int MAX_CONTROL_PAGES = 4;
	/** Control messages read when the circle changed. */
	private static final int RECENT_CONTROL = 50;
	/** How far a search result is looked for by paging back. */
	private static final int MAX_REVEAL_PAGES = 20;

	@Inject
	private UISynchronize sync;
	@Inject
	private MApplication application;

	private NodeService node;
	private List<ChatCommand> contributions = List.of();
	private PluginConfigurations plugins;
	private ChannelRef current;
	private ChatTranscript transcript;
	private boolean hasOlder;
	private Label header;
	private Link older;
	private StyledText messages;
	private Text composer;
	private Link latest;
	private ContentProposalAdapter proposals;
	private Drafts drafts;
	/** Whether the view follows the newest message (the user has not scrolled up). */
	private boolean following = true;
	/** Messages that arrived while the user was scrolled up. */
	private int unseen;
	private ChatTranscript.Rendered rendered;
	/** Where the context menu was asked for. */
	private int menuOffset = -1;
	private final NodeListener listener = new NodeListener() {
		@Override
		public void messageAdded(ChatMessage message) {
			ChannelRef ref = current;
			if (ref != null && ref.circleId().equals(message.circleId())
					&& ref.channelId().equals(message.channelId())) {
				sync.asyncExec(() -> showNew(message));
			}
		}

		@Override
		public void circleChanged(String circleId) {
			ChannelRef ref = current;
			if (ref != null && ref.circleId().equals(circleId)) {
				sync.asyncExec(ChatPart.this::circleChanged);
			}
		}

		@Override
		public void messageDelivered(Delivery delivery) {
			ChannelRef ref = current;
			if (ref != null && ref.circleId().equals(delivery.circleId())) {
				sync.asyncExec(() -> delivered(delivery));
			}
		}
	};
	/** A render for delivery changes is queued (a burst of acknowledgements is shown in one go). */
	private boolean deliveryRenderQueued;

	@PostConstruct
	public void createControls(Composite parent) {
		parent.setLayout(new GridLayout(1, false));
		header = WidgetIds.tag(new Label(parent, SWT.NONE), "chat.header");
		header.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
		header.setFont(JFaceResources.getFontRegistry().getBold(JFaceResources.DEFAULT_FONT));
		older = WidgetIds.tag(new Link(parent, SWT.NONE), "chat.older");
		older.setText("<a>Show older messages</a>");
		older.setLayoutData(new GridData(SWT.CENTER, SWT.CENTER, true, false));
		older.addListener(SWT.Selection, e -> loadOlder());
		messages = WidgetIds.tag(new StyledText(parent, SWT.BORDER | SWT.V_SCROLL | SWT.WRAP | SWT.READ_ONLY),
				"chat.messages");
		messages.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
		messages.setMargins(6, 4, 6, 4);
		messages.setLineSpacing(2);
		// Wrapped lines start under the text, past the time.
		org.eclipse.swt.graphics.GC gc = new org.eclipse.swt.graphics.GC(messages);
		try {
			messages.setWrapIndent(gc.textExtent("00:00  ").x);
		} finally {
			gc.dispose();
		}
		// Scrolling to the very top pages back through history; to the bottom, catches up.
		messages.getVerticalBar().addListener(SWT.Selection, e -> {
			if (hasOlder && messages.getTopIndex() == 0) {
				sync.asyncExec(this::loadOlder);
			}
			following = atBottom();
			if (following) {
				caughtUp();
			}
		});
		// A new size (the window restored, maximized, the composer grown) keeps the newest message in view.
		messages.addListener(SWT.Resize, e -> {
			if (following) {
				scrollToEnd();
			}
		});
		messages.addListener(SWT.MouseUp, this::clicked);
		messages.addListener(SWT.MouseMove, e -> {
			messages.setCursor(linkAt(e.x, e.y) == null ? null
					: messages.getDisplay().getSystemCursor(SWT.CURSOR_HAND));
			showDeliveryTooltip(e.x, e.y);
		});
		messages.setMenu(messageMenu());
		latest = WidgetIds.tag(new Link(parent, SWT.NONE), "chat.latest");
		latest.setLayoutData(new GridData(SWT.END, SWT.CENTER, true, false));
		latest.addListener(SWT.Selection, e -> {
			scrollToEnd();
			caughtUp();
		});
		showLatestLink();
		composer = WidgetIds.tag(new Text(parent, SWT.BORDER | SWT.MULTI | SWT.WRAP | SWT.V_SCROLL),
				"chat.composer");
		GridData composerData = new GridData(SWT.FILL, SWT.END, true, false);
		composerData.heightHint = 3 * composer.getLineHeight();
		composer.setLayoutData(composerData);
		composer.setMessage("Write a message \u2014 Enter sends, Shift+Enter adds a line, /help lists commands");
		composer.addListener(SWT.KeyDown, this::composerKey);
		composer.addListener(SWT.Modify, e -> {
			if (drafts != null && current != null && composer.isEnabled()) {
				drafts.put(current, composer.getText());
			}
		});
		composer.addListener(SWT.Traverse, e -> {
			if (e.detail == SWT.TRAVERSE_TAB_NEXT && SlashCommands.isCommand(composer.getText())) {
				e.doit = false;
				e.detail = SWT.TRAVERSE_NONE;
			}
		});
		proposals = new ContentProposalAdapter(composer, new TextContentAdapter(), (contents, position) -> {
			List<IContentProposal> out = new ArrayList<>();
			for (SlashCommands.Command c : SlashCommands.proposals(contents.substring(0, position),
					SlashCommands.available(contributions))) {
				out.add(new CommandProposal(c));
			}
			return out.toArray(IContentProposal[]::new);
		}, KeyStroke.getInstance(SWT.CTRL, ' '), new char[] { '/' });
		// The adapter would replace the whole text with the proposal and lose the arguments typed after it.
		proposals.setProposalAcceptanceStyle(ContentProposalAdapter.PROPOSAL_IGNORE);
		proposals.addContentProposalListener(p -> {
			if (p instanceof CommandProposal c) {
				acceptProposal(c.command);
			}
		});
		MessagePaths.publish(application);
		reload();
	}

	/** A completion of the composer: the command it completes. */
	private static final class CommandProposal extends ContentProposal {
		final SlashCommands.Command command;

		CommandProposal(SlashCommands.Command command) {
			super(command.words() + " ", command.usage(), command.description());
			this.command = command;
		}
	}

	/** Enter or a click in the popup: completes the command's words; with the words all typed, runs it. */
	private void acceptProposal(SlashCommands.Command command) {
		String typed = composer.getText();
		boolean bare = typed.strip().equalsIgnoreCase(command.words());
		if (bare ? command.arguments().isEmpty() : SlashCommands.isComplete(typed, command)) {
			send();
			return;
		}
		String completed = SlashCommands.accept(typed, command);
		composer.setText(completed);
		composer.setSelection(completed.length());
	}

	private void composerKey(Event e) {
		boolean enter = e.keyCode == SWT.CR || e.keyCode == SWT.KEYPAD_CR;
		if (enter && (e.stateMask & SWT.SHIFT) == 0) {
			if (proposals.isProposalPopupOpen()) {
				return; // Enter accepts the proposal
			}
			e.doit = false;
			send();
		} else if (e.character == '\t' && SlashCommands.isCommand(composer.getText())) {
			e.doit = false;
			String completed = SlashCommands.complete(composer.getText(),
					SlashCommands.available(contributions));
			composer.setText(completed);
			composer.setSelection(completed.length());
		}
	}

	@Inject
	@Optional
	void setNode(@Service NodeService service) {
		if (NodeListeners.move(node, service, listener)) {
			node = service;
			if (messages != null) {
				sync.asyncExec(this::reload);
			}
		}
	}

	@Inject
	@Optional
	void setContributions(@Service List<ChatCommand> commands) {
		contributions = commands == null ? List.of() : List.copyOf(commands);
	}

	@Inject
	@Optional
	void setPlugins(PluginConfigurations configurations) {
		plugins = configurations;
	}

	/** Whether the workbench is dark: the chat's own colours follow. */
	@Inject
	@Optional
	void setDark(@jakarta.inject.Named(org.felund.ui.internal.Theme.DARK_KEY) Boolean isDark) {
		boolean d = Boolean.TRUE.equals(isDark);
		if (d != dark) {
			dark = d;
			if (messages != null && !messages.isDisposed() && transcript != null) {
				render(following);
			}
		}
	}

	private boolean dark;

	@Inject
	@Optional
	void setDrafts(Drafts d) {
		drafts = d;
	}

	@Inject
	@Optional
	void setChannel(ChannelRef ref) {
		if (ref != null && ref.equals(current) && transcript != null) {
			return;
		}
		current = ref;
		if (messages != null) {
			reload();
			if (composer.isEnabled() && !Selection.keepsFocus(application, ref)) {
				// Whenever a channel is shown, typing goes to its composer (not to the tree's type-ahead).
				composer.setFocus();
			}
		}
	}

	/** A search result to show: pages back until the message is loaded, then scrolls to it. */
	@Inject
	@Optional
	void setReveal(Selection.Reveal reveal) {
		if (reveal == null || messages == null) {
			return;
		}
		application.getContext().remove(Selection.Reveal.class);
		if (current == null || !current.circleId().equals(reveal.circleId())
				|| !current.channelId().equals(reveal.channelId()) || transcript == null) {
			return;
		}
		for (int i = 0; i < MAX_REVEAL_PAGES && !transcript.containsMessage(reveal.msgId()) && hasOlder; i++) {
			loadOlder();
		}
		Integer line = transcript.render().lineOfMessage().get(reveal.msgId());
		if (line != null && line < messages.getLineCount()) {
			messages.setTopIndex(Math.max(0, line - 2));
			int start = messages.getOffsetAtLine(line);
			int end = line + 1 < messages.getLineCount() ? messages.getOffsetAtLine(line + 1) - 1
					: messages.getCharCount();
			messages.setSelection(start, end);
		}
	}

	private void send() {
		String text = composer.getText().strip();
		if (text.isEmpty()) {
			return;
		}
		if (SlashCommands.isCommand(text)) {
			composer.setText("");
			SlashCommands.run(text, console);
			return;
		}
		if (node == null || current == null) {
			return;
		}
		if (node.circle(current.circleId()).isEmpty()) {
			reload(); // the circle was left: show where the user is now, not a composer that cannot send
			return;
		}
		try {
			node.send(current.circleId(), current.channelId(), text);
			composer.setText("");
			following = true;
		} catch (IllegalArgumentException | UnsupportedOperationException e) {
			print("\u2717 Not sent: " + e.getMessage());
		}
	}

	private void print(String line) {
		if (transcript == null) {
			transcript = new ChatTranscript(node == null ? "" : node.identity().nodeId(), ZoneId.systemDefault());
		}
		transcript.addLocal(line, Instant.now().getEpochSecond());
		render(true);
	}

	private void reload() {
		if (messages == null || messages.isDisposed()) {
			return;
		}
		long start = System.nanoTime();
		transcript = null;
		rendered = null;
		hasOlder = false;
		following = true;
		unseen = 0;
		showLatestLink();
		composer.setEnabled(node != null);
		String draft = drafts == null ? "" : drafts.get(current);
		if (!composer.getText().equals(draft)) {
			composer.setEnabled(false); // the Modify listener keeps the draft of the channel shown, not this one
			composer.setText(draft);
			composer.setSelection(draft.length());
			composer.setEnabled(node != null);
		}
		if (node == null) {
			header.setText("The node is starting\u2026");
			messages.setText("");
			showOlderLink();
			return;
		}
		transcript = new ChatTranscript(node.identity().nodeId(), ZoneId.systemDefault());
		if (current == null || node.circle(current.circleId()).isEmpty()) {
			header.setText(node.circles().isEmpty() ? "Create a circle or join one with an invite code"
					: "Select a circle or a channel");
			composer.setEnabled(false);
			render(true);
			return;
		}
		updateHeader();
		transcript.showPaths(MessagePaths.shown(showPaths));
		transcript.names(memberNames());
		List<ChatMessage> page = node.history(current.circleId(), current.channelId(), null, PAGE);
		transcript.addMessages(page);
		loadDeliveries(page);
		hasOlder = page.size() == PAGE;
		loadNotes();
		render(true);
		org.felund.ui.internal.PaintProbe.shown(messages, start, !page.isEmpty());
	}

	private void updateHeader() {
		Circle circle = node.circle(current.circleId()).orElse(null);
		if (circle == null) {
			return;
		}
		Channel channel = node.channels(current.circleId()).stream()
				.filter(c -> c.channelId().equals(current.channelId())).findFirst().orElse(null);
		String access = channel == null ? "" : switch (channel.accessMode()) {
		case PUBLIC -> "";
		case KEY -> "  \u00b7  key";
		case INVITE -> "  \u00b7  invite only";
		};
		boolean member = channel == null || channel.accessMode() == AccessMode.PUBLIC
				|| channel.members().contains(node.identity().nodeId());
		header.setText(org.felund.ui.internal.Labels.circle(node, circle) + "   #" + current.channelId() + access + (member ? "" : "  \u00b7  not joined"));
		composer.setEnabled(member);
		header.getParent().layout();
	}

	/** The system lines of this channel, back to the oldest loaded message (or all, once history is complete). */
	private void loadNotes() {
		SyncKey before = null;
		SyncKey oldest = transcript.oldestMessage();
		List<SystemNote> notes = new ArrayList<>();
		for (int i = 0; i < MAX_CONTROL_PAGES; i++) {
			List<ChatMessage> page = node.history(current.circleId(), ChatMessage.CONTROL, before, CONTROL_PAGE);
			for (ChatMessage m : page) {
				node.describe(m).filter(this::belongsHere).ifPresent(notes::add);
			}
			if (page.size() < CONTROL_PAGE) {
				break;
			}
			ChatMessage last = page.get(page.size() - 1);
			before = new SyncKey(last.createdTs(), last.msgId());
			if (hasOlder && oldest != null && before.compareTo(oldest) < 0) {
				break;
			}
		}
		transcript.addNotes(notes);
	}

	/** A system line of this channel, within the stretch of history loaded so far. */
	private boolean belongsHere(SystemNote note) {
		SyncKey oldest = transcript.oldestMessage();
		return note.channelId().equals(current.channelId()) && (!hasOlder || oldest == null
				|| new SyncKey(note.createdTs(), note.msgId()).compareTo(oldest) > 0);
	}

	private void loadOlder() {
		if (!hasOlder || node == null || current == null || transcript == null || messages.isDisposed()) {
			return;
		}
		int linesBefore = messages.getLineCount();
		int topBefore = messages.getTopIndex();
		List<ChatMessage> page = node.history(current.circleId(), current.channelId(), transcript.oldestMessage(),
				PAGE);
		transcript.addMessages(page);
		loadDeliveries(page);
		hasOlder = page.size() == PAGE;
		loadNotes();
		render(false);
		messages.setTopIndex(topBefore + messages.getLineCount() - linesBefore);
	}

	private void showNew(ChatMessage message) {
		if (transcript == null || messages.isDisposed() || current == null
				|| !current.circleId().equals(message.circleId()) || !current.channelId().equals(message.channelId())) {
			return;
		}
		SyncKey oldest = transcript.oldestMessage();
		if (hasOlder && oldest != null && new SyncKey(message.createdTs(), message.msgId()).compareTo(oldest) < 0) {
			return; // older than the loaded pages (a late sync): paging back brings it, without leaving a gap
		}
		boolean atBottom = following || atBottom();
		boolean own = node != null && message.authorNodeId().equals(node.identity().nodeId());
		if (!atBottom && !own && unseen == 0) {
			transcript.markRead(); // a "new messages" divider before this one
		}
		if (transcript.addArrived(message)) {
			if (own) {
				// sent or, when a peer was quicker than this line, delivered already
				node.delivery(message.circleId(), message.msgId()).ifPresent(transcript::delivery);
			}
			if (!atBottom && !own) {
				unseen++;
				showLatestLink();
			}
			render(atBottom || own);
		}
	}

	private void circleChanged() {
		if (node == null || current == null || transcript == null || messages.isDisposed()) {
			return;
		}
		if (node.circle(current.circleId()).isEmpty()) {
			reload();
			return;
		}
		updateHeader();
		transcript.names(memberNames());
		// A change is news: the newest control messages hold it (a full reload reads further back).
		List<SystemNote> notes = new ArrayList<>();
		for (ChatMessage m : node.history(current.circleId(), ChatMessage.CONTROL, null, RECENT_CONTROL)) {
			node.describe(m).filter(this::belongsHere).ifPresent(notes::add);
		}
		transcript.addNotes(notes);
		render(following || atBottom());
	}

	private boolean atBottom() {
		org.eclipse.swt.widgets.ScrollBar bar = messages.getVerticalBar();
		return bar == null || !bar.isVisible()
				|| bar.getSelection() + bar.getThumb() >= bar.getMaximum() - messages.getLineHeight();
	}

	private void scrollToEnd() {
		messages.setTopPixel(Integer.MAX_VALUE / 2);
		following = true;
	}

	/** The user sees the newest message: no "jump to latest". */
	private void caughtUp() {
		if (unseen > 0) {
			unseen = 0;
			showLatestLink();
		}
	}

	private void showLatestLink() {
		boolean show = unseen > 0;
		if (show) {
			latest.setText("<a>\u2193 " + unseen + (unseen == 1 ? " new message" : " new messages")
					+ " \u2014 jump to the latest</a>");
		}
		if (latest.getVisible() != show) {
			latest.setVisible(show);
			((GridData) latest.getLayoutData()).exclude = !show;
			latest.getParent().layout();
		}
	}

	// ---------------------------------------------------------------- links and the context menu

	/** The address of the link under a point of the messages, or null. */
	private String linkAt(int x, int y) {
		int offset;
		try {
			offset = messages.getOffsetAtPoint(new org.eclipse.swt.graphics.Point(x, y));
		} catch (IllegalArgumentException e) {
			return null;
		}
		if (offset < 0) {
			return null;
		}
		StyleRange range = messages.getStyleRangeAtOffset(offset);
		return range != null && range.data instanceof String address ? address : null;
	}

	private void clicked(Event e) {
		if (e.button != 1 || messages.getSelectionCount() > 0) {
			return;
		}
		String address = linkAt(e.x, e.y);
		if (address != null) {
			org.eclipse.swt.program.Program.launch(address);
		}
	}

	private org.eclipse.swt.widgets.Menu messageMenu() {
		org.eclipse.swt.widgets.Menu menu = new org.eclipse.swt.widgets.Menu(messages);
		messages.addListener(SWT.MenuDetect, e -> {
			org.eclipse.swt.graphics.Point p = messages.toControl(e.x, e.y);
			try {
				menuOffset = e.detail == SWT.MENU_KEYBOARD ? messages.getCaretOffset()
						: messages.getOffsetAtPoint(p);
			} catch (IllegalArgumentException ex) {
				menuOffset = -1;
			}
		});
		menu.addListener(SWT.Show, e -> {
			for (org.eclipse.swt.widgets.MenuItem item : menu.getItems()) {
				item.dispose();
			}
			ChatTranscript.Entry entry = rendered == null || menuOffset < 0 ? null
					: rendered.entryAt(menuOffset).orElse(null);
			if (messages.getSelectionCount() > 0) {
				menuItem(menu, "Copy", messages::copy);
			}
			if (entry != null && entry.kind() != ChatTranscript.Kind.LOCAL) {
				menuItem(menu, "Copy text", () -> copy(entry.text()));
				if (entry.kind() == ChatTranscript.Kind.MESSAGE) {
					menuItem(menu, "Copy message id", () -> copy(entry.key().msgId()));
					transcript.deliveryOf(entry.key().msgId()).ifPresent(d -> menuItem(menu, "Copy path",
							() -> copy(org.felund.ui.internal.DeliveryText.pathLine(d, ZoneId.systemDefault(),
									memberNames()))));
				}
			}
			org.eclipse.swt.widgets.MenuItem paths = new org.eclipse.swt.widgets.MenuItem(menu, SWT.CHECK);
			paths.setText("Show message paths\tCtrl+Alt+P");
			paths.setSelection(transcript != null && transcript.showsPaths());
			paths.addListener(SWT.Selection, ev -> MessagePaths.set(application, paths.getSelection()));
			String address = menuOffset < 0 ? null : linkAtOffset(menuOffset);
			if (address != null) {
				menuItem(menu, "Open link", () -> org.eclipse.swt.program.Program.launch(address));
				menuItem(menu, "Copy link", () -> copy(address));
			}
			if (unseen > 0 || !following) {
				menuItem(menu, "Jump to the latest", () -> {
					scrollToEnd();
					caughtUp();
				});
			}
		});
		return menu;
	}

	private String linkAtOffset(int offset) {
		StyleRange range = offset < messages.getCharCount() ? messages.getStyleRangeAtOffset(offset) : null;
		return range != null && range.data instanceof String address ? address : null;
	}

	private static void menuItem(org.eclipse.swt.widgets.Menu menu, String text, Runnable action) {
		org.eclipse.swt.widgets.MenuItem item = new org.eclipse.swt.widgets.MenuItem(menu, SWT.PUSH);
		item.setText(text);
		item.addListener(SWT.Selection, e -> action.run());
	}

	private void copy(String text) {
		org.eclipse.swt.dnd.Clipboard clipboard = new org.eclipse.swt.dnd.Clipboard(messages.getDisplay());
		try {
			clipboard.setContents(new Object[] { text },
					new org.eclipse.swt.dnd.Transfer[] { org.eclipse.swt.dnd.TextTransfer.getInstance() });
		} finally {
			clipboard.dispose();
		}
	}

	private void render(boolean scrollToEnd) {
		showOlderLink();
		ChatTranscript.Rendered r = transcript.render();
		rendered = r;
		Display display = messages.getDisplay();
		// GTK's shadow grey is too dark to read on the dark theme's background
		Color muted = dark ? new Color(org.felund.ui.internal.Theme.pathText(true))
				: display.getSystemColor(SWT.COLOR_WIDGET_DARK_SHADOW);
		Color local = new Color(org.felund.ui.internal.Theme.localText(dark));
		Color ownBackground = new Color(org.felund.ui.internal.Theme.ownBackground(dark));
		Color sent = new Color(org.felund.ui.internal.Theme.sent(dark));
		Color delivered = new Color(org.felund.ui.internal.Theme.delivered(dark));
		Color path = new Color(org.felund.ui.internal.Theme.pathText(dark));
		List<StyleRange> styles = new ArrayList<>();
		for (ChatTranscript.Span s : r.spans()) {
			StyleRange range = new StyleRange();
			range.start = s.start();
			range.length = s.length();
			switch (s.style()) {
			case DAY -> {
				range.foreground = muted;
				range.fontStyle = SWT.ITALIC;
			}
			case TIME -> range.foreground = muted;
			case AUTHOR -> {
				range.foreground = new Color(AuthorColors.of(s.authorNodeId(), dark));
				range.fontStyle = SWT.BOLD;
			}
			case OWN_AUTHOR -> {
				range.foreground = new Color(AuthorColors.of(s.authorNodeId(), dark));
				range.background = ownBackground;
				range.fontStyle = SWT.BOLD;
			}
			case NOTE -> {
				range.foreground = muted;
				range.fontStyle = SWT.ITALIC;
			}
			case LOCAL -> {
				range.foreground = local;
				range.font = JFaceResources.getTextFont();
			}
			case LINK -> {
				range.foreground = display.getSystemColor(SWT.COLOR_LINK_FOREGROUND);
				range.underline = true;
				range.underlineStyle = SWT.UNDERLINE_LINK;
				range.data = s.data();
			}
			case MARKER -> {
				range.foreground = display.getSystemColor(SWT.COLOR_RED);
				range.fontStyle = SWT.BOLD;
			}
			case SENT -> range.foreground = sent;
			case DELIVERED -> {
				range.foreground = delivered;
				range.fontStyle = SWT.BOLD;
			}
			case PATH -> {
				range.foreground = path;
				range.fontStyle = SWT.ITALIC;
			}
			}
			styles.add(range);
		}
		String text = r.text();
		Circle shownCircle = current == null || node == null ? null : node.circle(current.circleId()).orElse(null);
		joinShown = shownCircle != null && org.felund.ui.internal.Labels.joining(node, shownCircle);
		if (joinShown) {
			// after what is there already (e.g. this node's own "joined" line): how the join is going
			String progress = joinProgress(shownCircle);
			String separator = text.isEmpty() ? "" : text.endsWith("\n") ? "\n" : "\n\n";
			styles.add(new StyleRange(text.length() + separator.length(), progress.length(), muted, null, SWT.ITALIC));
			text = text + separator + progress;
		} else if (text.isEmpty() && shownCircle != null) {
			text = "No messages in #" + current.channelId() + " yet.";
			styles.add(new StyleRange(0, text.length(), muted, null, SWT.ITALIC));
		}
		// Ranges must not overlap: a link inside a message body is the only nested span, so it splits nothing
		// else; sort by start so that StyledText takes them.
		styles.sort(java.util.Comparator.comparingInt(x -> x.start));
		messages.setText(text);
		messages.setStyleRanges(styles.toArray(StyleRange[]::new));
		if (scrollToEnd) {
			scrollToEnd();
		}
	}

	/**
	 * While a circle joined by invite has reached nobody: how the join is going (whom the transports try, and what
	 * they reported of each failed attempt), refreshed until someone answers.
	 */
	private String joinProgress(Circle circle) {
		StringBuilder text = new StringBuilder("Joining\u2026 waiting for a member of the circle to answer.\n");
		text.append("Trying ").append(circle.bootstrapPeer()).append(" (the address in the invite)");
		if (node.transports().isEmpty()) {
			text.append(", as soon as a transport runs.");
		} else {
			text.append(" by ").append(String.join(", ", node.transports().keySet())).append('.');
		}
		java.time.format.DateTimeFormatter time = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss")
				.withZone(ZoneId.systemDefault());
		for (org.felund.api.node.ContactFailure f : node.contactFailures(circle.circleId())) {
			text.append("\n").append(time.format(Instant.ofEpochSecond(f.atSeconds()))).append("  ").append(f.peer())
					.append(" (").append(f.transportId()).append("): ").append(f.reason());
		}
		scheduleJoinRefresh();
		return text.toString();
	}

	/** Whether the chat shows a join's progress now (refreshed until the join has an answer, then taken away). */
	private boolean joinShown;
	private boolean joinRefreshScheduled;

	/** While a join waits, what it reports is shown afresh every two seconds. */
	private void scheduleJoinRefresh() {
		if (joinRefreshScheduled) {
			return;
		}
		joinRefreshScheduled = true;
		messages.getDisplay().timerExec(2000, () -> {
			joinRefreshScheduled = false;
			if (!messages.isDisposed() && node != null && current != null && transcript != null && joinShown
					&& node.circle(current.circleId()).isPresent()) {
				updateHeader();
				render(following);
			}
		});
	}

	private void showOlderLink() {
		boolean show = hasOlder;
		if (older.getVisible() != show) {
			if (!show && older.isFocusControl()) {
				// a hidden control keeps no focus: without this, keys (F1…, Ctrl+F) would reach nothing
				messages.setFocus();
			}
			older.setVisible(show);
			((GridData) older.getLayoutData()).exclude = !show;
			older.getParent().layout();
		}
	}

	/** What slash commands typed here may do. */
	private final Console console = new Console() {
		@Override
		public NodeService node() {
			return node;
		}

		@Override
		public List<ChatCommand> contributions() {
			return contributions;
		}

		@Override
		public ChannelRef current() {
			return current;
		}

		@Override
		public void print(String line) {
			ChatPart.this.print(line);
		}

		@Override
		public void select(ChannelRef ref) {
			Selection.select(application, ref);
		}

		@Override
		public void showInvite() {
			if (current != null) {
				Actions.showInvite(messages.getShell(), node, current.circleId());
			}
		}

		@Override
		public void showSettings() {
			Actions.showSettings(messages.getShell(), node, plugins, application);
		}

		@Override
		public void showHelp() {
			Actions.showHelp(messages.getShell(), contributions);
		}

		@Override
		public boolean confirm(String question) {
			// Cancel is the default: Enter does not leave or delete anything.
			return new MessageDialog(messages.getShell(), "Felund", null, question, MessageDialog.CONFIRM, 1, "OK",
					"Cancel") {
				@Override
				protected void configureShell(org.eclipse.swt.widgets.Shell s) {
					super.configureShell(s);
					WidgetIds.tag(s, "felund.confirm");
				}
			}.open() == 0;
		}

		@Override
		public void joinInBackground(String inviteCode, Consumer<Circle> joined) {
			Actions.join(node, application, sync, inviteCode, joined, error -> print("\u2717 " + error));
		}
	};

	/** Whether a detail line with its path follows each of your messages (View ▸ Show message paths). */
	@Inject
	@Optional
	void setShowPaths(@jakarta.inject.Named(MessagePaths.KEY) Boolean show) {
		showPaths = show;
		if (transcript != null && messages != null && !messages.isDisposed()
				&& transcript.showsPaths() != MessagePaths.shown(show)) {
			transcript.showPaths(MessagePaths.shown(show));
			renderKeepingPlace();
		}
	}

	private Boolean showPaths;

	/** The delivery states of the messages of yours in a page of history. */
	private void loadDeliveries(List<ChatMessage> page) {
		String self = node.identity().nodeId();
		List<String> own = page.stream().filter(m -> m.authorNodeId().equals(self)).map(ChatMessage::msgId).toList();
		if (!own.isEmpty()) {
			transcript.deliveries(node.deliveries(current.circleId(), own));
		}
	}

	/** One more hop accepted a message of yours: its mark (and path) change where it is shown. */
	private void delivered(Delivery delivery) {
		if (transcript == null || messages.isDisposed() || current == null
				|| !current.circleId().equals(delivery.circleId()) || !transcript.delivery(delivery)
				|| deliveryRenderQueued) {
			return;
		}
		deliveryRenderQueued = true;
		messages.getDisplay().asyncExec(() -> {
			deliveryRenderQueued = false;
			if (!messages.isDisposed() && transcript != null) {
				renderKeepingPlace();
			}
		});
	}

	/** Renders again where the reader is: at the end when following, else at the same place. */
	private void renderKeepingPlace() {
		boolean end = following || atBottom();
		int top = messages.getTopPixel();
		render(end);
		if (!end) {
			messages.setTopPixel(top);
		}
	}

	/** Members' names by node id, for the paths. */
	private java.util.function.Function<String, String> memberNames() {
		java.util.Map<String, String> names = new java.util.HashMap<>();
		if (node != null && current != null) {
			try {
				for (org.felund.api.model.Member m : node.members(current.circleId())) {
					names.put(m.nodeId(), m.displayName());
				}
			} catch (IllegalArgumentException left) {
				// the circle was left meanwhile: ids only
			}
		}
		return names::get;
	}

	/** Over a message of yours, the tooltip tells its delivery state and path. */
	private void showDeliveryTooltip(int x, int y) {
		String tip = null;
		if (rendered != null && transcript != null) {
			try {
				int offset = messages.getOffsetAtPoint(new org.eclipse.swt.graphics.Point(x, y));
				ChatTranscript.Entry entry = offset < 0 ? null : rendered.entryAt(offset).orElse(null);
				if (entry != null && entry.kind() == ChatTranscript.Kind.MESSAGE) {
					tip = transcript.deliveryTooltip(entry.key().msgId());
				}
			} catch (IllegalArgumentException outside) {
				tip = null;
			}
		}
		if (!java.util.Objects.equals(tip, messages.getToolTipText())) {
			messages.setToolTipText(tip);
		}
	}

	@Focus
	public void setFocus() {
		composer.setFocus();
	}

	@PreDestroy
	public void dispose() {
		if (node != null) {
			node.removeListener(listener);
		}
	}
}
