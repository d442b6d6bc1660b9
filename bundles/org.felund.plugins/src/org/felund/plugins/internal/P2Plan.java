package org.felund.plugins.internal;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.equinox.p2.metadata.IInstallableUnit;
import org.eclipse.equinox.p2.operations.ProfileChangeOperation;
import org.felund.plugins.PluginChange;
import org.felund.plugins.PluginLicense;
import org.felund.plugins.PluginPlan;
import org.felund.plugins.PluginRequest;

/** A resolved p2 operation, with what it changes, waiting to be applied once. */
record P2Plan(P2PluginService owner, PluginRequest request, List<PluginChange> changes, List<PluginLicense> licenses,
		String summary, ProfileChangeOperation operation, List<IInstallableUnit> added,
		List<IInstallableUnit> removed, long profileTimestamp, AtomicBoolean applied) implements PluginPlan {

	P2Plan(P2PluginService owner, PluginRequest request, List<PluginChange> changes, List<PluginLicense> licenses,
			String summary, ProfileChangeOperation operation, List<IInstallableUnit> added,
			List<IInstallableUnit> removed, long profileTimestamp) {
		this(owner, request, List.copyOf(changes), List.copyOf(licenses), summary, operation, List.copyOf(added),
				List.copyOf(removed), profileTimestamp, new AtomicBoolean());
	}

	/** A plan with nothing to do, and why. */
	static P2Plan empty(P2PluginService owner, PluginRequest request, String why) {
		return new P2Plan(owner, request, List.of(), List.of(), why, null, List.of(), List.of(), 0);
	}

	/** True the first time only: a plan is applied once. */
	boolean claim() {
		return applied.compareAndSet(false, true);
	}

	@Override
	public String toString() {
		return "P2Plan[" + request + ": " + summary + "]";
	}
}
