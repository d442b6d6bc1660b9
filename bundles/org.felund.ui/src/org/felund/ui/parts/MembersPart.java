package org.felund.ui.parts;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.di.extensions.Service;
import org.eclipse.e4.ui.di.Focus;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.felund.api.model.Member;
import org.felund.api.node.NodeListener;
import org.felund.api.node.NodeService;
import org.felund.ui.internal.ChannelRef;
import org.felund.ui.internal.WidgetIds;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

/** Who is in the selected circle, when they were last seen and which transports reach them. */
public class MembersPart {
	private static final DateTimeFormatter SEEN = DateTimeFormatter.ofPattern("d MMM HH:mm")
			.withZone(ZoneId.systemDefault());

	@Inject
	private UISynchronize sync;

	private NodeService node;
	private ChannelRef current;
	private Table table;
	private final NodeListener listener = new NodeListener() {
		@Override
		public void circleChanged(String circleId) {
			sync.asyncExec(MembersPart.this::refresh);
		}
	};

	@PostConstruct
	public void createControls(Composite parent) {
		parent.setLayout(new FillLayout());
		table = WidgetIds.tag(new Table(parent, SWT.FULL_SELECTION | SWT.V_SCROLL), "members.table");
		table.setHeaderVisible(true);
		for (String title : new String[] { "Name", "Last seen", "Reached by" }) {
			TableColumn column = new TableColumn(table, SWT.LEFT);
			column.setText(title);
			column.setWidth(title.equals("Name") ? 120 : 90);
		}
		refresh();
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
		}
		if (table != null) {
			sync.asyncExec(this::refresh);
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
		if (node == null || current == null) {
			return;
		}
		String self = node.identity().nodeId();
		for (Member m : node.members(current.circleId())) {
			TableItem item = new TableItem(table, SWT.NONE);
			String name = m.displayName().isBlank() ? m.nodeId() : m.displayName();
			item.setText(0, self.equals(m.nodeId()) ? name + " (you)" : name);
			item.setText(1, m.lastSeen() == 0 ? "—" : SEEN.format(Instant.ofEpochSecond(m.lastSeen())));
			item.setText(2, m.transports().isEmpty() ? "—" : String.join(", ", m.transports()));
		}
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
