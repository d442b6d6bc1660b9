package org.felund.ui.parts;

import java.util.ArrayList;
import java.util.List;

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
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.ProgressBar;
import org.felund.api.call.CallService;
import org.felund.api.node.NodeListener;
import org.felund.api.node.NodeService;
import org.felund.api.transport.TransportState;
import org.felund.ui.internal.ChannelRef;
import org.felund.ui.internal.NodeJobs;
import org.felund.ui.internal.StatusText;
import org.felund.ui.internal.NodeListeners;
import org.felund.ui.internal.WidgetIds;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

/**
 * The bottom status line: node id, what each transport can do and the call indicator, updated live by the
 * services' own notifications; and the background work (joining, first sync, settings) while it runs.
 */
public class StatusLine {
	@Inject
	private UISynchronize sync;

	private NodeService node;
	private CallService calls;
	private ChannelRef current;
	private Label label;
	private Label work;
	private ProgressBar progress;
	private final List<Job> running = new ArrayList<>();
	private final NodeListener listener = new NodeListener() {
		@Override
		public void transportChanged(String transportId, TransportState state) {
			sync.asyncExec(StatusLine.this::refresh);
		}

		@Override
		public void circleChanged(String circleId) {
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
		Composite box = new Composite(parent, SWT.NONE);
		GridLayout layout = new GridLayout(3, false);
		layout.marginHeight = 2;
		box.setLayout(layout);
		label = WidgetIds.tag(new Label(box, SWT.NONE), "status.line");
		label.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
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
			if (label != null) {
				sync.asyncExec(this::refresh);
			}
		}
	}

	@Inject
	@Optional
	void setCalls(@Service CallService service) {
		calls = service;
		if (label != null) {
			sync.asyncExec(this::refresh);
		}
	}

	@Inject
	@Optional
	void setChannel(ChannelRef ref) {
		current = ref;
		if (label != null) {
			refresh();
		}
	}

	private void refresh() {
		if (label == null || label.isDisposed()) {
			return;
		}
		if (node == null) {
			label.setText("Starting the node\u2026");
		} else {
			var transports = node.transports();
			label.setText(StatusText.describe(node.identity().nodeId(), transports,
					calls == null ? null : current == null ? List.of() : calls.calls(current.circleId())));
			label.setToolTipText(StatusText.details(transports));
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
		label.getParent().layout(true);
		label.getParent().getParent().layout(true);
	}

	@PreDestroy
	public void dispose() {
		Job.getJobManager().removeJobChangeListener(jobs);
		if (node != null) {
			node.removeListener(listener);
		}
	}
}
