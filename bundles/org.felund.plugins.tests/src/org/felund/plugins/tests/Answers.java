package org.felund.plugins.tests;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.felund.plugins.PluginLicense;
import org.felund.plugins.PluginPrompts;

/** Fixed answers to p2's questions, and a record of the questions asked. */
final class Answers implements PluginPrompts {
	final boolean licenses;
	final boolean trust;
	final List<List<PluginLicense>> licenseQuestions = new CopyOnWriteArrayList<>();
	final List<TrustRequest> trustQuestions = new CopyOnWriteArrayList<>();

	private Answers(boolean licenses, boolean trust) {
		this.licenses = licenses;
		this.trust = trust;
	}

	static Answers yes() {
		return new Answers(true, true);
	}

	static Answers declineLicense() {
		return new Answers(false, true);
	}

	static Answers distrust() {
		return new Answers(true, false);
	}

	@Override
	public boolean acceptLicenses(List<PluginLicense> list) {
		licenseQuestions.add(list);
		return licenses;
	}

	@Override
	public boolean trust(TrustRequest request) {
		trustQuestions.add(request);
		return trust;
	}
}
