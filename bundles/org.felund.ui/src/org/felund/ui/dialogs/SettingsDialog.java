package org.felund.ui.dialogs;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.eclipse.jface.preference.BooleanFieldEditor;
import org.eclipse.jface.preference.FieldEditorPreferencePage;
import org.eclipse.jface.preference.IPreferenceNode;
import org.eclipse.jface.preference.IPreferencePage;
import org.eclipse.jface.preference.PreferenceDialog;
import org.eclipse.jface.preference.PreferenceManager;
import org.eclipse.jface.preference.PreferenceNode;
import org.eclipse.jface.preference.PreferencePage;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.jface.viewers.Viewer;
import org.eclipse.jface.viewers.ViewerComparator;
import org.eclipse.swt.SWT;
import org.eclipse.swt.SWTException;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.felund.api.node.NodeService;
import org.felund.ui.internal.FelundPreferenceStore;
import org.felund.ui.internal.Theme;
import org.felund.ui.internal.UiPreferences;
import org.felund.ui.internal.WidgetIds;
import org.felund.ui.settings.ConfigurationPage;
import org.felund.ui.settings.PluginConfiguration;
import org.felund.ui.settings.PluginConfigurations;

/**
 * F3: the node's own page (display name), the workbench's notifications, then one page per plugin configuration
 * ({@link PluginConfigurations}), made from its metatype and saved through Configuration Admin. Pages of plugins
 * that start or stop while the dialog is open come and go with them.
 */
public final class SettingsDialog extends PreferenceDialog {
	private static final String PROFILE = "profile";
	private static final String NOTIFICATIONS = "notifications";
	private static final String APPEARANCE = "appearance";
	private static final String HISTORY = "history";
	private static final String PLUGIN = "plugin:";

	private final PluginConfigurations plugins;
	private final Runnable pluginsChanged = this::pluginsChanged;
	private volatile Display display;
	private boolean refreshQueued;

	private SettingsDialog(Shell parent, PreferenceManager pages, PluginConfigurations plugins) {
		super(parent, pages);
		this.plugins = plugins;
	}

	/**
	 * Opens the dialog; returns true when the user pressed OK (every page has applied its values then).
	 *
	 * @param node the node, or null while it starts (the name cannot be changed then)
	 * @param plugins the plugin configurations, or null when they cannot be tracked
	 */
	public static boolean show(Shell parent, FelundPreferenceStore store, NodeService node,
			PluginConfigurations plugins) {
		return show(parent, store, node, plugins, null, null, null);
	}

	/**
	 * As {@link #show(Shell, FelundPreferenceStore, NodeService, PluginConfigurations)}, showing a page first.
	 *
	 * @param page {@code history}, {@code appearance}, …, or null for the first
	 * @param circleId with the history page: the circle to show, or null
	 * @param channelId with the history page: the channel to show, or null for the circle
	 * @param applyTheme applies a theme preference at once (the appearance page), or null
	 */
	public static boolean show(Shell parent, FelundPreferenceStore store, NodeService node,
			PluginConfigurations plugins, String page, String circleId, String channelId) {
		return show(parent, store, node, plugins, page, circleId, channelId, null);
	}

	public static boolean show(Shell parent, FelundPreferenceStore store, NodeService node,
			PluginConfigurations plugins, String page, String circleId, String channelId,
			java.util.function.Consumer<String> applyTheme) {
		PreferenceManager pages = new PreferenceManager('/'); // PIDs have dots
		pages.addToRoot(new PreferenceNode(PROFILE, new ProfilePage(node)));
		pages.addToRoot(new PreferenceNode(NOTIFICATIONS, new NotificationsPage()));
		pages.addToRoot(new PreferenceNode(APPEARANCE, new AppearancePage(applyTheme)));
		pages.addToRoot(new PreferenceNode(HISTORY,
				new HistoryPage(node, circleId == null ? null : new HistoryPage.Scope(circleId, channelId))));
		if (plugins != null) {
			for (PluginConfiguration c : plugins.list()) {
				pages.addToRoot(pluginNode(c, plugins));
			}
		}
		SettingsDialog dialog = new SettingsDialog(parent, pages, plugins);
		dialog.setPreferenceStore(store);
		if (page != null) {
			dialog.setSelectedNode(page);
		}
		return dialog.open() == OK;
	}

	private static PreferenceNode pluginNode(PluginConfiguration c, PluginConfigurations plugins) {
		return new PreferenceNode(PLUGIN + c.pid(), new ConfigurationPage(c, plugins));
	}

	@Override
	protected void configureShell(Shell shell) {
		super.configureShell(shell);
		shell.setText("Felund settings");
		WidgetIds.tag(shell, "settings.dialog");
	}

