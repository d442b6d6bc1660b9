package org.felund.ui.addons;

import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.di.extensions.Service;
import org.eclipse.e4.ui.di.UIEventTopic;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.basic.MWindow;
import org.eclipse.e4.ui.workbench.UIEvents;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Listener;
import org.eclipse.swt.widgets.Shell;
import org.felund.api.model.ChatMessage;
import org.felund.api.model.Channel;
import org.felund.api.model.Circle;
import org.felund.api.node.NodeListener;
import org.felund.api.node.NodeService;
import org.felund.ui.dialogs.NotificationPopup;
import org.felund.ui.internal.Actions;
import org.felund.ui.internal.ChannelRef;
import org.felund.ui.internal.ChatTranscript;
import org.felund.ui.internal.DesktopNotifications;
import org.felund.ui.internal.Drafts;
import org.felund.ui.internal.Theme;
import org.felund.ui.internal.TrayIcon;
import org.felund.ui.internal.WindowMemory;
import org.felund.ui.internal.FelundPreferenceStore;
import org.felund.ui.internal.MessageIndex;
import org.felund.ui.internal.NodeJobs;
import org.felund.ui.internal.Selection;
import org.felund.ui.internal.UiPreferences;
import org.felund.ui.internal.UnreadCounts;
import org.felund.ui.internal.WidgetIds;
import org.felund.ui.settings.PluginConfigurations;
import org.osgi.service.event.Event;
import org.osgi.service.prefs.BackingStoreException;
import org.osgi.service.prefs.Preferences;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

/**
 * What the workbench does besides its parts: unread counts (tree and window title), notifications while the
 * window is in the background, the in-memory search index, and the first-run setup. It publishes
 * {@link UnreadCounts} and {@link MessageIndex} in the application context for parts and handlers.
 */
public class FelundAddon {
	private static final System.Logger LOG = System.getLogger(FelundAddon.class.getName());
	/** Unread counts are written to disk at most this often. */
	private static final int SAVE_DELAY_MS = 2000;
	private static final int INDEX_PAGE = 1000;

	@Inject
	private MApplication application;
	@Inject
	private UISynchronize sync;

	private Display display;
	private NodeService node;
	private ChannelRef current;
	private UnreadCounts unread;
	private Drafts drafts;
	private WindowMemory memory;
	/** A {@code felund1.} code from the command line, joined once the node is there. */
	private String codeToJoin;
	private MessageIndex index;
	private Preferences unreadStore;
	private String baseTitle;
	private boolean started;
	private boolean setupChecked;
	private boolean indexed;
	private boolean saveScheduled;
	private Shell mainShell;
	private TrayIcon tray;
	private DesktopNotifications desktop;
	private final Listener activated = e -> markCurrentRead();
	private final NodeListener listener = new NodeListener() {
		@Override
		public void messageAdded(ChatMessage message) {
			MessageIndex i = index;
			if (i != null) {
				try {
					i.add(List.of(message));
				} catch (IllegalStateException e) {
					LOG.log(Level.WARNING, e.getMessage());
				}
			}
			sync.asyncExec(() -> arrived(message));
		}

		@Override
		public void circleChanged(String circleId) {
			sync.asyncExec(() -> circleChangedOnUi(circleId));
		}
	};

