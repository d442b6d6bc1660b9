package org.felund.ui.settings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.osgi.service.metatype.AttributeDefinition;

/** How a plugin's settings page turns its fields into configuration values, by the metatype alone. */
class ConfigurationEditTest {
	/** An attribute as a metatype describes it; validate() answers as Felix Metatype does (untranslated keys). */
	private record Ad(String id, String name, int type, int cardinality, String[] defaults, String[] options,
			Integer min, Integer max) implements AttributeDefinition {
		/** No defaults given: the attribute has none (null), as Felix reports it. */
		static Ad of(String id, String name, int type, String... defaults) {
			return new Ad(id, name, type, 0, defaults.length == 0 ? null : defaults, null, null, null);
		}

		Ad cardinality(int n) {
			return new Ad(id, name, type, n, defaults, options, min, max);
		}

		Ad options(String... values) {
			return new Ad(id, name, type, cardinality, defaults, values, min, max);
		}

		Ad range(int lo, int hi) {
			return new Ad(id, name, type, cardinality, defaults, options, lo, hi);
		}

		@Override
		public String getName() {
			return name;
		}

		@Override
		public String getID() {
			return id;
		}

		@Override
		public String getDescription() {
			return "";
		}

		@Override
		public int getCardinality() {
			return cardinality;
		}

		@Override
		public int getType() {
			return type;
		}

		@Override
		public String[] getOptionValues() {
			return options;
		}

		@Override
		public String[] getOptionLabels() {
			return options;
		}

		@Override
		public String validate(String value) {
			if (min == null) {
				return null;
			}
			long v = type == STRING ? value.length() : Long.parseLong(value);
			return v > max ? "%greater than maximum" : v < min ? "%less than minimum" : "";
		}

		@Override
		public String[] getDefaultValue() {
			return defaults;
		}
	}

	private static final Ad PORT = Ad.of("port", "Listen port", AttributeDefinition.INTEGER, "9999").range(1, 65535);
	private static final Ad HOST = Ad.of("bind", "Listen on", AttributeDefinition.STRING, "0.0.0.0");
	private static final Ad RELAY = Ad.of("url", "Relay URL", AttributeDefinition.STRING);
	private static final Ad ANCHOR = Ad.of("anchor", "Anchor", AttributeDefinition.BOOLEAN, "false");
	private static final Ad MODE = Ad.of("mode", "Mode", AttributeDefinition.STRING, "live").options("live", "poll");
	private static final Ad SERVERS = Ad.of("servers", "TURN servers", AttributeDefinition.STRING).cardinality(3);
	private static final Ad WEIGHTS = Ad.of("weights", "Weights", AttributeDefinition.DOUBLE).cardinality(-10);
	private static final List<AttributeDefinition> ALL = List.of(PORT, HOST, RELAY, ANCHOR, MODE, SERVERS, WEIGHTS);

	private static Map<String, String> fields(String... pairs) {
		Map<String, String> out = new HashMap<>();
		for (AttributeDefinition ad : ALL) {
			out.put(ad.getID(), AttributeValues.defaultText(ad));
		}
		for (int i = 0; i < pairs.length; i += 2) {
			out.put(pairs[i], pairs[i + 1]);
		}
		return out;
	}

	@Test
	void untouchedDefaultsAreNotWrittenSoLaterDefaultsStillApply() {
		ConfigurationEdit edit = ConfigurationEdit.of(ALL, Set.of(), fields(), Map.of());
		assertTrue(edit.valid());
		assertEquals(Map.of(), edit.attributes());
	}

	@Test
	void changedValuesAreWrittenWithTheTypeTheMetatypeNames() {
		ConfigurationEdit edit = ConfigurationEdit.of(ALL, Set.of(), fields("port", " 7000 ", "anchor", "true", "mode",
				"poll", "servers", "turn:a.example:3478\n\n stun:b.example:3478 ", "weights", "0.5\n2"), Map.of());
		assertNull(edit.error());
		assertEquals(7000, edit.attributes().get("port"));
		assertEquals(Boolean.TRUE, edit.attributes().get("anchor"));
		assertEquals("poll", edit.attributes().get("mode"));
		assertArrayEquals(new String[] { "turn:a.example:3478", "stun:b.example:3478" },
				(String[]) edit.attributes().get("servers"), "cardinality > 0: an array, blank lines dropped");
		assertEquals(List.of(0.5, 2.0), edit.attributes().get("weights"), "cardinality < 0: a list");
		assertEquals(5, edit.attributes().size());
	}

