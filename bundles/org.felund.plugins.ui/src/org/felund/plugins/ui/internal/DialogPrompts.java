package org.felund.plugins.ui.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.swt.widgets.Shell;
import org.felund.plugins.PluginLicense;
import org.felund.plugins.PluginPrompts;

/**
 * p2's questions while a plan is applied, asked in dialogs on the UI thread. Licenses were accepted in the review
 * before the plan was applied; trust is asked when p2 finds unsigned or untrusted content.
 */
final class DialogPrompts implements PluginPrompts {
	private final Shell parent;
	private final Set<String> reviewedLicenses = new HashSet<>();

	DialogPrompts(Shell parent, List<PluginLicense> acceptedInReview) {
		this.parent = parent;
		acceptedInReview.forEach(l -> reviewedLicenses.add(l.uuid()));
	}

	@Override
	public boolean acceptLicenses(List<PluginLicense> licenses) {
		return licenses.stream().allMatch(l -> reviewedLicenses.contains(l.uuid()));
	}

	@Override
	public boolean trust(TrustRequest request) {
		AtomicBoolean yes = new AtomicBoolean();
		if (parent.isDisposed()) {
			return false;
		}
		parent.getDisplay().syncExec(() -> {
			if (!parent.isDisposed()) {
				yes.set(new TrustDialog(parent, request).open() == TrustDialog.OK);
			}
		});
		return yes.get();
	}
}