	@PostConstruct
	void init(IEclipseContext context) {
		display = Display.getCurrent();
		unreadStore = UiPreferences.instance().node(UiPreferences.UNREAD_NODE);
		unread = new UnreadCounts(saved(unreadStore, (store, key) -> store.getInt(key, 0), "unread counts"), (key, n) -> {
			if (n == 0) {
				unreadStore.remove(key);
			} else {
				unreadStore.putInt(key, n);
			}
			scheduleSave();
		});
		unread.addListener(this::updateTitle);
		desktop = DesktopNotifications.forThisSession();
		context.set(UnreadCounts.class, unread);
		Preferences draftStore = UiPreferences.instance().node(UiPreferences.DRAFTS_NODE);
		drafts = new Drafts(saved(draftStore, (store, key) -> store.get(key, ""), "drafts"), (key, text) -> {
			if (text.isEmpty()) {
				draftStore.remove(key);
			} else {
				draftStore.put(key, text);
			}
			scheduleSave();
		});
		context.set(Drafts.class, drafts);
		memory = new WindowMemory(UiPreferences.instance());
		codeToJoin = inviteCodeIn(List.of(org.eclipse.core.runtime.Platform.getApplicationArgs()));
		try {
			index = new MessageIndex();
			context.set(MessageIndex.class, index);
		} catch (IllegalStateException e) {
			LOG.log(Level.WARNING, "Search is off: " + e.getMessage());
		}
	}

	/**
	 * The CSS theme engine appears while the workbench prepares its first window: the theme the person wants (or the
	 * system prefers) is set before anything is drawn.
	 */
	@Inject
	@Optional
	void themeEngine(org.eclipse.e4.ui.css.swt.theme.IThemeEngine engine) {
		if (engine != null) {
			Theme.apply(application.getContext(), FelundPreferenceStore.workbench().getString(Theme.PREFERENCE));
		}
	}

	/** Every entry of a preference node, read by {@code value}; {@code what} names them in a warning. */
	private static <T> Map<String, T> saved(Preferences store, BiFunction<Preferences, String, T> value,
			String what) {
		Map<String, T> saved = new HashMap<>();
		try {
			for (String key : store.keys()) {
				saved.put(key, value.apply(store, key));
			}
		} catch (BackingStoreException e) {
			LOG.log(Level.WARNING, "Cannot read the " + what + ": " + e.getMessage());
		}
		return saved;
	}

	private static String inviteCodeIn(List<String> args) {
		return args.stream().map(String::strip).filter(a -> a.startsWith("felund1.")).findFirst().orElse(null);
	}

	/** A later launch on this home: bring the window forward, and join the code it was given. */
	@Inject
	@Optional
	void anotherLaunch(@UIEventTopic(LifeCycle.TOPIC_ACTIVATE) List<String> args) {
		bringForward();
		String code = inviteCodeIn(args);
		if (code != null) {
			codeToJoin = code;
			afterStart();
		}
	}

	@Inject
	@Optional
	void setNode(@Service NodeService service) {
		if (node == service) {
			return;
		}
		if (node != null) {
			node.removeListener(listener);
		}
		node = service;
		if (node != null) {
			node.addListener(listener);
			indexed = false;
			sync.asyncExec(this::afterStart);
		}
	}

	@Inject
	@Optional
	void setChannel(ChannelRef ref) {
		current = ref;
		markCurrentRead();
	}

	@Inject
	@Optional
	void startupComplete(@UIEventTopic(UIEvents.UILifeCycle.APP_STARTUP_COMPLETE) Event event) {
		started = true;
		MWindow window = mainWindow();
		if (window != null && window.getWidget() instanceof Shell shell) {
			mainShell = WidgetIds.tag(shell, "main.window");
			baseTitle = window.getLabel();
			shell.addListener(SWT.Activate, activated);
			memory.restore(shell);
			createTray(shell);
			// Saved when the window closes, while its bounds are still there to read.
			shell.addListener(SWT.Close, e -> saveWindow());
			// The main menu is rendered after the first layout; without a window manager no resize follows, and
			// the bottom trim (the status line) would stay where the client area ended before the menu took room.
			display.asyncExec(() -> {
				if (!shell.isDisposed()) {
					shell.layout(true, true);
				}
			});
		}
		updateTitle();
		afterStart();
	}

