package org.felund.plugins.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import org.eclipse.equinox.internal.provisional.configurator.Configurator;
import org.eclipse.equinox.p2.metadata.IInstallableUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;

/**
 * The framework running the product whose profile the plugin service changes. After p2 commits a change, this
 * applies it to the running framework where that is safe (simpleconfigurator's {@link Configurator} installs and
 * uninstalls the bundles; DS then registers and unregisters their services), and otherwise says why a restart is
 * needed: the workbench reads model fragments only at start, and bundles that hold SWT widgets or run the framework
 * itself cannot be taken away under it.
 */
final class RunningProduct {
	/** The e4 extension point through which a plugin contributes to the workbench model. */
	static final String E4_MODEL_EXTENSION_POINT = "org.eclipse.e4.workbench.model";
	private static final Set<String> FRAMEWORK_BUNDLES = Set.of("org.eclipse.osgi",
			"org.eclipse.equinox.simpleconfigurator", "org.eclipse.equinox.launcher", "org.apache.felix.scr");

	private final BundleContext context;

	RunningProduct(BundleContext context) {
		this.context = context;
	}

	/** What happened to the running framework. */
	record Outcome(boolean applied, boolean restartRequired, String reason) {
	}

	/**
	 * Applies a committed change. Bundles that cannot be removed live are left running and the product must
	 * restart; otherwise the new configuration is applied and the new bundles are checked.
	 */
	Outcome apply(Collection<IInstallableUnit> added, Collection<IInstallableUnit> removed) {
		List<String> held = new ArrayList<>();
		for (IInstallableUnit iu : removed) {
			Bundle b = bundle(iu);
			if (b != null && mustStayUntilRestart(b)) {
				held.add(b.getSymbolicName());
			}
		}
		if (!held.isEmpty()) {
			return new Outcome(false, true, "Felund must restart to remove " + String.join(", ", held)
					+ " (the workbench or the framework uses " + (held.size() == 1 ? "it" : "them") + ")");
		}
		for (IInstallableUnit iu : added) {
			if (Features.isBundle(iu) && FRAMEWORK_BUNDLES.contains(iu.getId())) {
				return new Outcome(false, true, "Felund must restart to run the new " + iu.getId());
			}
		}
		ServiceReference<Configurator> ref = context.getServiceReference(Configurator.class);
		Configurator configurator = ref == null ? null : context.getService(ref);
		if (configurator == null) {
			return new Outcome(false, true, "Felund must restart to load the change (no configurator is running)");
		}
		try {
			configurator.applyConfiguration();
		} catch (IOException e) {
			return new Outcome(false, true, "Felund must restart to load the change (" + e.getMessage() + ")");
		} finally {
			context.ungetService(ref);
		}
		List<String> unresolved = new ArrayList<>();
		List<String> contributesUi = new ArrayList<>();
		for (IInstallableUnit iu : added) {
			if (!Features.isBundle(iu)) {
				continue;
			}
			Bundle b = bundle(iu);
			if (b == null || b.getState() == Bundle.INSTALLED || b.getState() == Bundle.UNINSTALLED) {
				unresolved.add(iu.getId());
			} else if (contributesToWorkbenchModel(b) && workbenchRuns()) {
				contributesUi.add(iu.getId());
			}
		}
		if (!unresolved.isEmpty()) {
			return new Outcome(true, true, "Felund must restart to start " + String.join(", ", unresolved));
		}
		if (!contributesUi.isEmpty()) {
			return new Outcome(true, true, "Felund must restart to show what " + String.join(", ", contributesUi)
					+ " adds to the window");
		}
		return new Outcome(true, false, "");
	}

	private Bundle bundle(IInstallableUnit iu) {
		Version version;
		try {
			version = Version.parseVersion(iu.getVersion().toString());
		} catch (IllegalArgumentException e) {
			return null;
		}
		for (Bundle b : context.getBundles()) {
			if (iu.getId().equals(b.getSymbolicName()) && version.equals(b.getVersion())) {
				return b;
			}
		}
		return null;
	}

	private boolean workbenchRuns() {
		for (Bundle b : context.getBundles()) {
			if ("org.eclipse.e4.ui.workbench".equals(b.getSymbolicName()) && b.getState() == Bundle.ACTIVE) {
				return true;
			}
		}
		return false;
	}

	/** Bundles the running product cannot drop: the framework's own, and those bound to the workbench. */
	private boolean mustStayUntilRestart(Bundle b) {
		if (FRAMEWORK_BUNDLES.contains(b.getSymbolicName()) || b.getSymbolicName().startsWith("org.eclipse.equinox.p2.")) {
			return true;
		}
		if (contributesToWorkbenchModel(b)) {
			return true;
		}
		BundleWiring wiring = b.adapt(BundleWiring.class);
		if (wiring == null) {
			return false;
		}
		for (BundleWire wire : wiring.getRequiredWires(null)) {
			BundleRevision provider = wire.getProvider();
			if (provider != null && "org.eclipse.swt".equals(provider.getSymbolicName())) {
				return true;
			}
		}
		return false;
	}

	static boolean contributesToWorkbenchModel(Bundle b) {
		URL pluginXml = b.getEntry("plugin.xml");
		if (pluginXml == null) {
			return false;
		}
		try (InputStream in = pluginXml.openStream()) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8).contains(E4_MODEL_EXTENSION_POINT);
		} catch (IOException e) {
			return false;
		}
	}
}
