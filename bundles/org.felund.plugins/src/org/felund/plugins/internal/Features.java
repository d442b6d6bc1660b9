package org.felund.plugins.internal;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.eclipse.equinox.p2.metadata.IInstallableUnit;
import org.eclipse.equinox.p2.metadata.IProvidedCapability;
import org.eclipse.equinox.p2.query.IQueryable;
import org.eclipse.equinox.p2.query.QueryUtil;
import org.felund.plugins.Plugin;
import org.felund.plugins.PluginService;

/** What makes a p2 feature a Felund plugin, and how it reads for people. */
final class Features {
	static final String GROUP_SUFFIX = ".feature.group";
	static final Comparator<Plugin> BY_NAME = Comparator.comparing((Plugin p) -> p.name().toLowerCase(Locale.ROOT))
			.thenComparing(Plugin::id);

	private Features() {
	}

	/** The feature group's IU id for a plugin id given with or without {@code .feature.group}. */
	static String groupId(String pluginId) {
		String id = pluginId.strip();
		return id.endsWith(GROUP_SUFFIX) ? id : id + GROUP_SUFFIX;
	}

	static String pluginId(IInstallableUnit group) {
		String id = group.getId();
		return id.endsWith(GROUP_SUFFIX) ? id.substring(0, id.length() - GROUP_SUFFIX.length()) : id;
	}

	/** The products a feature group says it is a plugin for; empty when it is no Felund plugin. */
	static String[] products(IInstallableUnit iu) {
		String value = iu.getProperty(PluginService.PRODUCTS_PROPERTY);
		if (value == null || value.isBlank()) {
			return new String[0];
		}
		return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toArray(String[]::new);
	}

	static boolean isPluginFor(IInstallableUnit iu, String product) {
		return QueryUtil.isGroup(iu) && Arrays.asList(products(iu)).contains(product);
	}

	static boolean isPlugin(IInstallableUnit iu) {
		return QueryUtil.isGroup(iu) && products(iu).length > 0;
	}

	static Plugin describe(IInstallableUnit iu, String category) {
		return new Plugin(pluginId(iu), iu.getVersion().toString(), text(iu, IInstallableUnit.PROP_NAME, pluginId(iu)),
				text(iu, IInstallableUnit.PROP_DESCRIPTION, ""), text(iu, IInstallableUnit.PROP_PROVIDER, ""),
				category);
	}

	/** A bundle's or feature's name for people. */
	static String name(IInstallableUnit iu) {
		return QueryUtil.isGroup(iu) ? text(iu, IInstallableUnit.PROP_NAME, pluginId(iu))
				: text(iu, IInstallableUnit.PROP_NAME, iu.getId());
	}

	private static String text(IInstallableUnit iu, String key, String fallback) {
		String v = iu.getProperty(key, null);
		if (v == null || v.isBlank() || v.startsWith("%")) {
			return fallback;
		}
		return v.strip().replaceAll("\\s+", " ");
	}

	/** The category label of each feature group listed in a category of the repository. */
	static Map<String, String> categories(IQueryable<IInstallableUnit> repository) {
		Map<String, String> byGroup = new HashMap<>();
		for (IInstallableUnit category : repository.query(QueryUtil.createIUCategoryQuery(), null)) {
			String label = text(category, IInstallableUnit.PROP_NAME, category.getId());
			for (IInstallableUnit member : repository.query(QueryUtil.createIUCategoryMemberQuery(category), null)) {
				byGroup.putIfAbsent(member.getId(), label);
			}
		}
		return byGroup;
	}

	/** Whether the IU is an OSGi bundle (as opposed to a feature, a product or configuration). */
	static boolean isBundle(IInstallableUnit iu) {
		for (IProvidedCapability c : iu.getProvidedCapabilities()) {
			if ("osgi.bundle".equals(c.getNamespace())) {
				return true;
			}
		}
		return false;
	}
}
