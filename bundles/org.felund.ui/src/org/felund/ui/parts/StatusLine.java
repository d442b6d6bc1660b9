package org.felund.ui.parts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.IJobChangeListener;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.di.extensions.Service;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.layout.RowData;
import org.eclipse.swt.layout.RowLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.ProgressBar;
import org.felund.api.node.NodeListener;
import org.felund.api.node.NodeService;
import org.felund.api.transport.TransportState;
import org.felund.ui.internal.NodeJobs;
import org.felund.ui.internal.NodeListeners;
import org.felund.ui.internal.StatusText;
import org.felund.ui.internal.WidgetIds;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

/**
 * The bottom status line: the node id, then one segment per attached transport (its own label, its detail as the
 * tooltip) that comes and goes with the transport; and the background work (joining, the first sync, indexing)
 * while it runs. Plugins add their own segments as tool controls in the same trim bar.
 */
public class StatusLine {
	@Inject
	private UISynchronize sync;

	private NodeService node;
	private Composite box;
	private Label nodeLabel;
	private Composite segments;
	private final Map<String, Label> shown = new LinkedHashMap<>();
	private Label work;
	private ProgressBar progress;
	private final List<Job> running = new ArrayList<>();
	private final NodeListener listener = new NodeListener() {
		@Override
		public void transportChanged(String transportId, TransportState state) {
			sync.asyncExec(StatusLine.this::refresh);
		}

		@Override
		public void transportRemoved(String transportId) {
			sync.asyncExec(StatusLine.this::refresh);
		}
	};
	private final IJobChangeListener jobs = new JobChangeAdapter() {
		@Override
		public void running(IJobChangeEvent event) {
			if (event.getJob().belongsTo(NodeJobs.FAMILY)) {
				sync.asyncExec(() -> {
					running.add(event.getJob());
					showWork();
				});
			}
		}

		@Override
		public void done(IJobChangeEvent event) {
			if (event.getJob().belongsTo(NodeJobs.FAMILY)) {
				sync.asyncExec(() -> {
					running.remove(event.getJob());
					showWork();
				});
			}
		}
	};

	@PostConstruct
	public void createControls(Composite parent) {
		box = WidgetIds.tag(new Composite(parent, SWT.NONE), "status.line");
		GridLayout layout = new GridLayout(4, false);
		layout.marginHeight = 2;
		layout.horizontalSpacing = 16;
		box.setLayout(layout);
		nodeLabel = WidgetIds.tag(new Label(box, SWT.NONE), "status.node");
		nodeLabel.setLayoutData(new GridData(SWT.LEFT, SWT.CENTER, false, false));
		segments = WidgetIds.tag(new Composite(box, SWT.NONE), "status.transports");
		RowLayout row = new RowLayout(SWT.HORIZONTAL);
		row.marginTop = row.marginBottom = row.marginLeft = row.marginRight = 0;
		row.spacing = 16;
		row.center = true;
		segments.setLayout(row);
		segments.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
		work = WidgetIds.tag(new Label(box, SWT.NONE), "status.work");
		work.setLayoutData(new GridData(SWT.RIGHT, SWT.CENTER, false, false));
		progress = WidgetIds.tag(new ProgressBar(box, SWT.INDETERMINATE | SWT.HORIZONTAL), "status.progress");
		GridData progressData = new GridData(SWT.RIGHT, SWT.CENTER, false, false);
		progressData.widthHint = 90;
		progressData.heightHint = 12;
		progress.setLayoutData(progressData);
		Job.getJobManager().addJobChangeListener(jobs);
		showWork();
		refresh();
	}

	@Inject
	@Optional
	void setNode(@Service NodeService service) {
		if (NodeListeners.move(node, service, listener)) {
			node = service;
			if (box != null) {
				sync.asyncExec(this::refresh);
			}
		}
	}

	/** Rebuilds the segments from what the node reports now: new transports appear, detached ones go. */
	private void refresh() {
		if (box == null || box.isDisposed()) {
			return;
		}
		Map<String, TransportState> transports = node == null ? Map.of() : new TreeMap<>(node.transports());
		nodeLabel.setText(node == null ? "Starting the node\u2026" : StatusText.node(node.identity().nodeId()));
		Map<String, String[]> wanted = new LinkedHashMap<>();
		if (node != null && transports.isEmpty()) {
			wanted.put("", new String[] { StatusText.NO_TRANSPORT, StatusText.NO_TRANSPORT_DETAIL });
		}
		transports.forEach((id, state) -> wanted.put(id,
				new String[] { StatusText.segment(id, state), StatusText.tooltip(id, state) }));
		shown.keySet().removeIf(id -> {
			if (!wanted.containsKey(id)) {
				shown.get(id).dispose();
				return true;
			}
			return false;
		});
		Control previous = null;
		for (Map.Entry<String, String[]> e : wanted.entrySet()) {
			Label label = shown.computeIfAbsent(e.getKey(), id -> WidgetIds.tag(new Label(segments, SWT.NONE),
					id.isEmpty() ? "status.transport" : "status.transport." + id));
			label.setText(e.getValue()[0]);
			label.setToolTipText(e.getValue()[1]);
			label.setLayoutData(new RowData());
			// keep the segments in the order of their ids
			if (previous == null) {
				label.moveAbove(null);
			} else {
				label.moveBelow(previous);
			}
			previous = label;
		}
		relayout();
	}

	private void showWork() {
		if (work == null || work.isDisposed()) {
			return;
		}
		boolean busy = !running.isEmpty();
		work.setText(busy ? running.get(running.size() - 1).getName() + "\u2026" : "");
		progress.setVisible(busy);
		((GridData) progress.getLayoutData()).exclude = !busy;
		((GridData) work.getLayoutData()).exclude = !busy;
		work.setVisible(busy);
		relayout();
	}

	private void relayout() {
		box.layout(true, true);
		box.getParent().layout(true);
	}

	@PreDestroy
	public void dispose() {
		Job.getJobManager().removeJobChangeListener(jobs);
		if (node != null) {
			node.removeListener(listener);
		}
	}
}
