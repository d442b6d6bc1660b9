package org.felund.ui.parts;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.di.extensions.Service;
import org.eclipse.e4.ui.di.Focus;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.InputDialog;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.viewers.ITreeContentProvider;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.LabelProvider;
import org.eclipse.jface.viewers.TreeViewer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.felund.api.model.Channel;
import org.felund.api.model.ChatMessage;
import org.felund.api.model.Circle;
import org.felund.api.node.CreatedCircle;
import org.felund.api.node.NodeListener;
import org.felund.api.node.NodeService;
import org.felund.ui.internal.ChannelRef;
import org.felund.ui.internal.Selection;
import org.felund.ui.internal.WidgetIds;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

/** Circles and their channels; selecting one publishes a {@link ChannelRef}. */
public class CirclesPart {
	@Inject
	private MApplication application;
	@Inject
	private UISynchronize sync;

	private NodeService node;
	private TreeViewer viewer;
	private Button create;
	private Button join;
	private final NodeListener listener = new NodeListener() {
		@Override
		public void circleChanged(String circleId) {
			sync.asyncExec(CirclesPart.this::refresh);
		}
	};

	@PostConstruct
	public void createControls(Composite parent) {
		parent.setLayout(new GridLayout(2, true));
		viewer = new TreeViewer(parent, SWT.SINGLE | SWT.V_SCROLL);
		WidgetIds.tag(viewer.getTree(), "circles.tree");
		viewer.getTree().setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true, 2, 1));
		viewer.setContentProvider(new CircleTreeContent());
		viewer.setLabelProvider(new LabelProvider() {
			@Override
			public String getText(Object element) {
				if (element instanceof Circle c) {
					return c.label();
				}
				if (element instanceof Channel ch) {
					return "#" + ch.channelId();
				}
				return String.valueOf(element);
			}
		});
		viewer.addSelectionChangedListener(e -> {
			Object first = ((IStructuredSelection) e.getSelection()).getFirstElement();
			if (first instanceof Circle c) {
				Selection.select(application, new ChannelRef(c.circleId(), ChannelRef.DEFAULT_CHANNEL));
			} else if (first instanceof Channel ch) {
				Selection.select(application, new ChannelRef(ch.circleId(), ch.channelId()));
			}
		});
		create = WidgetIds.tag(new Button(parent, SWT.PUSH), "circles.create");
		create.setText("New circle…");
		create.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
		create.addListener(SWT.Selection, e -> createCircle());
		join = WidgetIds.tag(new Button(parent, SWT.PUSH), "circles.join");
		join.setText("Join…");
		join.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
		join.addListener(SWT.Selection, e -> joinCircle());
		refresh();
	}

	/** Re-injected whenever the node service appears or goes away. */
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
		}
		if (viewer != null) {
			sync.asyncExec(this::refresh);
		}
	}

	private void refresh() {
		if (viewer == null || viewer.getControl().isDisposed()) {
			return;
		}
		boolean ready = node != null;
		create.setEnabled(ready);
		join.setEnabled(ready);
		viewer.setInput(ready ? node : null);
		viewer.expandAll();
	}

	private void createCircle() {
		InputDialog dialog = new InputDialog(viewer.getControl().getShell(), "New circle",
				"Name of the new circle (optional):", "", null);
		if (dialog.open() != IDialogConstants.OK_ID) {
			return;
		}
		CreatedCircle created = node.createCircle(dialog.getValue().trim());
		Selection.select(application, new ChannelRef(created.circle().circleId(), ChannelRef.DEFAULT_CHANNEL));
		refresh();
		MessageDialog.openInformation(viewer.getControl().getShell(), "Circle created",
				"Share this invite code with the people you want in the circle:\n\n" + created.inviteCode());
	}

	private void joinCircle() {
		InputDialog dialog = new InputDialog(viewer.getControl().getShell(), "Join a circle",
				"Paste a felund1. invite code:", "", text -> text.trim().startsWith("felund1.") ? null
						: "An invite code starts with felund1.");
		if (dialog.open() != IDialogConstants.OK_ID) {
			return;
		}
		try {
			Circle circle = node.joinCircle(dialog.getValue().trim());
			Selection.select(application, new ChannelRef(circle.circleId(), ChannelRef.DEFAULT_CHANNEL));
			refresh();
		} catch (RuntimeException e) {
			MessageDialog.openError(viewer.getControl().getShell(), "Cannot join", e.getMessage());
		}
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
	}

	private static final class CircleTreeContent implements ITreeContentProvider {
		@Override
		public Object[] getElements(Object input) {
			return input instanceof NodeService n ? n.circles().toArray() : new Object[0];
		}

		@Override
		public Object[] getChildren(Object parent) {
			if (parent instanceof Circle c && input != null) {
				List<Channel> visible = new ArrayList<>();
				for (Channel ch : input.channels(c.circleId())) {
					if (!ChatMessage.CONTROL.equals(ch.channelId())) {
						visible.add(ch);
					}
				}
				return visible.toArray();
			}
			return new Object[0];
		}

		private NodeService input;

		@Override
		public void inputChanged(org.eclipse.jface.viewers.Viewer v, Object oldInput, Object newInput) {
			input = newInput instanceof NodeService n ? n : null;
		}

		@Override
		public Object getParent(Object element) {
			return null;
		}

		@Override
		public boolean hasChildren(Object element) {
			return element instanceof Circle;
		}
	}
}
