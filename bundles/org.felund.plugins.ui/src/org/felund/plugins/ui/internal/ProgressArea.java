package org.felund.plugins.ui.internal;

import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.ProgressBar;
import org.felund.plugins.PluginProgress;

/**
 * The dialog's progress row: what the running operation does, how far it is, and Cancel. The operation reports from
 * its own thread; the widgets are updated on the UI thread, at most once per pending update.
 */
final class ProgressArea {
	private final Composite row;
	private final Label task;
	private final ProgressBar bar;
	private final Button cancel;
	private volatile Run current;

	ProgressArea(Composite parent) {
		row = new Composite(parent, SWT.NONE);
		row.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
		GridLayout layout = new GridLayout(3, false);
		layout.marginWidth = 0;
		row.setLayout(layout);
		task = Ids.tag(new Label(row, SWT.NONE), "plugins.progress.task");
		GridData taskData = new GridData(SWT.FILL, SWT.CENTER, true, false);
		taskData.widthHint = 360;
		task.setLayoutData(taskData);
		bar = Ids.tag(new ProgressBar(row, SWT.HORIZONTAL | SWT.SMOOTH), "plugins.progress.bar");
		GridData barData = new GridData(SWT.FILL, SWT.CENTER, false, false);
		barData.widthHint = 220;
		bar.setLayoutData(barData);
		cancel = Ids.tag(new Button(row, SWT.PUSH), "plugins.cancel");
		cancel.setText("Cancel");
		cancel.addListener(SWT.Selection, e -> {
			Run run = current;
			if (run != null) {
				run.canceled = true;
				cancel.setEnabled(false);
				task.setText(run.name + ": canceling…");
			}
		});
		show(false);
	}

	/** Starts showing an operation; the returned progress goes to the operation's thread. */
	PluginProgress start(String name) {
		Run run = new Run(name);
		current = run;
		task.setText(name + "…");
		bar.setMaximum(100);
		bar.setSelection(0);
		cancel.setEnabled(true);
		show(true);
		return run;
	}

	/** Hides the row once the operation is over (UI thread). */
	void stop() {
		current = null;
		show(false);
	}

	private void show(boolean visible) {
		if (row.isDisposed()) {
			return;
		}
		row.setVisible(visible);
		((GridData) row.getLayoutData()).exclude = !visible;
		row.getParent().layout(true, true);
	}

	/** One operation's progress. */
	private final class Run implements PluginProgress {
		final String name;
		volatile boolean canceled;
		private volatile String taskName;
		private volatile String subTask = "";
		private volatile int total = -1;
		private volatile int done;
		private final AtomicBoolean pending = new AtomicBoolean();

		Run(String name) {
			this.name = name;
			this.taskName = name;
		}

		@Override
		public void begin(String task, int totalWork) {
			if (!task.isBlank()) {
				taskName = task;
			}
			total = totalWork;
			done = 0;
			refresh();
		}

		@Override
		public void subTask(String name) {
			subTask = name;
			refresh();
		}

		@Override
		public void worked(int work) {
			done += work;
			refresh();
		}

		@Override
		public boolean isCanceled() {
			return canceled;
		}

		private void refresh() {
			if (row.isDisposed() || !pending.compareAndSet(false, true)) {
				return;
			}
			row.getDisplay().asyncExec(() -> {
				pending.set(false);
				if (row.isDisposed() || current != this) {
					return;
				}
				String step = subTask.isBlank() ? taskName : subTask;
				String text = canceled ? name + ": canceling…" : step.isBlank() || step.equals(name) ? name + "…"
						: name + ": " + step;
				task.setText(text.length() > 90 ? text.substring(0, 87) + "…" : text);
				task.setToolTipText(text);
				if (total > 0) {
					bar.setMaximum(total);
					bar.setSelection(Math.min(done, total));
				}
			});
		}
	}
}
