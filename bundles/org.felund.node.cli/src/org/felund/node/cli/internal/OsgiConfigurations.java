package org.felund.node.cli.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.osgi.util.tracker.ServiceTracker;

/** {@link Configurations} over the framework's Configuration Admin and Metatype services. */
final class OsgiConfigurations implements Configurations, AutoCloseable {
	private static final long WAIT_MILLIS = 10_000;

	private final BundleContext context;
	private final ServiceTracker<ConfigurationAdmin, ConfigurationAdmin> admin;
	private final ServiceTracker<MetaTypeService, MetaTypeService> metatype;

	OsgiConfigurations(BundleContext context) {
		this.context = context;
		this.admin = new ServiceTracker<>(context, ConfigurationAdmin.class, null);
		this.metatype = new ServiceTracker<>(context, MetaTypeService.class, null);
		admin.open();
		metatype.open();
	}

	@Override
	public void close() {
		admin.close();
		metatype.close();
	}

	@Override
	public List<String> pids() {
		TreeSet<String> pids = new TreeSet<>();
		MetaTypeService mts = service(metatype, "the Metatype service");
		for (Bundle b : context.getBundles()) {
			MetaTypeInformation info = mts.getMetaTypeInformation(b);
			if (info != null && info.getPids() != null) {
				pids.addAll(Arrays.asList(info.getPids()));
			}
		}
		try {
			Configuration[] all = service(admin, "Configuration Admin").listConfigurations(null);
			if (all != null) {
				for (Configuration c : all) {
					if (c.getFactoryPid() == null) {
						pids.add(c.getPid());
					}
				}
			}
		} catch (IOException | InvalidSyntaxException e) {
			throw new IllegalStateException("Cannot list configurations: " + e.getMessage(), e);
		}
		return List.copyOf(pids);
	}

	@Override
	public Optional<Description> describe(String pid) {
		MetaTypeService mts = service(metatype, "the Metatype service");
		for (Bundle b : context.getBundles()) {
			MetaTypeInformation info = mts.getMetaTypeInformation(b);
			if (info == null || info.getPids() == null || !Arrays.asList(info.getPids()).contains(pid)) {
				continue;
			}
			ObjectClassDefinition ocd = info.getObjectClassDefinition(pid, null);
			List<Setting> settings = new ArrayList<>();
			AttributeDefinition[] ads = ocd.getAttributeDefinitions(ObjectClassDefinition.ALL);
			for (AttributeDefinition ad : ads == null ? new AttributeDefinition[0] : ads) {
				settings.add(new Setting(ad.getID(), text(ad.getName()), text(ad.getDescription()), type(ad.getType()),
						Math.abs(ad.getCardinality()), list(ad.getDefaultValue()), list(ad.getOptionValues()),
						ad::validate));
			}
			return Optional.of(new Description(pid, text(ocd.getName()), text(ocd.getDescription()), settings));
		}
		return Optional.empty();
	}

	@Override
	public Map<String, Object> values(String pid) {
		Configuration c = existing(pid);
		Map<String, Object> out = new LinkedHashMap<>();
		if (c != null && c.getProperties() != null) {
			Dictionary<String, Object> p = c.getProperties();
			for (var keys = p.keys(); keys.hasMoreElements();) {
				String k = keys.nextElement();
				if (!k.equals("service.pid") && !k.equals("service.factoryPid") && !k.equals("service.bundleLocation")) {
					out.put(k, p.get(k));
				}
			}
		}
		return out;
	}

	@Override
	public void replace(String pid, Map<String, Object> values) {
		try {
			if (values.isEmpty()) {
				Configuration c = existing(pid);
				if (c != null) {
					c.delete();
				}
				return;
			}
			// Location "?": any bundle may bind it (the plugin that owns the PID may be installed later).
			Configuration c = service(admin, "Configuration Admin").getConfiguration(pid, "?");
			c.update(new Hashtable<>(values));
		} catch (IOException e) {
			throw new UncheckedIOException("Cannot write the configuration " + pid + ": " + e.getMessage(), e);
		}
	}

	private Configuration existing(String pid) {
		try {
			Configuration[] found = service(admin, "Configuration Admin")
					.listConfigurations("(service.pid=" + pid.replaceAll("([\\\\*()])", "\\\\$1") + ")");
			return found == null || found.length == 0 ? null : found[0];
		} catch (IOException | InvalidSyntaxException e) {
			throw new IllegalStateException("Cannot read the configuration " + pid + ": " + e.getMessage(), e);
		}
	}

	private static <T> T service(ServiceTracker<T, T> tracker, String what) {
		try {
			T s = tracker.waitForService(WAIT_MILLIS);
			if (s == null) {
				throw new IllegalStateException(what + " is not running");
			}
			return s;
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for " + what, e);
		}
	}

	private static Type type(int adType) {
		return switch (adType) {
		case AttributeDefinition.LONG -> Type.LONG;
		case AttributeDefinition.INTEGER -> Type.INTEGER;
		case AttributeDefinition.SHORT -> Type.SHORT;
		case AttributeDefinition.CHARACTER -> Type.CHARACTER;
		case AttributeDefinition.BYTE -> Type.BYTE;
		case AttributeDefinition.DOUBLE -> Type.DOUBLE;
		case AttributeDefinition.FLOAT -> Type.FLOAT;
		case AttributeDefinition.BOOLEAN -> Type.BOOLEAN;
		case AttributeDefinition.PASSWORD -> Type.PASSWORD;
		default -> Type.STRING;
		};
	}

	private static List<String> list(String[] values) {
		return values == null ? List.of() : List.of(values);
	}

	private static String text(String s) {
		return s == null ? "" : s;
	}
}
