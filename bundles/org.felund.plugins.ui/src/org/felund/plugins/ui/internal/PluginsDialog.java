package org.felund.plugins.ui.internal;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.dialogs.Dialog;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.resource.JFaceColors;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Group;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.felund.plugins.AvailablePlugin;
import org.felund.plugins.InstalledPlugin;
import org.felund.plugins.Plugin;
import org.felund.plugins.PluginException;
import org.felund.plugins.PluginPlan;
import org.felund.plugins.PluginProgress;
import org.felund.plugins.PluginRequest;
import org.felund.plugins.PluginResult;
import org.felund.plugins.PluginService;
import org.felund.plugins.PluginSite;
import org.felund.plugins.PluginVersions;

/**
 * Felund ▸ Plugins…: the plugins installed in this desktop and those the update sites offer, the sites themselves
 * (add one by its URL), and Install, Update and Uninstall. Everything that reads a site or changes the installation
 * runs in a background job whose progress shows in the dialog and can be canceled; p2's questions (licenses in a
 * review before anything changes, trust while installing) come as dialogs; a restart is offered only when the
 * change needs one.
 */
public final class PluginsDialog extends Dialog {
	static final int INSTALL_ID = IDialogConstants.CLIENT_ID + 1;
	static final int UPDATE_ID = IDialogConstants.CLIENT_ID + 2;
	static final int UNINSTALL_ID = IDialogConstants.CLIENT_ID + 3;

	private final PluginService plugins;
	private final Runnable restart;

	private Table installedTable;
	private Table availableTable;
	private Table sitesTable;
	private Text details;
	private Text siteUrl;
	private Text filter;
	private Button addSite;
	private Button removeSite;
	private Label message;
	private ProgressArea progress;

	private List<InstalledPlugin> installed = List.of();
	private List<AvailablePlugin> allAvailable = List.of();
	/** What the available table shows: {@link #allAvailable} narrowed by the filter. */
	private List<AvailablePlugin> available = List.of();
	private List<PluginSite> sites = List.of();
	private boolean busy;

	public PluginsDialog(Shell parent, PluginService plugins, Runnable restart) {
		super(parent);
		this.plugins = plugins;
		this.restart = restart;
		setShellStyle(getShellStyle() | SWT.RESIZE | SWT.MAX);
	}

	@Override
	protected void configureShell(Shell shell) {
		super.configureShell(shell);
		shell.setText("Felund plugins");
		Ids.tag(shell, "plugins.dialog");
	}

	@Override
	protected boolean isResizable() {
		return true;
	}

	// ---------------------------------------------------------------- layout

