package org.felund.testsupport.ui;

import java.util.Map;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkUtil;

/**
 * The branding of the Felund desktop product (as in org.felund.ui/plugin.xml), handed to E4Application so
 * the test boots exactly the model, CSS and options the product uses.
 */
public final class ProductApplicationContext implements IApplicationContext {
	private static final Map<String, String> BRANDING = Map.of( //
			"appName", "Felund", //
			"applicationXMI", "org.felund.ui/Application.e4xmi", //
			"cssTheme", "org.felund.ui.theme.light", //
			"clearPersistedState", "true", //
			"lifeCycleURI", "bundleclass://org.felund.ui/org.felund.ui.addons.LifeCycle", //
			"persistState", "false");

	@Override
	public Map<String, Object> getArguments() {
		return Map.of(IApplicationContext.APPLICATION_ARGS, new String[0]);
	}

	@Override
	public void applicationRunning() {
	}

	@Override
	public String getBrandingApplication() {
		return "org.eclipse.e4.ui.workbench.swt.E4Application";
	}

	@Override
	public String getBrandingName() {
		return "Felund";
	}

	@Override
	public String getBrandingDescription() {
		return "Felund desktop";
	}

	@Override
	public String getBrandingId() {
		return "org.felund.ui.product";
	}

	@Override
	public String getBrandingProperty(String key) {
		return BRANDING.get(key);
	}

	@Override
	public Bundle getBrandingBundle() {
		Bundle own = FrameworkUtil.getBundle(ProductApplicationContext.class);
		if (own.getBundleContext() == null) {
			// Nothing starts a test-support bundle; it has no activator, so starting it only gives it a context.
			try {
				own.start(Bundle.START_TRANSIENT);
			} catch (BundleException e) {
				throw new IllegalStateException("cannot start " + own.getSymbolicName(), e);
			}
		}
		for (Bundle b : own.getBundleContext().getBundles()) {
			if ("org.felund.ui".equals(b.getSymbolicName())) {
				return b;
			}
		}
		throw new IllegalStateException("org.felund.ui is not installed");
	}

	@Override
	public void setResult(Object result, IApplication application) {
	}
}