	/** Once both the window and the node are there: index the history, and run the setup on a first start. */
	private void afterStart() {
		if (!started || node == null) {
			return;
		}
		if (!indexed && index != null) {
			indexed = true;
			indexHistory(node);
		}
		if (!setupChecked) {
			setupChecked = true;
			FelundPreferenceStore prefs = FelundPreferenceStore.workbench();
			boolean setupDue = !prefs.getBoolean(UiPreferences.SETUP_DONE) && node.circles().isEmpty();
			if (!setupDue) {
				Actions.connect(node); // answered before (or a home the command line set up)
			}
			if (setupDue && mainShell != null) {
				NodeService n = node;
				display.asyncExec(() -> {
					if (!mainShell.isDisposed()) {
						Actions.runSetup(mainShell, n, application.getContext().get(PluginConfigurations.class),
								application, sync);
					}
				});
			} else if (current == null) {
				ChannelRef last = memory.shown();
				if (last != null && node.circle(last.circleId()).isPresent()) {
					Selection.select(application, last);
				} else {
					node.circles().stream().findFirst().ifPresent(c -> Selection.select(application,
							new ChannelRef(c.circleId(), ChannelRef.DEFAULT_CHANNEL)));
				}
			}
		}
		if (codeToJoin != null && mainShell != null) {
			String code = codeToJoin;
			codeToJoin = null;
			Actions.join(mainShell, node, application, sync, code);
		}
	}

	/** The tray icon, where the desktop has a system tray. */
	private void createTray(Shell shell) {
		if (shell.getImage() == null && shell.getImages().length == 0) {
			return;
		}
		org.eclipse.swt.graphics.Image icon = shell.getImages().length > 0 ? shell.getImages()[0] : shell.getImage();
		try {
			tray = TrayIcon.create(shell, icon, this::bringForward, this::quit);
		} catch (org.eclipse.swt.SWTError | RuntimeException e) {
			LOG.log(Level.INFO, "No tray icon: " + e.getMessage());
		}
		if (tray != null) {
			tray.update(unread.total());
		}
	}

	/** The main window comes forward: shown (from the tray), restored and active. */
	private void bringForward() {
		if (mainShell != null && !mainShell.isDisposed()) {
			mainShell.setVisible(true);
			mainShell.setMinimized(false);
			mainShell.forceActive();
		}
	}

	/** Quit from the tray: the same command as Ctrl+Q (which asks about unsent messages). */
	private void quit() {
		org.eclipse.e4.core.commands.ECommandService commands = application.getContext()
				.get(org.eclipse.e4.core.commands.ECommandService.class);
		org.eclipse.e4.core.commands.EHandlerService handlers = application.getContext()
				.get(org.eclipse.e4.core.commands.EHandlerService.class);
		if (commands != null && handlers != null) {
			handlers.executeHandler(commands.createCommand("org.felund.ui.command.quit", null));
		}
	}

	private void saveWindow() {
		if (mainShell != null) {
			memory.save(mainShell, current);
			save();
		}
	}

	/** Reads every circle's history into the search index in the background. */
	private void indexHistory(NodeService n) {
		MessageIndex i = index;
		Job job = NodeJobs.job("Indexing messages for search", monitor -> {
			List<Circle> circles = n.circles();
			monitor.beginTask("Indexing messages for search", circles.size());
			for (Circle c : circles) {
				if (monitor.isCanceled()) {
					return;
				}
				try {
					for (Channel ch : n.channels(c.circleId())) {
						org.felund.api.store.SyncKey before = null;
						while (true) {
							List<ChatMessage> page = n.history(c.circleId(), ch.channelId(), before, INDEX_PAGE);
							i.add(page);
							if (page.size() < INDEX_PAGE) {
								break;
							}
							ChatMessage last = page.get(page.size() - 1);
							before = new org.felund.api.store.SyncKey(last.createdTs(), last.msgId());
						}
					}
				} catch (IllegalArgumentException e) {
					// the circle was left while indexing
				}
				monitor.worked(1);
			}
			monitor.done();
		});
		job.setSystem(true);
		job.schedule();
	}