	@Override
	protected Control createDialogArea(Composite parent) {
		Composite area = (Composite) super.createDialogArea(parent);
		area.setLayout(new GridLayout(1, false));
		Label intro = new Label(area, SWT.WRAP);
		intro.setText("Plugins add transports, calls and more to Felund. They come from update sites; the default"
				+ " one is set when Felund is built, and you can add more by their URL.");
		GridData introData = new GridData(SWT.FILL, SWT.TOP, true, false);
		introData.widthHint = 720;
		intro.setLayoutData(introData);

		Group installedGroup = group(area, "&Installed");
		installedTable = table(installedGroup, "plugins.installed", 4, new String[] { "Plugin", "Version", "" },
				new int[] { 360, 200, 120 });
		installedTable.addListener(SWT.Selection, e -> {
			availableTable.deselectAll();
			selectionChanged();
		});

		Group availableGroup = group(area, "A&vailable from the update sites");
		Composite filterRow = new Composite(availableGroup, SWT.NONE);
		filterRow.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
		GridLayout filterLayout = new GridLayout(2, false);
		filterLayout.marginWidth = 0;
		filterLayout.marginHeight = 0;
		filterRow.setLayout(filterLayout);
		new Label(filterRow, SWT.NONE).setText("&Filter:");
		filter = Ids.tag(new Text(filterRow, SWT.BORDER | SWT.SEARCH | SWT.ICON_CANCEL), "plugins.filter");
		filter.setMessage("name, description or category");
		filter.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
		filter.addListener(SWT.Modify, e -> showAvailable());
		availableTable = table(availableGroup, "plugins.available", 6,
				new String[] { "Plugin", "Version", "Status", "Category" }, new int[] { 300, 170, 110, 160 });
		availableTable.addListener(SWT.Selection, e -> {
			installedTable.deselectAll();
			selectionChanged();
		});
		availableTable.addListener(SWT.DefaultSelection, e -> {
			if (getButton(INSTALL_ID).isEnabled()) {
				buttonPressed(INSTALL_ID);
			}
		});

		details = Ids.tag(new Text(area, SWT.MULTI | SWT.WRAP | SWT.READ_ONLY | SWT.V_SCROLL), "plugins.details");
		GridData detailsData = new GridData(SWT.FILL, SWT.FILL, true, false);
		detailsData.heightHint = details.getLineHeight() * 3;
		detailsData.widthHint = 720;
		details.setLayoutData(detailsData);
		details.setText("Select a plugin to read what it does.");

		Group sitesGroup = group(area, "Update &sites");
		sitesTable = table(sitesGroup, "plugins.sites", 2, new String[] { "Site" }, new int[] { 700 });
		sitesTable.setHeaderVisible(false);
		sitesTable.addListener(SWT.Selection, e -> updateButtons());
		Composite addRow = new Composite(sitesGroup, SWT.NONE);
		addRow.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
		GridLayout addLayout = new GridLayout(4, false);
		addLayout.marginWidth = 0;
		addLayout.marginHeight = 0;
		addRow.setLayout(addLayout);
		new Label(addRow, SWT.NONE).setText("Site &URL:");
		siteUrl = Ids.tag(new Text(addRow, SWT.BORDER | SWT.SINGLE), "plugins.siteUrl");
		siteUrl.setMessage("http://host:port/site/  or  file:/path/to/site/");
		siteUrl.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
		siteUrl.addListener(SWT.Modify, e -> updateButtons());
		siteUrl.addListener(SWT.DefaultSelection, e -> {
			if (addSite.isEnabled()) {
				addSite();
			}
		});
		addSite = Ids.tag(new Button(addRow, SWT.PUSH), "plugins.addSite");
		addSite.setText("A&dd site");
		addSite.addListener(SWT.Selection, e -> addSite());
		removeSite = Ids.tag(new Button(addRow, SWT.PUSH), "plugins.removeSite");
		removeSite.setText("&Remove site");
		removeSite.addListener(SWT.Selection, e -> removeSite());

		message = Ids.tag(new Label(area, SWT.WRAP), "plugins.message");
		GridData messageData = new GridData(SWT.FILL, SWT.TOP, true, false);
		messageData.widthHint = 720;
		message.setLayoutData(messageData);

		progress = new ProgressArea(area);
		return area;
	}

	@Override
	protected void createButtonsForButtonBar(Composite parent) {
		Ids.tag(createButton(parent, INSTALL_ID, "I&nstall…", false), "plugins.install");
		Ids.tag(createButton(parent, UPDATE_ID, "U&pdate…", false), "plugins.update");
		Ids.tag(createButton(parent, UNINSTALL_ID, "Unins&tall…", false), "plugins.uninstall");
		Ids.tag(createButton(parent, IDialogConstants.CLOSE_ID, IDialogConstants.CLOSE_LABEL, true), "plugins.close");
	}

	@Override
	public void create() {
		super.create();
		updateButtons();
		reload(null);
	}

	private static Group group(Composite parent, String title) {
		Group group = new Group(parent, SWT.NONE);
		group.setText(title);
		group.setLayout(new GridLayout(1, false));
		group.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
		return group;
	}