	@Override
	protected Control createContents(Composite parent) {
		Control contents = super.createContents(parent);
		WidgetIds.tag(getTreeViewer().getControl(), "settings.pages");
		// The node's and the workbench's pages first, then the plugins' by name.
		getTreeViewer().setComparator(new ViewerComparator() {
			@Override
			public int category(Object element) {
				String id = ((IPreferenceNode) element).getId();
				return switch (id) {
				case PROFILE -> 0;
				case NOTIFICATIONS -> 1;
				case APPEARANCE -> 2;
				case HISTORY -> 3;
				default -> 4;
				};
			}

			@Override
			public int compare(Viewer viewer, Object a, Object b) {
				int byCategory = Integer.compare(category(a), category(b));
				return byCategory != 0 ? byCategory
						: ((IPreferenceNode) a).getLabelText().compareToIgnoreCase(((IPreferenceNode) b).getLabelText());
			}
		});
		display = getShell().getDisplay();
		if (plugins != null) {
			plugins.addListener(pluginsChanged);
			getShell().addListener(SWT.Dispose, e -> plugins.removeListener(pluginsChanged));
		}
		return contents;
	}

	/** Wide enough for plugins' names (JFace's default cuts them off). */
	@Override
	protected void layoutTreeAreaControl(Control control) {
		super.layoutTreeAreaControl(control);
		GridData data = (GridData) control.getLayoutData();
		data.widthHint = Math.max(data.widthHint, Math.max(230, control.computeSize(SWT.DEFAULT, SWT.DEFAULT).x));
	}

	@Override
	protected void createButtonsForButtonBar(Composite buttons) {
		super.createButtonsForButtonBar(buttons);
		WidgetIds.tag(getButton(OK), "settings.ok");
		WidgetIds.tag(getButton(CANCEL), "settings.cancel");
	}

	/** The page shown now. */
	public IPreferencePage currentPage() {
		return getCurrentPage();
	}

	/**
	 * Shows a page: {@code profile}, {@code notifications}, {@code appearance}, {@code history} or
	 * {@code plugin:<pid>}; false when there is none.
	 */
	public boolean select(String pageId) {
		IPreferenceNode node = getPreferenceManager().find(pageId);
		if (node == null) {
			return false;
		}
		getTreeViewer().setSelection(new StructuredSelection(node), true);
		return getCurrentPage() == node.getPage();
	}

	/** Called on framework threads; bundle events come in bursts: one refresh on the UI thread per burst. */
	private void pluginsChanged() {
		Display display = this.display;
		synchronized (this) {
			if (refreshQueued || display == null || display.isDisposed()) {
				return;
			}
			refreshQueued = true;
		}
		try {
			display.asyncExec(() -> {
				synchronized (this) {
					refreshQueued = false;
				}
				if (getShell() != null && !getShell().isDisposed()) {
					refreshPluginPages();
				}
			});
		} catch (SWTException e) {
			// the display went away meanwhile: so did the dialog
		}
	}

	private void refreshPluginPages() {
		PreferenceManager manager = getPreferenceManager();
		Map<String, PluginConfiguration> wanted = new HashMap<>();
		for (PluginConfiguration c : plugins.list()) {
			wanted.put(PLUGIN + c.pid(), c);
		}
		Set<String> shown = Stream.of(manager.getRootSubNodes()).map(IPreferenceNode::getId).collect(Collectors.toSet());
		boolean changed = false;
		for (IPreferenceNode node : manager.getRootSubNodes()) {
			if (node.getId().startsWith(PLUGIN) && !wanted.containsKey(node.getId())) {
				removePage(manager, node);
				changed = true;
			}
		}
		for (Map.Entry<String, PluginConfiguration> e : wanted.entrySet()) {
			if (!shown.contains(e.getKey())) {
				manager.addToRoot(pluginNode(e.getValue(), plugins));
				changed = true;
			}
		}
		if (changed) {
			getTreeViewer().refresh();
		}
	}

	/** A plugin went away: its page goes, unsaved (its configuration stays for when it comes back). */
	private void removePage(PreferenceManager manager, IPreferenceNode node) {
		IPreferencePage page = node.getPage();
		if (page != null && page == getCurrentPage()) {
			if (page instanceof PreferencePage p) {
				p.setErrorMessage(null);
				p.setValid(true);
			}
			getTreeViewer().setSelection(new StructuredSelection(manager.find(PROFILE)), true);
		}
		manager.remove(node);
		if (page != null && page != getCurrentPage()) {
			// a page leaves its control to the dialog, which would keep it (hidden) until it closes
			if (page.getControl() != null) {
				page.getControl().dispose();
			}
			node.disposeResources();
		}
	}

