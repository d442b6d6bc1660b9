package org.felund.ui.parts;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.di.extensions.Service;
import org.eclipse.e4.ui.di.Focus;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.jface.dialogs.InputDialog;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.jface.viewers.IColorProvider;
import org.eclipse.jface.viewers.IElementComparer;
import org.eclipse.jface.viewers.IFontProvider;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.ITreeContentProvider;
import org.eclipse.jface.viewers.LabelProvider;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.jface.viewers.TreeViewer;
import org.eclipse.jface.viewers.Viewer;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Font;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.swt.widgets.Shell;
import org.felund.api.model.AccessMode;
import org.felund.api.model.Channel;
import org.felund.api.model.Circle;
import org.felund.api.model.Member;
import org.felund.api.node.NodeListener;
import org.felund.api.node.NodeService;
import org.felund.ui.internal.Actions;
import org.felund.ui.internal.ChannelRef;
import org.felund.ui.internal.ChatTranscript;
import org.felund.ui.internal.MenuItems;
import org.felund.ui.internal.Selection;
import org.felund.ui.internal.SlashCommands;
import org.felund.ui.internal.UnreadCounts;
import org.felund.ui.internal.NodeListeners;
import org.felund.ui.internal.WidgetIds;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

/**
 * Circles and their channels with unread counts; selecting one publishes a {@link ChannelRef}. The buttons and
 * the context menu create, join, rename and leave circles and channels.
 */
public class CirclesPart {
	@Inject
	private MApplication application;
	@Inject
	private UISynchronize sync;

	private NodeService node;
	private UnreadCounts unread;
	private ChannelRef current;
	private TreeViewer viewer;
	private Button create;
	private Button join;
	private Button newChannel;
	private boolean refreshing;
	/** The last selection in the tree came from the keyboard (arrows, type-ahead): the tree keeps the focus. */
	private boolean byKeyboard;
	@Inject
	private org.eclipse.e4.ui.workbench.modeling.EPartService parts;
	private final Runnable unreadChanged = () -> {
		if (viewer != null && !viewer.getControl().isDisposed()) {
			viewer.refresh(true);
		}
	};
	private final NodeListener listener = new NodeListener() {
		@Override
		public void circleChanged(String circleId) {
			sync.asyncExec(CirclesPart.this::refresh);
		}
	};