	private static Table table(Composite parent, String id, int rows, String[] titles, int[] widths) {
		Table table = Ids.tag(new Table(parent, SWT.BORDER | SWT.FULL_SELECTION | SWT.SINGLE | SWT.V_SCROLL), id);
		table.setHeaderVisible(true);
		GridData data = new GridData(SWT.FILL, SWT.FILL, true, true);
		data.heightHint = table.getItemHeight() * rows + table.getHeaderHeight();
		table.setLayoutData(data);
		for (int i = 0; i < titles.length; i++) {
			TableColumn c = new TableColumn(table, SWT.LEFT);
			c.setText(titles[i]);
			c.setWidth(widths[i]);
		}
		return table;
	}

	// ---------------------------------------------------------------- reading

	/** What the dialog shows, read in the background. */
	private record Snapshot(List<InstalledPlugin> installed, List<AvailablePlugin> available, List<PluginSite> sites,
			List<String> problems) {
	}

	/** Reads everything afresh; {@code note} (or null) is shown once it is done, unless a site failed. */
	private void reload(String note) {
		run("Reading the update sites", p -> {
			List<InstalledPlugin> now = plugins.installed();
			List<PluginSite> configured = plugins.sites();
			Map<String, AvailablePlugin> newest = new LinkedHashMap<>();
			List<String> problems = new ArrayList<>();
			if (configured.isEmpty()) {
				problems.add("No update site is configured: add one by its URL below.");
			}
			for (PluginSite site : configured) {
				try {
					for (AvailablePlugin a : plugins.available(List.of(site.location()), p)) {
						newest.merge(a.plugin().id(), a, (x, y) -> PluginVersions.newer(y.plugin().version(),
								x.plugin().version()) ? y : x);
					}
				} catch (PluginException e) {
					if (e.reason() == PluginException.Reason.CANCELED) {
						throw e;
					}
					problems.add(e.getMessage());
				}
			}
			List<AvailablePlugin> all = new ArrayList<>(newest.values());
			all.sort((a, b) -> a.plugin().name().compareToIgnoreCase(b.plugin().name()));
			return new Snapshot(now, all, configured, problems);
		}, snapshot -> {
			show(snapshot);
			if (!snapshot.problems().isEmpty()) {
				error(String.join("\n", snapshot.problems()));
			} else if (note != null) {
				info(note);
			} else if (snapshot.available().isEmpty()) {
				info("The update sites offer no plugins for the desktop.");
			} else {
				info("");
			}
		});
	}

	private void show(Snapshot s) {
		installed = s.installed();
		allAvailable = s.available();
		sites = s.sites();
		installedTable.removeAll();
		for (InstalledPlugin i : installed) {
			TableItem item = new TableItem(installedTable, SWT.NONE);
			item.setText(new String[] { i.plugin().name(), i.plugin().version(), i.builtIn() ? "built in" : "" });
		}
		showAvailable();
		sitesTable.removeAll();
		for (PluginSite site : sites) {
			TableItem item = new TableItem(sitesTable, SWT.NONE);
			item.setText(site.location() + (site.isDefault() ? "   (default)" : ""));
		}
		selectionChanged();
	}

	/** Fills the available table with what matches the filter. */
	private void showAvailable() {
		String[] words = filter.getText().strip().toLowerCase(java.util.Locale.ROOT).split("\\s+");
		available = allAvailable.stream().filter(a -> {
			String text = (a.plugin().name() + " " + a.plugin().description() + " " + a.plugin().category() + " "
					+ a.plugin().id()).toLowerCase(java.util.Locale.ROOT);
			return java.util.Arrays.stream(words).allMatch(text::contains);
		}).toList();
		availableTable.removeAll();
		for (AvailablePlugin a : available) {
			TableItem item = new TableItem(availableTable, SWT.NONE);
			String status = a.isUpdate() ? "update" : a.isInstalled() ? "installed" : "";
			item.setText(new String[] { a.plugin().name(), a.plugin().version(), status, a.plugin().category() });
		}
		selectionChanged();
	}