	/** The node's own settings: the name others see. */
	static final class ProfilePage extends PreferencePage {
		private final NodeService node;
		private Text name;

		ProfilePage(NodeService node) {
			super("Profile");
			this.node = node;
			setDescription("How others in your circles see you.");
			noDefaultAndApplyButton();
		}

		@Override
		protected Control createContents(Composite parent) {
			Composite form = new Composite(parent, SWT.NONE);
			form.setLayout(new GridLayout(2, false));
			new Label(form, SWT.NONE).setText("Display name:");
			name = WidgetIds.tag(new Text(form, SWT.BORDER), "settings.name");
			GridData data = new GridData(SWT.FILL, SWT.CENTER, true, false);
			data.widthHint = 260;
			name.setLayoutData(data);
			name.setTextLimit(80);
			if (node == null) {
				name.setEnabled(false);
				setMessage("The node is still starting; the name can be changed in a moment.");
			} else {
				name.setText(node.identity().displayName());
			}
			name.addListener(SWT.Modify, e -> validate());
			Label note = new Label(form, SWT.WRAP);
			note.setText("A new name is announced to every circle you are in. How this computer connects to others is "
					+ "set on the pages of the transports that are installed.");
			GridData noteData = new GridData(SWT.FILL, SWT.TOP, true, false, 2, 1);
			noteData.widthHint = 380;
			note.setLayoutData(noteData);
			validate();
			return form;
		}

		private void validate() {
			String error = nameError(name.getText());
			setErrorMessage(node == null ? null : error);
			setValid(node == null || error == null);
		}

		@Override
		public boolean performOk() {
			if (node == null || name == null) {
				return true;
			}
			String wanted = name.getText().strip();
			if (wanted.equals(node.identity().displayName())) {
				return true;
			}
			try {
				node.setDisplayName(wanted);
				return true;
			} catch (IllegalArgumentException | UnsupportedOperationException e) {
				setErrorMessage("The node refused the name: " + e.getMessage());
				return false;
			}
		}
	}

	/** Why a display name cannot be used, or null. */
	public static String nameError(String name) {
		String n = name.strip();
		if (n.isEmpty()) {
			return "Tell the others your name";
		}
		if (n.codePointCount(0, n.length()) > 40) {
			return "A name has at most 40 characters";
		}
		return null;
	}

	static final class NotificationsPage extends FieldEditorPreferencePage {
		NotificationsPage() {
			super("Notifications", GRID);
			setDescription("What happens when a message arrives while Felund is in the background.");
		}

		@Override
		protected void createFieldEditors() {
			addField(new BooleanFieldEditor(UiPreferences.NOTIFY, "Show a notification for new messages",
					getFieldEditorParent()));
			addField(new BooleanFieldEditor(UiPreferences.NOTIFY_PREVIEW, "Show the text of the message in it",
					getFieldEditorParent()));
			addField(new BooleanFieldEditor(UiPreferences.NOTIFY_NATIVE,
					"Use the desktop's notifications when it has them (else Felund's own popup)",
					getFieldEditorParent()));
			Label note = new Label(getFieldEditorParent(), SWT.WRAP);
			note.setText("The window title, and the Felund icon in the system tray when the desktop has one, always show "
					+ "how many messages you have not read.");
			GridData data = new GridData(SWT.FILL, SWT.TOP, true, false, 2, 1);
			data.widthHint = 380;
			note.setLayoutData(data);
		}
	}

	/** Light or dark, or as the system prefers; applied when the page is applied. */
	static final class AppearancePage extends FieldEditorPreferencePage {
		private final java.util.function.Consumer<String> applyTheme;

		AppearancePage(java.util.function.Consumer<String> applyTheme) {
			super("Appearance", GRID);
			this.applyTheme = applyTheme;
			setDescription("How Felund looks.");
		}

		@Override
		protected void createFieldEditors() {
			addField(new org.eclipse.jface.preference.RadioGroupFieldEditor(Theme.PREFERENCE, "Theme", 1,
					new String[][] { { "As the system prefers", Theme.SYSTEM }, { "Light", "light" },
							{ "Dark", "dark" } },
					getFieldEditorParent(), true));
		}

		@Override
		public boolean performOk() {
			if (getControl() == null) {
				return true; // never shown: nothing chosen here (and no field editors to store)
			}
			boolean ok = super.performOk();
			if (ok && applyTheme != null) {
				applyTheme.accept(getPreferenceStore().getString(Theme.PREFERENCE));
			}
			return ok;
		}
	}
}