	private void arrived(ChatMessage message) {
		if (node == null || message.authorNodeId().equals(node.identity().nodeId())) {
			return;
		}
		boolean looking = focused() && current != null && current.circleId().equals(message.circleId())
				&& current.channelId().equals(message.channelId());
		if (looking) {
			return;
		}
		unread.increment(message.circleId(), message.channelId());
		if (!focused() && FelundPreferenceStore.workbench().getBoolean(UiPreferences.NOTIFY)) {
			notify(message);
		}
	}

	private void notify(ChatMessage message) {
		String circle = node.circle(message.circleId()).map(c -> org.felund.ui.internal.Labels.circle(node, c)).orElse("a circle");
		String author = message.displayName().isBlank() ? ChatTranscript.shortId(message.authorNodeId())
				: message.displayName();
		boolean preview = FelundPreferenceStore.workbench().getBoolean(UiPreferences.NOTIFY_PREVIEW);
		String body = preview ? abbreviate(message.text(), 160) : "New message";
		String title = author + " in " + circle + " #" + message.channelId();
		Runnable open = () -> {
			Selection.select(application, new ChannelRef(message.circleId(), message.channelId()));
			bringForward();
		};
		Runnable popup = () -> NotificationPopup.show(display, title, body, open);
		if (!FelundPreferenceStore.workbench().getBoolean(UiPreferences.NOTIFY_NATIVE) || !desktop.possible()) {
			popup.run();
			return;
		}
		desktop.show(title, body, () -> onUi(open), () -> onUi(popup));
	}

	private void onUi(Runnable r) {
		if (!display.isDisposed()) {
			display.asyncExec(() -> {
				if (!display.isDisposed()) {
					r.run();
				}
			});
		}
	}

	private static String abbreviate(String text, int max) {
		String oneLine = text.replaceAll("\\s+", " ").strip();
		return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 1) + "\u2026";
	}

	private void circleChangedOnUi(String circleId) {
		if (node != null && node.circle(circleId).isEmpty()) {
			unread.forgetCircle(circleId);
			drafts.forgetCircle(circleId);
			if (index != null) {
				index.removeCircle(circleId);
			}
		}
	}

	/** Whether the user is in this window (the main window or one of its dialogs is active). */
	private boolean focused() {
		Shell active = display.getActiveShell();
		while (active != null) {
			if (active == mainShell) {
				return true;
			}
			active = active.getParent() instanceof Shell parent ? parent : null;
		}
		return false;
	}

	private void markCurrentRead() {
		if (current != null && focused()) {
			unread.clear(current.circleId(), current.channelId());
		}
	}

	private MWindow mainWindow() {
		return application.getChildren().isEmpty() ? null : application.getChildren().get(0);
	}

	private void updateTitle() {
		MWindow window = mainWindow();
		if (window == null || baseTitle == null) {
			return;
		}
		int total = unread.total();
		if (tray != null) {
			tray.update(total);
		}
		window.setLabel(total == 0 ? baseTitle : baseTitle + " (" + total + " unread)");
	}

	private void scheduleSave() {
		if (saveScheduled || display == null || display.isDisposed()) {
			return;
		}
		saveScheduled = true;
		display.timerExec(SAVE_DELAY_MS, this::save);
	}

	private void save() {
		saveScheduled = false;
		try {
			UiPreferences.instance().flush();
		} catch (BackingStoreException | IllegalStateException e) {
			LOG.log(Level.WARNING, "Cannot save the unread counts: " + e.getMessage());
		}
	}

	@PreDestroy
	void dispose() {
		if (node != null) {
			node.removeListener(listener);
		}
		if (mainShell != null && !mainShell.isDisposed()) {
			mainShell.removeListener(SWT.Activate, activated);
		}
		saveWindow();
		save();
		if (index != null) {
			index.close();
		}
		if (tray != null) {
			tray.dispose();
		}
		desktop.close();
	}
}
