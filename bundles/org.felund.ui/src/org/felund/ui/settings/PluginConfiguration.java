package org.felund.ui.settings;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.osgi.framework.Bundle;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * One plugin configuration the settings show a page for: a PID, the bundle whose metatype describes it, and that
 * description (name, attributes with their types, options, defaults and cardinality).
 */
public record PluginConfiguration(Bundle bundle, String pid, ObjectClassDefinition definition) {
	public String name() {
		String name = definition.getName();
		return name == null || name.isBlank() ? pid : name;
	}

	public String description() {
		String d = definition.getDescription();
		return d == null ? "" : d;
	}

	/** The attributes in the order the metatype lists them. */
	public List<AttributeDefinition> attributes() {
		AttributeDefinition[] all = definition.getAttributeDefinitions(ObjectClassDefinition.ALL);
		return all == null ? List.of() : List.of(all);
	}

	/** Ids of the attributes the metatype marks required. */
	public Set<String> required() {
		AttributeDefinition[] required = definition.getAttributeDefinitions(ObjectClassDefinition.REQUIRED);
		Set<String> ids = new HashSet<>();
		if (required != null) {
			for (AttributeDefinition ad : required) {
				ids.add(ad.getID());
			}
		}
		return ids;
	}

	/** Transports' configurations are also offered in the first-run setup. */
	public boolean isTransport() {
		return pid.startsWith(PluginConfigurations.TRANSPORT_PREFIX);
	}
}