	@Test
	void aValueTheConfigurationAlreadyHasIsKeptEvenWhenItEqualsTheDefault() {
		Map<String, Object> current = Map.of("port", 7000, "bind", "127.0.0.1", "servers", new String[] { "turn:x" });
		ConfigurationEdit edit = ConfigurationEdit.of(ALL, Set.of(), fields("port", "9999", "bind", "127.0.0.1",
				"servers", "turn:x"), current);
		assertEquals(9999, edit.attributes().get("port"));
		assertEquals("127.0.0.1", edit.attributes().get("bind"));
		assertTrue(AttributeValues.same(new String[] { "turn:x" }, edit.attributes().get("servers")));
		assertTrue(AttributeValues.same(List.of("turn:x"), new String[] { "turn:x" }), "arrays and lists compare by value");
		ConfigurationEdit cleared = ConfigurationEdit.of(ALL, Set.of(), fields("port", ""), current);
		assertTrue(cleared.attributes().containsKey("port") && cleared.attributes().get("port") == null,
				"an emptied number is unset: the component's default applies");
	}

	@Test
	void badValuesAreRefusedWithTheAttributeNamedAndNothingToWrite() {
		assertRefused("Listen port: \u201c70000\u201d is more than the largest value allowed", "port", "70000");
		assertRefused("Listen port: \u201c0\u201d is less than the smallest value allowed", "port", "0");
		assertRefused("Listen port: \u201cnine\u201d is not a whole number (up to 2147483647)", "port", "nine");
		assertRefused("Anchor: \u201cmaybe\u201d is not true or false", "anchor", "maybe");
		assertRefused("Mode: \u201cpush\u201d is not one of live, poll", "mode", "push");
		assertRefused("TURN servers: at most 3 values, one per line", "servers", "a\nb\nc\nd");
		assertRefused("Weights: \u201cheavy\u201d is not a number", "weights", "1\nheavy");
	}

	private static void assertRefused(String message, String id, String text) {
		ConfigurationEdit edit = ConfigurationEdit.of(ALL, Set.of(), fields(id, text), Map.of());
		assertFalse(edit.valid());
		assertEquals(message, edit.error());
		assertEquals(Map.of(), edit.attributes());
	}

	@Test
	void aRequiredAttributeWithoutDefaultNeedsAValue() {
		Ad key = Ad.of("key", "Key", AttributeDefinition.LONG);
		assertEquals("Key: needs a value",
				ConfigurationEdit.of(List.of(key), Set.of("key"), Map.of("key", " "), Map.of()).error());
		assertTrue(ConfigurationEdit.of(List.of(key), Set.of(), Map.of("key", ""), Map.of()).valid(),
				"optional: empty is unset");
		assertEquals(42L, ConfigurationEdit.of(List.of(key), Set.of("key"), Map.of("key", "42"), Map.of()).attributes()
				.get("key"));
	}

	@Test
	void anEmptyTextIsAValueWhenTheAttributeHasADefaultAndUnsetOtherwise() {
		Ad url = new Ad("url", "Relay URL", AttributeDefinition.STRING, 0, new String[] { "https://relay.example" },
				null, null, null);
		assertEquals("", ConfigurationEdit.of(List.of(url), Set.of("url"), Map.of("url", ""), Map.of()).attributes()
				.get("url"), "cleared on purpose: no relay");
		Ad blank = new Ad("url", "Relay URL", AttributeDefinition.STRING, 0, new String[0], null, null, null);
		assertEquals(Map.of(), ConfigurationEdit.of(List.of(blank), Set.of("url"), Map.of("url", ""), Map.of())
				.attributes(), "an empty default: nothing to write");
		assertEquals("Relay URL: needs a value",
				ConfigurationEdit.of(List.of(RELAY), Set.of("url"), Map.of("url", ""), Map.of()).error());
	}

	@Test
	void fieldsShowConfiguredValuesOnePerLine() {
		assertEquals("a\nb", AttributeValues.text(new String[] { "a", "b" }));
		assertEquals("1\n2", AttributeValues.text(new int[] { 1, 2 }));
		assertEquals("3", AttributeValues.text(3));
		assertEquals("", AttributeValues.text(null));
		assertEquals(9999, AttributeValues.defaultValue(PORT));
		assertNull(AttributeValues.defaultValue(RELAY));
		assertEquals("is too long", AttributeValues.readable("%greater than maximum", AttributeDefinition.STRING));
		assertEquals("is less than the smallest value allowed",
				AttributeValues.readable("less than minimum", AttributeDefinition.LONG), "Felix's localized words too");
		assertEquals("must name a TURN or STUN server", AttributeValues.readable("must name a TURN or STUN server",
				AttributeDefinition.STRING), "a provider's own message as it is");
	}
}
