package org.felund.ui.settings;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleListener;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeProvider;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The plugin configurations the settings show, kept current while bundles come and go.
 * <p>
 * The rule: every singleton PID that starts with {@value #PID_PREFIX} and is described by the metatype (an
 * {@code OSGI-INF/metatype} designate, or a {@link MetaTypeProvider} service) of a bundle that is active or
 * lazily starting. A stopped or uninstalled plugin's pages go with it. Factory PIDs are not shown. Configurations
 * whose PID starts with {@value #TRANSPORT_PREFIX} are also offered by the first-run setup.
 * <p>
 * Listeners are called on framework threads.
 */
public final class PluginConfigurations implements AutoCloseable {
	private static final System.Logger LOG = System.getLogger(PluginConfigurations.class.getName());
	public static final String PID_PREFIX = "org.felund.";
	public static final String TRANSPORT_PREFIX = "org.felund.transport.";

	private final BundleContext context;
	private final ServiceTracker<ConfigurationAdmin, ConfigurationAdmin> admins;
	private final BundleListener bundles = e -> changed();
	/** Metatype services and providers coming and going. */
	private final ServiceListener providers = e -> changed();
	private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

	public PluginConfigurations(BundleContext context) {
		this.context = context;
		admins = new ServiceTracker<>(context, ConfigurationAdmin.class, null);
	}

	/** Starts tracking; call once. */
	public PluginConfigurations open() {
		try {
			context.addServiceListener(providers, "(|(objectClass=" + MetaTypeService.class.getName() + ")(objectClass="
					+ MetaTypeProvider.class.getName() + ")(" + MetaTypeProvider.METATYPE_PID + "=*))");
		} catch (InvalidSyntaxException e) {
			throw new IllegalStateException(e);
		}
		context.addBundleListener(bundles);
		admins.open();
		return this;
	}

	/** Called (on a framework thread) whenever the list may have changed. */
	public void addListener(Runnable listener) {
		listeners.add(listener);
	}

	public void removeListener(Runnable listener) {
		listeners.remove(listener);
	}

	/** Where the configurations are kept, or null while Configuration Admin is not running. */
	public ConfigurationStore store() {
		ConfigurationAdmin admin = admins.getService();
		return admin == null ? null : new ConfigurationStore(admin);
	}

	/** The configurations to show now, by name. Empty while the metatype service is not running. */
	public List<PluginConfiguration> list() {
		// looked up now rather than tracked: a listener runs after the change it reports, so this sees it
		ServiceReference<MetaTypeService> ref = context.getServiceReference(MetaTypeService.class);
		MetaTypeService metaType = ref == null ? null : context.getService(ref);
		if (metaType == null) {
			return List.of();
		}
		try {
			return list(metaType);
		} finally {
			context.ungetService(ref);
		}
	}

	private List<PluginConfiguration> list(MetaTypeService metaType) {
		String locale = Locale.getDefault().toString();
		List<PluginConfiguration> out = new ArrayList<>();
		for (Bundle bundle : context.getBundles()) {
			if ((bundle.getState() & (Bundle.ACTIVE | Bundle.STARTING)) == 0) {
				continue;
			}
			try {
				MetaTypeInformation info = metaType.getMetaTypeInformation(bundle);
				if (info == null || info.getPids() == null) {
					continue;
				}
				for (String pid : info.getPids()) {
					if (pid.startsWith(PID_PREFIX)) {
						ObjectClassDefinition ocd = info.getObjectClassDefinition(pid, locale);
						if (ocd != null) {
							out.add(new PluginConfiguration(bundle, pid, ocd));
						}
					}
				}
			} catch (RuntimeException e) {
				// a bundle with a broken metatype, or one that went away meanwhile: it gets no page
				LOG.log(Level.WARNING, "No settings for " + bundle.getSymbolicName() + ": " + e.getMessage());
			}
		}
		out.sort(Comparator.comparing(PluginConfiguration::name, String.CASE_INSENSITIVE_ORDER)
				.thenComparing(PluginConfiguration::pid));
		return out;
	}

	private void changed() {
		for (Runnable l : listeners) {
			try {
				l.run();
			} catch (RuntimeException e) {
				LOG.log(Level.WARNING, "A settings listener failed", e);
			}
		}
	}

	@Override
	public void close() {
		context.removeServiceListener(providers);
		context.removeBundleListener(bundles);
		admins.close();
		listeners.clear();
	}
}
