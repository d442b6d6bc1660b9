package org.felund.ui.parts;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.function.Consumer;

import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.di.extensions.Service;
import org.eclipse.e4.ui.di.Focus;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyleRange;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Link;
import org.eclipse.swt.widgets.ScrollBar;
import org.felund.api.model.AccessMode;
import org.felund.api.model.Channel;
import org.felund.api.model.ChatMessage;
import org.felund.api.model.Circle;
import org.felund.api.model.Delivery;
import org.felund.api.node.NodeListener;
import org.felund.api.node.NodeService;
import org.felund.ui.contrib.ChatCommand;
import org.felund.ui.internal.Actions;
import org.felund.ui.internal.ChannelHistory;
import org.felund.ui.internal.ChannelRef;
import org.felund.ui.internal.ChatLinks;
import org.felund.ui.internal.ChatTranscript;
import org.felund.ui.internal.Console;
import org.felund.ui.internal.DeliveryTooltip;
import org.felund.ui.internal.Drafts;
import org.felund.ui.internal.JoinProgress;
import org.felund.ui.internal.Labels;
import org.felund.ui.internal.MessagePaths;
import org.felund.ui.internal.NodeListeners;
import org.felund.ui.internal.PaintProbe;
import org.felund.ui.internal.Selection;
import org.felund.ui.internal.SlashCommands;
import org.felund.ui.internal.Theme;
import org.felund.ui.internal.TranscriptStyles;
import org.felund.ui.internal.WidgetIds;
import org.felund.ui.settings.PluginConfigurations;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * The messages of the selected channel, with system lines for control events, paged back through history as
 * the user scrolls up; and the composer (Enter sends, Shift+Enter adds a line, / starts a command). The pieces are
 * {@link ChannelHistory} (what is loaded), {@link ChatTranscript} (how it reads), {@link TranscriptStyles} (how it
 * looks), {@link ChatComposer}, {@link MessageMenu}, {@link ChatLinks} and {@link DeliveryTooltip}; this part wires
 * them to the node, the selection and the scroll position.
 */
public class ChatPart {
	/** How far a search result is looked for by paging back. */
	private static final int MAX_REVEAL_PAGES = 20;
	/** While a join waits, what it reports is shown afresh this often. */
	private static final int JOIN_REFRESH_MS = 2000;

	@Inject
	private UISynchronize sync;
	@Inject
	private MApplication application;