	private void selectionChanged() {
		Plugin p = null;
		String where = "";
		InstalledPlugin i = selectedInstalled();
		AvailablePlugin a = selectedAvailable();
		if (i != null) {
			p = i.plugin();
			where = i.builtIn() ? "Built into this desktop." : "Installed.";
		} else if (a != null) {
			p = a.plugin();
			where = "From " + a.site() + (a.isUpdate() ? "; version " + a.installedVersion() + " is installed."
					: a.isInstalled() ? "; installed." : ".");
		}
		details.setText(p == null ? "Select a plugin to read what it does."
				: p.name() + " " + p.version() + (p.provider().isEmpty() ? "" : ", by " + p.provider()) + ". "
						+ p.description() + "\n" + where);
		updateButtons();
	}

	private InstalledPlugin selectedInstalled() {
		int i = installedTable.getSelectionIndex();
		return i < 0 || i >= installed.size() ? null : installed.get(i);
	}

	private AvailablePlugin selectedAvailable() {
		int i = availableTable.getSelectionIndex();
		return i < 0 || i >= available.size() ? null : available.get(i);
	}

	private PluginSite selectedSite() {
		int i = sitesTable.getSelectionIndex();
		return i < 0 || i >= sites.size() ? null : sites.get(i);
	}

	private void updateButtons() {
		if (getButton(INSTALL_ID) == null) {
			return;
		}
		InstalledPlugin i = selectedInstalled();
		AvailablePlugin a = selectedAvailable();
		PluginSite site = selectedSite();
		getButton(INSTALL_ID).setEnabled(!busy && a != null && !a.isInstalled());
		getButton(UPDATE_ID).setEnabled(!busy && (i != null || (a != null && a.isUpdate())));
		getButton(UNINSTALL_ID).setEnabled(!busy && (i != null || (a != null && a.isInstalled())));
		getButton(IDialogConstants.CLOSE_ID).setEnabled(!busy);
		addSite.setEnabled(!busy && !siteUrl.getText().isBlank());
		removeSite.setEnabled(!busy && site != null && !site.isDefault());
	}

	// ---------------------------------------------------------------- actions

	@Override
	protected void buttonPressed(int id) {
		if (id == IDialogConstants.CLOSE_ID) {
			close();
			return;
		}
		InstalledPlugin i = selectedInstalled();
		AvailablePlugin a = selectedAvailable();
		if (id == INSTALL_ID && a != null) {
			change("Install", a.plugin(), PluginRequest.install(a.plugin().id(), List.of(a.site())));
		} else if (id == UPDATE_ID && (i != null || a != null)) {
			Plugin p = i != null ? i.plugin() : a.plugin();
			change("Update", p, PluginRequest.update(p.id(), i != null ? List.of() : List.of(a.site())));
		} else if (id == UNINSTALL_ID && (i != null || a != null)) {
			Plugin p = i != null ? i.plugin() : a.plugin();
			change("Uninstall", p, PluginRequest.uninstall(p.id()));
		} else {
			super.buttonPressed(id);
		}
	}

	/** Plans the change in the background, shows the review, then applies it in the background. */
	private void change(String action, Plugin plugin, PluginRequest request) {
		run("Resolving " + plugin.name(), p -> plugins.plan(request, p), plan -> {
			if (plan.isEmpty()) {
				info(plan.summary() + ".");
				return;
			}
			busy = true; // the dialog's own buttons wait for the review
			updateButtons();
			boolean confirmed = new ReviewDialog(getShell(), plan, action).open() == ReviewDialog.OK;
			busy = false;
			updateButtons();
			if (!confirmed) {
				info(action + " canceled; nothing was changed.");
				return;
			}
			DialogPrompts prompts = new DialogPrompts(getShell(), plan.licenses());
			String doing = switch (request.action()) {
			case INSTALL -> "Installing ";
			case UPDATE -> "Updating ";
			case UNINSTALL -> "Uninstalling ";
			};
			run(doing + plugin.name(), p -> plugins.apply(plan, prompts, p), result -> finished(plan, result));
		});
	}

