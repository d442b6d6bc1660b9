package org.felund.ui.parts;

import java.util.Map;
import java.util.StringJoiner;

import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.di.extensions.Service;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.felund.api.node.NodeListener;
import org.felund.api.node.NodeService;
import org.felund.api.transport.TransportState;
import org.felund.ui.internal.WidgetIds;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

/** The bottom status line: node id and what each transport can do, updated live by the services. */
public class StatusLine {
	@Inject
	private UISynchronize sync;

	private NodeService node;
	private Label label;
	private final NodeListener listener = new NodeListener() {
		@Override
		public void transportChanged(String transportId, TransportState state) {
			sync.asyncExec(StatusLine.this::refresh);
		}
	};

	@PostConstruct
	public void createControls(Composite parent) {
		Composite box = new Composite(parent, SWT.NONE);
		box.setLayout(new GridLayout(1, false));
		label = WidgetIds.tag(new Label(box, SWT.NONE), "status.line");
		label.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
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
		if (label != null) {
			sync.asyncExec(this::refresh);
		}
	}

	static String describe(String nodeId, Map<String, TransportState> transports) {
		StringJoiner line = new StringJoiner("  ·  ");
		line.add("node " + nodeId);
		TransportState gossip = transports.get("gossip");
		line.add("gossip peers " + (gossip == null ? 0 : gossip.peers()));
		TransportState relay = transports.get("relay");
		line.add("relay " + (relay == null ? "offline" : relay.mode().name().toLowerCase()));
		TransportState p2p = transports.get("webrtc");
		line.add("p2p(" + (p2p == null ? 0 : p2p.peers()) + ")");
		return line.toString();
	}

	private void refresh() {
		if (label == null || label.isDisposed()) {
			return;
		}
		label.setText(node == null ? "Starting the node…" : describe(node.identity().nodeId(), node.transports()));
		label.getParent().layout();
		label.getParent().getParent().layout();
	}

	@PreDestroy
	public void dispose() {
		if (node != null) {
			node.removeListener(listener);
		}
	}
}