	private NodeService node;
	private List<ChatCommand> contributions = List.of();
	private PluginConfigurations plugins;
	private ChannelRef current;
	private ChatTranscript transcript;
	/** The loaded history of the channel shown; null when no channel of a circle is shown. */
	private ChannelHistory history;
	private Label header;
	private Link older;
	private StyledText messages;
	private ChatComposer composer;
	private Link latest;
	private Drafts drafts;
	private boolean dark;
	private Boolean showPaths;
	/** Whether the view follows the newest message (the user has not scrolled up). */
	private boolean following = true;
	/** Messages that arrived while the user was scrolled up. */
	private int unseen;
	private ChatTranscript.Rendered rendered;
	/** A render for delivery changes is queued (a burst of acknowledgements is shown in one go). */
	private boolean deliveryRenderQueued;
	/** Whether the chat shows a join's progress now (refreshed until the join has an answer, then taken away). */
	private boolean joinShown;
	private boolean joinRefreshScheduled;
	private final NodeListener listener = new NodeListener() {
		@Override
		public void messageAdded(ChatMessage message) {
			if (isShown(message.circleId(), message.channelId())) {
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
		createMessages(parent);
		latest = WidgetIds.tag(new Link(parent, SWT.NONE), "chat.latest");
		latest.setLayoutData(new GridData(SWT.END, SWT.CENTER, true, false));
		latest.addListener(SWT.Selection, e -> jumpToLatest());
		showLatestLink();
		composer = new ChatComposer(parent, () -> contributions, this::send);
		composer.setDrafts(drafts);
		MessagePaths.publish(application);
		reload();
	}

	private void createMessages(Composite parent) {
		messages = WidgetIds.tag(new StyledText(parent, SWT.BORDER | SWT.V_SCROLL | SWT.WRAP | SWT.READ_ONLY),
				"chat.messages");
		messages.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
		messages.setMargins(6, 4, 6, 4);
		messages.setLineSpacing(2);
		// Wrapped lines start under the text, past the time.
		GC gc = new GC(messages);
		try {
			messages.setWrapIndent(gc.textExtent("00:00  ").x);
		} finally {
			gc.dispose();
		}
		// Scrolling to the very top pages back through history; to the bottom, catches up.
		messages.getVerticalBar().addListener(SWT.Selection, e -> {
			if (hasOlder() && messages.getTopIndex() == 0) {
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
		ChatLinks.install(messages);
		DeliveryTooltip.install(messages, () -> transcript, () -> rendered);
		MessageMenu.install(messages, application, new MessageMenu.Chat() {
			@Override
			public ChatTranscript transcript() {
				return transcript;
			}

			@Override
			public ChatTranscript.Rendered rendered() {
				return rendered;
			}

			@Override
			public java.util.function.Function<String, String> memberNames() {
				return ChannelHistory.memberNames(node, current);
			}

			@Override
			public boolean behind() {
				return unseen > 0 || !following;
			}

			@Override
			public void jumpToLatest() {
				ChatPart.this.jumpToLatest();
			}
		});
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
	void setDark(@Named(Theme.DARK_KEY) Boolean isDark) {
		boolean d = Boolean.TRUE.equals(isDark);
		if (d != dark) {
			dark = d;
			if (messages != null && !messages.isDisposed() && transcript != null) {
				render(following);
			}
		}
	}

	@Inject
	@Optional
	void setDrafts(Drafts d) {
		drafts = d;
		if (composer != null) {
			composer.setDrafts(d);
		}
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
		if (!isShown(reveal.circleId(), reveal.channelId()) || transcript == null || history == null) {
			return;
		}
		if (history.hasOlder() && !transcript.containsMessage(reveal.msgId())) {
			keepingPlace(() -> history.pageBackTo(reveal.msgId(), MAX_REVEAL_PAGES));
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

	/** Whether a detail line with its path follows each of your messages (View ▸ Show message paths). */
	@Inject
	@Optional
	void setShowPaths(@Named(MessagePaths.KEY) Boolean show) {
		showPaths = show;
		if (transcript != null && messages != null && !messages.isDisposed()
				&& transcript.showsPaths() != MessagePaths.shown(show)) {
			transcript.showPaths(MessagePaths.shown(show));
			renderKeepingPlace();
		}
	}

	private boolean isShown(String circleId, String channelId) {
		ChannelRef ref = current;
		return ref != null && ref.circleId().equals(circleId) && ref.channelId().equals(channelId);
	}

	private boolean hasOlder() {
		return history != null && history.hasOlder();
	}

	private void send() {
		String text = composer.text().strip();
		if (text.isEmpty()) {
			return;
		}
		if (SlashCommands.isCommand(text)) {
			composer.clear();
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
			composer.clear();
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
		history = null;
		rendered = null;
		following = true;
		unseen = 0;
		showLatestLink();
		composer.showDraftOf(current, node != null);
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
		history = new ChannelHistory(node, current, transcript);
		transcript.names(history.memberNames());
		boolean hasMessages = history.loadNewest();
		render(true);
		PaintProbe.shown(messages, start, hasMessages);
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
		header.setText(Labels.circle(node, circle) + "   #" + current.channelId() + access
				+ (member ? "" : "  \u00b7  not joined"));
		composer.setEnabled(member);
		header.getParent().layout();
	}

	private void loadOlder() {
		if (!hasOlder() || node == null || transcript == null || messages.isDisposed()) {
			return;
		}
		keepingPlace(history::loadOlder);
	}

	/** Loads more history above what is shown, and keeps the lines the reader sees where they are. */
	private void keepingPlace(Runnable load) {
		int linesBefore = messages.getLineCount();
		int topBefore = messages.getTopIndex();
		load.run();
		render(false);
		messages.setTopIndex(topBefore + messages.getLineCount() - linesBefore);
	}

	private void showNew(ChatMessage message) {
		if (transcript == null || messages.isDisposed() || !isShown(message.circleId(), message.channelId())) {
			return;
		}
		if (history != null && history.beforeLoaded(message)) {
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
		if (node.circle(current.circleId()).isEmpty() || history == null) {
			reload();
			return;
		}
		updateHeader();
		transcript.names(history.memberNames());
		history.addRecentNotes();
		render(following || atBottom());
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

	// ---------------------------------------------------------------- where the reader is

	private boolean atBottom() {
		ScrollBar bar = messages.getVerticalBar();
		return bar == null || !bar.isVisible()
				|| bar.getSelection() + bar.getThumb() >= bar.getMaximum() - messages.getLineHeight();
	}

	private void scrollToEnd() {
		messages.setTopPixel(Integer.MAX_VALUE / 2);
		following = true;
	}

	private void jumpToLatest() {
		scrollToEnd();
		caughtUp();
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

	private void showOlderLink() {
		boolean show = hasOlder();
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

	// ---------------------------------------------------------------- rendering

	/** Renders again where the reader is: at the end when following, else at the same place. */
	private void renderKeepingPlace() {
		boolean end = following || atBottom();
		int top = messages.getTopPixel();
		render(end);
		if (!end) {
			messages.setTopPixel(top);
		}
	}

	private void render(boolean scrollToEnd) {
		showOlderLink();
		ChatTranscript.Rendered r = transcript.render();
		rendered = r;
		Color muted = TranscriptStyles.muted(messages.getDisplay(), dark);
		List<StyleRange> styles = new java.util.ArrayList<>(TranscriptStyles.of(r.spans(), messages.getDisplay(), dark));
		String text = r.text();
		Circle shownCircle = current == null || node == null ? null : node.circle(current.circleId()).orElse(null);
		joinShown = shownCircle != null && Labels.joining(node, shownCircle);
		if (joinShown) {
			// after what is there already (e.g. this node's own "joined" line): how the join is going
			String progress = JoinProgress.text(node, shownCircle, ZoneId.systemDefault());
			scheduleJoinRefresh();
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

	/** While a join waits, what it reports is shown afresh every two seconds. */
	private void scheduleJoinRefresh() {
		if (joinRefreshScheduled) {
			return;
		}
		joinRefreshScheduled = true;
		messages.getDisplay().timerExec(JOIN_REFRESH_MS, () -> {
			joinRefreshScheduled = false;
			if (!messages.isDisposed() && node != null && current != null && transcript != null && joinShown
					&& node.circle(current.circleId()).isPresent()) {
				updateHeader();
				render(following);
			}
		});
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
