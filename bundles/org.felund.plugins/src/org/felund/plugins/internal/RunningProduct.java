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

/**
 * The framework running the product whose profile the plugin service changes. After p2 commits a change, this
 * applies it to the running framework where that is possible (simpleconfigurator's {@link Configurator} installs
 * and uninstalls the bundles; DS then registers and unregisters their services, and the workbench merges and takes
 * away the model fragments of bundles that declare them in their {@code Model-Fragment} header), and otherwise says
 * why a restart is needed: a fragment declared through the {@code org.eclipse.e4.workbench.model} extension is
 * merged only when the workbench starts and never taken away, and the framework's and p2's own bundles cannot be
 * replaced under them.
 */
public final class RunningProduct {
	/** The e4 extension point through which a plugin contributes to the workbench model. */
	static final String E4_MODEL_EXTENSION_POINT = "org.eclipse.e4.workbench.model";
	private static final Set<String> FRAMEWORK_BUNDLES = Set.of("org.eclipse.osgi",
			"org.eclipse.equinox.simpleconfigurator", "org.eclipse.equinox.launcher", "org.apache.felix.scr");

	private final BundleContext context;

	public RunningProduct(BundleContext context) {
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
		List<Bundle> removing = new ArrayList<>();
		for (IInstallableUnit iu : removed) {
			Bundle b = bundle(iu);
			if (b != null) {
				removing.add(b);
			}
		}
		String held = holdReason(removing);
		if (!held.isEmpty()) {
			return new Outcome(false, true, held);
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
		List<String> missing = new ArrayList<>();
		List<Bundle> arrived = new ArrayList<>();
		for (IInstallableUnit iu : added) {
			if (Features.isBundle(iu)) {
				Bundle b = bundle(iu);
				if (b == null) {
					missing.add(iu.getId());
				} else {
					arrived.add(b);
				}
			}
		}
		if (!missing.isEmpty()) {
			return new Outcome(true, true, "Felund must restart to start " + String.join(", ", missing));
		}
		String reason = restartReason(arrived);
		return new Outcome(true, !reason.isEmpty(), reason);
	}

	/** Why the running product must restart before these bundles can be taken out of it, or empty. */
	public String holdReason(Collection<Bundle> removing) {
		List<String> held = removing.stream().filter(this::mustStayUntilRestart).map(Bundle::getSymbolicName).toList();
		if (held.isEmpty()) {
			return "";
		}
		return "Felund must restart to remove " + String.join(", ", held) + " (the workbench or the framework uses "
				+ (held.size() == 1 ? "it" : "them") + ")";
	}

	/** Why the running product must restart for these newly installed bundles to take effect, or empty. */
	public String restartReason(Collection<Bundle> arrived) {
		List<String> unresolved = new ArrayList<>();
		List<String> readAtStart = new ArrayList<>();
		for (Bundle b : arrived) {
			if (b.getState() == Bundle.INSTALLED || b.getState() == Bundle.UNINSTALLED) {
				unresolved.add(b.getSymbolicName());
			} else if (contributesToWorkbenchModel(b) && workbenchRuns()) {
				readAtStart.add(b.getSymbolicName());
			}
		}
		if (!unresolved.isEmpty()) {
			return "Felund must restart to start " + String.join(", ", unresolved);
		}
		if (!readAtStart.isEmpty()) {
			return "Felund must restart to show what " + String.join(", ", readAtStart)
					+ " adds to the window (its model fragment is read at start)";
		}
		return "";
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

	/** Whether this product has the e4 workbench (the desktop); a node has none, and nothing reads fragments. */
	private boolean workbenchRuns() {
		for (Bundle b : context.getBundles()) {
			if ("org.eclipse.e4.ui.workbench".equals(b.getSymbolicName())
					&& (b.getState() & (Bundle.RESOLVED | Bundle.STARTING | Bundle.ACTIVE)) != 0) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Bundles the running product cannot drop: the framework's own and p2's, and those whose model fragment the
	 * workbench merged at start (it never takes such a fragment away).
	 */
	private boolean mustStayUntilRestart(Bundle b) {
		return FRAMEWORK_BUNDLES.contains(b.getSymbolicName()) || b.getSymbolicName().startsWith("org.eclipse.equinox.p2.")
				|| contributesToWorkbenchModel(b);
	}

	/**
	 * Whether the bundle contributes to the workbench model through the {@code org.eclipse.e4.workbench.model}
	 * extension, which e4 reads only at start. (A {@code Model-Fragment} header follows the bundle's life instead.)
	 */
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
