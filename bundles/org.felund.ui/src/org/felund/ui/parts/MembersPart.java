package org.felund.ui.parts;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.di.extensions.Service;
import org.eclipse.e4.ui.di.Focus;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.felund.api.model.AccessMode;
import org.felund.api.model.Channel;
import org.felund.api.model.Member;
import org.felund.api.node.NodeListener;
import org.felund.api.node.NodeService;
import org.felund.api.transport.TransportState;
import org.felund.ui.internal.ChannelRef;
import org.felund.ui.internal.ChatTranscript;
import org.felund.ui.internal.Presence;
import org.felund.ui.internal.NodeListeners;
import org.felund.ui.internal.WidgetIds;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

/**
 * Who is in the selected circle (or, for a key or invite channel, in the channel), whether they are online, and
 * which transports reach them now ("via": the node's reachability, so a transport that goes takes its entries
 * with it). The owner of an invite-only channel lets people in from here.
 */
public class MembersPart {
	/** "seen 3 min ago" ages while nothing happens; refresh that often. */
	private static final int AGE_REFRESH_MS = 30_000;

	@Inject
	private UISynchronize sync;

	private NodeService node;
	private ChannelRef current;
	private Label scope;
	private Table table;
	private List<Member> shown = List.of();
	private final NodeListener listener = new NodeListener() {
		@Override
		public void circleChanged(String circleId) {
			sync.asyncExec(MembersPart.this::refresh);
		}

		@Override
		public void transportChanged(String transportId, TransportState state) {
			sync.asyncExec(MembersPart.this::refresh);
		}

		@Override
		public void transportRemoved(String transportId) {
			sync.asyncExec(MembersPart.this::refresh);
		}
	};

	@PostConstruct
	public void createControls(Composite parent) {
		parent.setLayout(new GridLayout(1, false));
		scope = WidgetIds.tag(new Label(parent, SWT.WRAP), "members.scope");
		scope.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
		table = WidgetIds.tag(new Table(parent, SWT.FULL_SELECTION | SWT.V_SCROLL | SWT.SINGLE), "members.table");
		table.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
		table.setHeaderVisible(true);
		String[] titles = { "Name", "Status", "Via" };
		for (String title : titles) {
			new TableColumn(table, SWT.LEFT).setText(title);
		}
		// The part is narrow: the columns share its width instead of scrolling sideways.
		table.addListener(SWT.Resize, e -> {
			int width = table.getClientArea().width;
			int[] shares = { 40, 36, 24 };
			for (int i = 0; i < shares.length; i++) {
				table.getColumn(i).setWidth(width * shares[i] / 100);
			}
		});
		table.setMenu(approveMenu());
		refresh();
		scheduleAgeRefresh(parent);
	}

	private void scheduleAgeRefresh(Composite parent) {
		parent.getDisplay().timerExec(AGE_REFRESH_MS, () -> {
			if (!table.isDisposed()) {
				refresh();
				scheduleAgeRefresh(parent);
			}
		});
	}

	@Inject
	@Optional
	void setNode(@Service NodeService service) {
		if (NodeListeners.move(node, service, listener)) {
			node = service;
			if (table != null) {
				sync.asyncExec(this::refresh);
			}
		}
	}

	private boolean dark;

	@Inject
	@Optional
	void setDark(@jakarta.inject.Named(org.felund.ui.internal.Theme.DARK_KEY) Boolean isDark) {
		dark = Boolean.TRUE.equals(isDark);
		if (table != null && !table.isDisposed()) {
			refresh();
		}
	}

	@Inject
	@Optional
	void setChannel(ChannelRef ref) {
		current = ref;
		if (table != null) {
			refresh();
		}
	}

	private void refresh() {
		if (table == null || table.isDisposed()) {
			return;
		}
		table.removeAll();
		shown = List.of();
		if (node == null || current == null || node.circle(current.circleId()).isEmpty()) {
			scope.setText("");
			return;
		}
		String self = node.identity().nodeId();
		Channel channel = channel();
		boolean restricted = channel != null && channel.accessMode() != AccessMode.PUBLIC;
		Set<String> pending = channel == null ? Set.of() : channel.pendingRequests();
		long now = Instant.now().getEpochSecond();
		List<Member> all = node.members(current.circleId());
		shown = all.stream().filter(m -> !restricted || channel.members().contains(m.nodeId())
				|| pending.contains(m.nodeId())).toList();
		long online = shown.stream().filter(m -> Presence.online(m, self, now)).count();
		scope.setText((restricted ? "#" + channel.channelId() : "Everyone in the circle") + ": " + shown.size()
				+ (shown.size() == 1 ? " member" : " members") + ", " + online + " online");
		Color green = new Color(org.felund.ui.internal.Theme.online(dark));
		Color grey = table.getDisplay().getSystemColor(SWT.COLOR_WIDGET_DARK_SHADOW);
		for (Member m : shown) {
			TableItem item = new TableItem(table, SWT.NONE);
			String name = m.displayName().isBlank() ? ChatTranscript.shortId(m.nodeId()) : m.displayName();
			boolean asked = restricted && !channel.members().contains(m.nodeId());
			item.setText(0, name + (self.equals(m.nodeId()) ? " (you)" : "") + (asked ? " \u2014 asked to join" : ""));
			boolean isOnline = Presence.online(m, self, now);
			item.setText(1, (isOnline ? "\u25cf " : "\u25cb ") + Presence.describe(m, self, now));
			item.setForeground(1, isOnline ? green : grey);
			item.setText(2, self.equals(m.nodeId()) ? ""
					: m.transports().isEmpty() ? "\u2014" : String.join(", ", m.transports().stream().sorted().toList()));
		}
		scope.getParent().layout();
	}

	private Channel channel() {
		return node.channels(current.circleId()).stream().filter(c -> c.channelId().equals(current.channelId()))
				.findFirst().orElse(null);
	}

	/** The owner of an invite-only channel approves requests from the context menu. */
	private Menu approveMenu() {
		Menu menu = new Menu(table);
		menu.addListener(SWT.Show, e -> {
			for (MenuItem item : menu.getItems()) {
				item.dispose();
			}
			int i = table.getSelectionIndex();
			if (node == null || current == null || i < 0 || i >= shown.size()) {
				return;
			}
			Channel channel = channel();
			Member m = shown.get(i);
			if (channel != null && channel.pendingRequests().contains(m.nodeId())
					&& channel.ownerNodeId().equals(node.identity().nodeId())) {
				MenuItem approve = new MenuItem(menu, SWT.PUSH);
				approve.setText("Let " + (m.displayName().isBlank() ? ChatTranscript.shortId(m.nodeId()) : m.displayName())
						+ " into #" + channel.channelId());
				approve.addListener(SWT.Selection, ev -> {
					try {
						node.approveChannel(channel.circleId(), channel.channelId(), m.nodeId());
					} catch (IllegalArgumentException ex) {
						MessageDialog.openError(table.getShell(), "Approve", ex.getMessage());
					}
				});
			}
			org.felund.ui.internal.MenuItems.push(menu, "Copy node id",
					() -> org.felund.ui.internal.Clipboards.copy(table.getDisplay(), m.nodeId()));
		});
		return menu;
	}

	@Focus
	public void setFocus() {
		table.setFocus();
	}

	@PreDestroy
	public void dispose() {
		if (node != null) {
			node.removeListener(listener);
		}
	}
}
