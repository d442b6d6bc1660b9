package org.felund.ui.settings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.service.metatype.AttributeDefinition;

/**
 * What the fields of a settings page mean for a configuration: the first thing wrong with them, or the attributes
 * to write. A value equal to the attribute's default is written only when the configuration already has the key,
 * so a plugin's later defaults still reach people who never changed them.
 *
 * @param attributes attribute id to its new value ({@code null} removes it); empty when there is an error
 * @param error the first problem, naming the attribute, or null
 */
public record ConfigurationEdit(Map<String, Object> attributes, String error) {
	public boolean valid() {
		return error == null;
	}

	/**
	 * @param texts what each field shows, by attribute id (attributes without a field are left alone)
	 * @param current the configuration's properties now
	 */
	public static ConfigurationEdit of(List<AttributeDefinition> definitions, Set<String> required,
			Map<String, String> texts, Map<String, Object> current) {
		Map<String, Object> out = new LinkedHashMap<>();
		for (AttributeDefinition ad : definitions) {
			String text = texts.get(ad.getID());
			if (text == null) {
				continue;
			}
			AttributeValues.Parsed parsed = AttributeValues.parse(ad, text, required.contains(ad.getID()));
			if (!parsed.valid()) {
				return new ConfigurationEdit(Map.of(), parsed.error());
			}
			Object value = parsed.value();
			if (value == null) {
				if (current.containsKey(ad.getID())) {
					out.put(ad.getID(), null);
				}
			} else if (current.containsKey(ad.getID()) || !AttributeValues.same(value, AttributeValues.defaultValue(ad))) {
				out.put(ad.getID(), value);
			}
		}
		return new ConfigurationEdit(out, null);
	}
}
