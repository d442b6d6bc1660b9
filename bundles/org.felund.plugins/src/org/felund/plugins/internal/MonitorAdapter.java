package org.felund.plugins.internal;

import org.eclipse.core.runtime.IProgressMonitor;
import org.felund.plugins.PluginProgress;

/** Shows p2's progress through a {@link PluginProgress}, and lets it cancel p2. */
final class MonitorAdapter implements IProgressMonitor {
	private final PluginProgress progress;
	private volatile boolean canceled;
	private double fraction;

	MonitorAdapter(PluginProgress progress) {
		this.progress = progress;
	}

	@Override
	public void beginTask(String name, int totalWork) {
		progress.begin(name == null ? "" : name, totalWork == UNKNOWN ? -1 : totalWork);
	}

	@Override
	public void done() {
	}

	@Override
	public void internalWorked(double work) {
		fraction += work;
		int whole = (int) fraction;
		if (whole > 0) {
			fraction -= whole;
			progress.worked(whole);
		}
	}

	@Override
	public void worked(int work) {
		internalWorked(work);
	}

	@Override
	public boolean isCanceled() {
		return canceled || progress.isCanceled();
	}

	@Override
	public void setCanceled(boolean value) {
		canceled = value;
	}

	@Override
	public void setTaskName(String name) {
		if (name != null && !name.isBlank()) {
			progress.subTask(name);
		}
	}

	@Override
	public void subTask(String name) {
		if (name != null && !name.isBlank()) {
			progress.subTask(name);
		}
	}
}