	private void finished(PluginPlan plan, PluginResult result) {
		String done = "Done: " + plan.summary() + ".";
		if (result.restartRequired()) {
			reload(done + " " + result.restartReason() + ".");
			if (askRestart(result.restartReason())) {
				busy = false;
				close();
				restart.run();
			}
			return;
		}
		reload(done + (result.appliedToRunningProduct() ? " It took effect at once; no restart is needed."
				: " It takes effect when Felund starts next."));
	}

	private boolean askRestart(String reason) {
		MessageDialog ask = new MessageDialog(getShell(), "Restart Felund?", null,
				reason + ".\n\nRestart Felund now?", MessageDialog.QUESTION, 0, "&Restart now", "&Later") {
			@Override
			protected void configureShell(Shell shell) {
				super.configureShell(shell);
				Ids.tag(shell, "plugins.restart");
			}
		};
		return ask.open() == 0;
	}

	private void addSite() {
		String url = siteUrl.getText().strip();
		run("Reading " + url, p -> plugins.addSite(url, p), site -> {
			siteUrl.setText("");
			reload("Added the site " + site.location()
					+ (site.name().isEmpty() ? "" : " (" + site.name() + ")") + ".");
		}, "The site was not added: ");
	}

	private void removeSite() {
		PluginSite site = selectedSite();
		if (site == null) {
			return;
		}
		URI location = site.location();
		// In a job like every call of the service: the UI thread never waits for the service's lock.
		run("Removing " + location, p -> {
			plugins.removeSite(location);
			return location;
		}, removed -> reload("Removed the site " + removed + "."), "The site was not removed: ");
	}

	@Override
	public boolean close() {
		if (busy) {
			info("Wait for the operation to finish, or cancel it.");
			return false;
		}
		return super.close();
	}

	// ---------------------------------------------------------------- background work

	@FunctionalInterface
	private interface Work<T> {
		T run(PluginProgress progress) throws PluginException;
	}

	private <T> void run(String name, Work<T> work, Consumer<T> then) {
		run(name, work, then, "");
	}

	/** Runs {@code work} in a job with the dialog's progress; {@code then} or the error runs on the UI thread. */
	private <T> void run(String name, Work<T> work, Consumer<T> then, String errorPrefix) {
		busy = true;
		updateButtons();
		info("");
		PluginProgress p = progress.start(name);
		Job job = Job.create(name, monitor -> {
			try {
				T result = work.run(p);
				ui(() -> {
					done();
					then.accept(result);
				});
			} catch (PluginException e) {
				ui(() -> {
					done();
					error(errorPrefix + e.getMessage());
				});
			} catch (RuntimeException e) {
				ui(() -> {
					done();
					error(errorPrefix + (e.getMessage() == null ? e.toString() : e.getMessage()));
				});
				return Status.error(name + " failed", e);
			}
			return Status.OK_STATUS;
		});
		job.setUser(false);
		job.schedule();
	}

	private void done() {
		busy = false;
		progress.stop();
		updateButtons();
	}

	private void ui(Runnable r) {
		Shell shell = getShell();
		if (shell == null || shell.isDisposed()) {
			return;
		}
		shell.getDisplay().asyncExec(() -> {
			if (!shell.isDisposed()) {
				r.run();
			}
		});
	}

	private void info(String text) {
		message.setForeground(null);
		message.setText(text);
		message.getParent().layout(true, true);
	}

	private void error(String text) {
		message.setForeground(JFaceColors.getErrorText(message.getDisplay()));
		message.setText(text);
		message.getParent().layout(true, true);
	}
}