	@PostConstruct
	public void createControls(Composite parent) {
		parent.setLayout(new GridLayout(3, false));
		viewer = new TreeViewer(parent, SWT.SINGLE | SWT.V_SCROLL);
		WidgetIds.tag(viewer.getTree(), "circles.tree");
		viewer.getTree().setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true, 3, 1));
		viewer.setContentProvider(new CircleTreeContent());
		viewer.setLabelProvider(new CircleLabels());
		viewer.setComparer(new ByIds());
		viewer.setAutoExpandLevel(TreeViewer.ALL_LEVELS);
		viewer.addSelectionChangedListener(e -> {
			if (refreshing) {
				return;
			}
			ChannelRef ref = refOf(((IStructuredSelection) e.getSelection()).getFirstElement());
			if (ref != null && !ref.equals(current)) {
				if (byKeyboard) {
					Selection.selectKeepingFocus(application, ref);
				} else {
					Selection.select(application, ref);
				}
			}
		});
		viewer.getTree().addListener(SWT.KeyDown, e -> byKeyboard = true);
		viewer.getTree().addListener(SWT.MouseDown, e -> byKeyboard = false);
		// Enter on a channel: write in it.
		viewer.getTree().addListener(SWT.DefaultSelection, e -> {
			Object first = viewer.getStructuredSelection().getFirstElement();
			if (first instanceof Circle || first instanceof Channel ch && isMember(ch)) {
				org.eclipse.e4.ui.model.application.ui.basic.MPart chat = parts.findPart("org.felund.ui.part.chat");
				if (chat != null) {
					parts.activate(chat, true);
				}
			}
		});
		viewer.addDoubleClickListener(e -> {
			Object first = ((IStructuredSelection) e.getSelection()).getFirstElement();
			if (first instanceof Channel ch && !isMember(ch)) {
				joinChannel(ch);
			}
		});
		create = button(parent, "circles.create", "New circle\u2026",
				() -> Actions.newCircle(shell(), node, application));
		join = button(parent, "circles.join", "Join\u2026",
				() -> Actions.joinCircle(shell(), node, application, sync));
		newChannel = button(parent, "circles.newChannel", "New channel\u2026", () -> {
			if (current != null) {
				Actions.newChannel(shell(), node, application, current.circleId());
			}
		});
		viewer.getTree().setMenu(contextMenu());
		refresh();
	}

	private Button button(Composite parent, String id, String text, Runnable action) {
		Button b = WidgetIds.tag(new Button(parent, SWT.PUSH), id);
		b.setText(text);
		b.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
		b.addListener(SWT.Selection, e -> action.run());
		return b;
	}

	/** Re-injected whenever the node service appears or goes away. */
	@Inject
	@Optional
	void setNode(@Service NodeService service) {
		if (NodeListeners.move(node, service, listener)) {
			node = service;
			if (viewer != null) {
				sync.asyncExec(this::refresh);
			}
		}
	}

	@Inject
	@Optional
	void setUnread(UnreadCounts counts) {
		if (unread != null) {
			unread.removeListener(unreadChanged);
		}
		unread = counts;
		if (unread != null) {
			unread.addListener(unreadChanged);
		}
	}

	/** Follows selections made elsewhere (slash commands, search, the setup wizard). */
	@Inject
	@Optional
	void setChannel(ChannelRef ref) {
		current = ref;
		if (viewer != null && !viewer.getControl().isDisposed()) {
			showSelection();
			updateButtons();
		}
	}

	private void refresh() {
		if (viewer == null || viewer.getControl().isDisposed()) {
			return;
		}
		refreshing = true;
		try {
			Object input = viewer.getInput();
			if (node == null) {
				viewer.setInput(null);
			} else if (input != node) {
				viewer.setInput(node);
			} else {
				viewer.refresh(true);
			}
			viewer.expandAll();
		} finally {
			refreshing = false;
		}
		if (node != null && current != null && node.circle(current.circleId()).isEmpty()) {
			// The circle shown was left: show another one, or the empty state when none is left.
			Selection.select(application, node.circles().stream().findFirst()
					.map(c -> new ChannelRef(c.circleId(), ChannelRef.DEFAULT_CHANNEL)).orElse(null));
		} else {
			showSelection();
		}
		updateButtons();
	}

	private void updateButtons() {
		boolean ready = node != null;
		create.setEnabled(ready);
		join.setEnabled(ready);
		newChannel.setEnabled(ready && current != null);
	}

	private void showSelection() {
		Object wanted = null;
		if (node != null && current != null) {
			wanted = current.channelId().equals(ChannelRef.DEFAULT_CHANNEL) && !selectedIsChannel()
					? node.circle(current.circleId()).orElse(null)
					: channel(current.circleId(), current.channelId());
		}
		Object selected = ((IStructuredSelection) viewer.getSelection()).getFirstElement();
		if (Objects.equals(refOf(selected), current) && selected != null) {
			return;
		}
		refreshing = true;
		try {
			viewer.setSelection(wanted == null ? StructuredSelection.EMPTY : new StructuredSelection(wanted), true);
		} finally {
			refreshing = false;
		}
	}

	private boolean selectedIsChannel() {
		return ((IStructuredSelection) viewer.getSelection()).getFirstElement() instanceof Channel;
	}

	private Channel channel(String circleId, String channelId) {
		try {
			return node.channels(circleId).stream().filter(c -> c.channelId().equals(channelId)).findFirst()
					.orElse(null);
		} catch (IllegalArgumentException e) {
			return null;
		}
	}

	private static ChannelRef refOf(Object element) {
		if (element instanceof Circle c) {
			return new ChannelRef(c.circleId(), ChannelRef.DEFAULT_CHANNEL);
		}
		if (element instanceof Channel ch) {
			return new ChannelRef(ch.circleId(), ch.channelId());
		}
		return null;
	}

	private boolean isMember(Channel ch) {
		return ch.accessMode() == AccessMode.PUBLIC || node != null && ch.members().contains(node.identity().nodeId());
	}

	private Shell shell() {
		return viewer.getControl().getShell();
	}

	// ---------------------------------------------------------------- context menu

	private Menu contextMenu() {
		Menu menu = new Menu(viewer.getControl());
		menu.addListener(SWT.Show, e -> {
			for (MenuItem item : menu.getItems()) {
				item.dispose();
			}
			Object first = ((IStructuredSelection) viewer.getSelection()).getFirstElement();
			if (node == null) {
				return;
			}
			if (first instanceof Circle c) {
				MenuItems.push(menu, "Invite\u2026\tF2", () -> Actions.showInvite(shell(), node, c.circleId()));
				MenuItems.push(menu, "New channel\u2026", () -> Actions.newChannel(shell(), node, application, c.circleId()));
				MenuItems.push(menu, "Rename circle\u2026", () -> renameCircle(c));
				MenuItems.push(menu, "History kept here\u2026", () -> history(c.circleId(), null));
				new MenuItem(menu, SWT.SEPARATOR);
				MenuItems.push(menu, "Leave circle\u2026", () -> leaveCircle(c));
			} else if (first instanceof Channel ch) {
				String self = node.identity().nodeId();
				if (!isMember(ch)) {
					MenuItems.push(menu, ch.accessMode() == AccessMode.INVITE ? "Ask to join #" + ch.channelId()
							: "Join #" + ch.channelId() + "\u2026", () -> joinChannel(ch));
				} else if (!ch.channelId().equals(ChannelRef.DEFAULT_CHANNEL) && ch.members().contains(self)) {
					MenuItems.push(menu, "Leave #" + ch.channelId(), () -> run("Leave channel",
							() -> node.leaveChannel(ch.circleId(), ch.channelId())));
				}
				MenuItems.push(menu, "History kept here\u2026", () -> history(ch.circleId(), ch.channelId()));
				if (ch.ownerNodeId().equals(self) && !ch.pendingRequests().isEmpty()) {
					new MenuItem(menu, SWT.SEPARATOR);
					for (Member m : node.members(ch.circleId())) {
						if (ch.pendingRequests().contains(m.nodeId())) {
							String name = m.displayName().isBlank() ? ChatTranscript.shortId(m.nodeId()) : m.displayName();
							MenuItems.push(menu, "Let " + name + " in", () -> run("Approve",
									() -> node.approveChannel(ch.circleId(), ch.channelId(), m.nodeId())));
						}
					}
				}
			}
		});
		return menu;
	}

	private void run(String title, Runnable action) {
		try {
			action.run();
		} catch (IllegalArgumentException e) {
			MessageDialog.openError(shell(), title, e.getMessage());
		}
	}

	/** Settings at the history page, with this circle or channel selected. */
	private void history(String circleId, String channelId) {
		Actions.showSettings(shell(), node, application.getContext().get(
				org.felund.ui.settings.PluginConfigurations.class), application, "history", circleId, channelId);
	}

	private void renameCircle(Circle c) {
		InputDialog dialog = new InputDialog(shell(), "Rename circle", "New name of the circle (everyone sees it):",
				c.name(), v -> v.isBlank() ? "The name is empty" : v.strip().length() > 40 ? "At most 40 characters" : null);
		if (dialog.open() == Window.OK) {
			run("Rename circle", () -> node.renameCircle(c.circleId(), dialog.getValue()));
		}
	}

	private void leaveCircle(Circle c) {
		if (Actions.confirmLeave(shell(), org.felund.ui.internal.Labels.circle(node, c))) {
			run("Leave circle", () -> node.leaveCircle(c.circleId()));
		}
	}

	private void joinChannel(Channel ch) {
		if (ch.accessMode() == AccessMode.INVITE) {
			run("Join channel", () -> node.requestChannel(ch.circleId(), ch.channelId()));
			MessageDialog.openInformation(shell(), "Join channel",
					"You asked to join #" + ch.channelId() + ". Its owner has to let you in.");
			return;
		}
		String key = null;
		if (ch.accessMode() == AccessMode.KEY) {
			InputDialog dialog = new InputDialog(shell(), "Join #" + ch.channelId(), "The key of #" + ch.channelId() + ":",
					"", v -> v.isEmpty() ? "Type the key" : null);
			if (dialog.open() != Window.OK) {
				return;
			}
			key = dialog.getValue();
		}
		String k = key;
		run("Join channel", () -> {
			node.joinChannel(ch.circleId(), ch.channelId(), k);
			Selection.select(application, new ChannelRef(ch.circleId(), ch.channelId()));
		});
	}

	@Focus
	public void setFocus() {
		viewer.getControl().setFocus();
	}

	@PreDestroy
	public void dispose() {
		if (node != null) {
			node.removeListener(listener);
		}
		if (unread != null) {
			unread.removeListener(unreadChanged);
		}
	}

	// ---------------------------------------------------------------- viewer parts

	/** Circles and channels are records; the tree knows them by ids so selections survive refreshes. */
	private static final class ByIds implements IElementComparer {
		@Override
		public boolean equals(Object a, Object b) {
			return Objects.equals(refOf(a), refOf(b)) && (a == null || b == null || a.getClass() == b.getClass());
		}

		@Override
		public int hashCode(Object element) {
			return Objects.hashCode(refOf(element)) * 31 + element.getClass().hashCode();
		}
	}

	private final class CircleLabels extends LabelProvider implements IFontProvider, IColorProvider {
		@Override
		public String getText(Object element) {
			if (element instanceof Circle c) {
				int n = unread == null ? 0 : unread.circleTotal(c.circleId());
				String label = org.felund.ui.internal.Labels.circle(node, c);
				return n == 0 ? label : label + " (" + n + ")";
			}
			if (element instanceof Channel ch) {
				int n = unread == null ? 0 : unread.count(ch.circleId(), ch.channelId());
				String mode = switch (ch.accessMode()) {
				case PUBLIC -> "";
				case KEY -> " \u00b7 key";
				case INVITE -> " \u00b7 " + SlashCommands.modeText(ch.accessMode());
				};
				String state = isMember(ch) ? ""
						: node != null && ch.pendingRequests().contains(node.identity().nodeId()) ? " (asked)"
								: " (not joined)";
				return "#" + ch.channelId() + mode + state + (n == 0 ? "" : " (" + n + ")");
			}
			return String.valueOf(element);
		}

		@Override
		public Font getFont(Object element) {
			ChannelRef ref = refOf(element);
			if (ref == null || unread == null) {
				return null;
			}
			int n = element instanceof Circle ? unread.circleTotal(ref.circleId())
					: unread.count(ref.circleId(), ref.channelId());
			return n > 0 ? JFaceResources.getFontRegistry().getBold(JFaceResources.DEFAULT_FONT) : null;
		}

		@Override
		public Color getForeground(Object element) {
			if (element instanceof Channel ch && !isMember(ch)) {
				return viewer.getControl().getDisplay().getSystemColor(SWT.COLOR_WIDGET_DARK_SHADOW);
			}
			return null;
		}

		@Override
		public Color getBackground(Object element) {
			return null;
		}
	}

	private static final class CircleTreeContent implements ITreeContentProvider {
		private NodeService input;

		@Override
		public Object[] getElements(Object in) {
			return in instanceof NodeService n ? n.circles().toArray() : new Object[0];
		}

		@Override
		public Object[] getChildren(Object parent) {
			if (parent instanceof Circle c && input != null) {
				try {
					return new ArrayList<>(input.channels(c.circleId())).toArray();
				} catch (IllegalArgumentException e) {
					return new Object[0]; // the circle was left meanwhile
				}
			}
			return new Object[0];
		}

		@Override
		public void inputChanged(Viewer v, Object oldInput, Object newInput) {
			input = newInput instanceof NodeService n ? n : null;
		}

		@Override
		public Object getParent(Object element) {
			if (element instanceof Channel ch && input != null) {
				return input.circle(ch.circleId()).orElse(null);
			}
			return null;
		}

		@Override
		public boolean hasChildren(Object element) {
			return element instanceof Circle;
		}
	}
}
