package org.felund.ui.settings;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

import org.osgi.service.metatype.AttributeDefinition;

/**
 * Turns what a settings field shows into a configuration value and back, by the attribute's metatype: its type,
 * cardinality, options, default and validation. A single value is one field; a multi-valued attribute is one value
 * per line, stored as an array (cardinality &gt; 0) or a list (cardinality &lt; 0) as Configuration Admin expects.
 */
public final class AttributeValues {
	/**
	 * The outcome of reading a field: a value ({@code null} = not set, so the component uses its own default) or a
	 * message naming the attribute and what is wrong.
	 */
	public record Parsed(Object value, String error) {
		static Parsed ok(Object value) {
			return new Parsed(value, null);
		}

		static Parsed error(AttributeDefinition ad, String message) {
			return new Parsed(null, label(ad) + ": " + message);
		}

		public boolean valid() {
			return error == null;
		}
	}

	private AttributeValues() {
	}

	/** What a field shows for a value, which may be an array, a collection or a single value; null shows empty. */
	public static String text(Object value) {
		if (value == null) {
			return "";
		}
		List<Object> values = asList(value);
		if (values != null) {
			StringJoiner lines = new StringJoiner("\n");
			values.forEach(v -> lines.add(String.valueOf(v)));
			return lines.toString();
		}
		return String.valueOf(value);
	}

	/** What a field shows for the attribute's default, or empty when it has none. */
	public static String defaultText(AttributeDefinition ad) {
		String[] defaults = ad.getDefaultValue();
		if (defaults == null || defaults.length == 0) {
			return "";
		}
		return ad.getCardinality() == 0 ? defaults[0] : String.join("\n", defaults);
	}

	/** The attribute's default as a configuration value, or null when it has none (or an unreadable one). */
	public static Object defaultValue(AttributeDefinition ad) {
		String[] defaults = ad.getDefaultValue();
		if (defaults == null) {
			return null;
		}
		if (ad.getCardinality() == 0 && defaults.length == 0) {
			return isText(ad.getType()) ? "" : null;
		}
		Parsed parsed = parse(ad, defaultText(ad), false);
		return parsed.valid() ? parsed.value() : null;
	}

	/**
	 * Reads a field. An empty field is "not set" (the component then uses its own default), except where the
	 * attribute has a default: then it is the empty string for a text attribute and no values for a multi-valued
	 * one. A required attribute without any default needs a value.
	 */
	public static Parsed parse(AttributeDefinition ad, String text, boolean required) {
		int cardinality = ad.getCardinality();
		boolean hasDefault = ad.getDefaultValue() != null;
		if (cardinality == 0) {
			String v = text.strip();
			if (v.isEmpty() && !(isText(ad.getType()) && hasDefault)) {
				return required && !hasDefault ? Parsed.error(ad, "needs a value") : Parsed.ok(null);
			}
			return element(ad, v);
		}
		List<Object> values = new ArrayList<>();
		for (String line : text.split("\\R")) {
			String v = line.strip();
			if (v.isEmpty()) {
				continue;
			}
			Parsed one = element(ad, v);
			if (!one.valid()) {
				return one;
			}
			values.add(one.value());
		}
		int max = Math.abs(cardinality);
		if (max != Integer.MAX_VALUE && values.size() > max) {
			return Parsed.error(ad, "at most " + max + (max == 1 ? " value" : " values") + ", one per line");
		}
		if (values.isEmpty() && !hasDefault) {
			return required ? Parsed.error(ad, "needs at least one value") : Parsed.ok(null);
		}
		if (cardinality < 0) {
			return Parsed.ok(values);
		}
		Object array = Array.newInstance(javaType(ad.getType()), values.size());
		for (int i = 0; i < values.size(); i++) {
			Array.set(array, i, values.get(i));
		}
		return Parsed.ok(array);
	}

	/** Whether two configuration values are the same, whatever mix of arrays and collections holds them. */
	public static boolean same(Object a, Object b) {
		List<Object> la = asList(a);
		List<Object> lb = asList(b);
		if (la != null || lb != null) {
			return la != null && lb != null && la.equals(lb);
		}
		return a == null ? b == null : a.equals(b);
	}

	private static Parsed element(AttributeDefinition ad, String v) {
		Object value;
		try {
			value = convert(ad.getType(), v);
		} catch (NumberFormatException e) {
			return Parsed.error(ad, quote(v) + " is not " + expected(ad.getType()));
		} catch (IllegalArgumentException e) {
			return Parsed.error(ad, e.getMessage());
		}
		String[] options = ad.getOptionValues();
		if (options != null && options.length > 0 && !List.of(options).contains(v)) {
			String[] labels = ad.getOptionLabels();
			return Parsed.error(ad, quote(v) + " is not one of " + String.join(", ",
					labels != null && labels.length == options.length ? labels : options));
		}
		String verdict = ad.validate(v);
		if (verdict != null && !verdict.isEmpty()) {
			String why = readable(verdict, ad.getType());
			return Parsed.error(ad, v.isEmpty() ? why : quote(v) + " " + why);
		}
		return Parsed.ok(value);
	}

	@SuppressWarnings("deprecation")
	private static Object convert(int type, String v) {
		return switch (type) {
		case AttributeDefinition.INTEGER -> Integer.valueOf(v);
		case AttributeDefinition.LONG -> Long.valueOf(v);
		case AttributeDefinition.SHORT -> Short.valueOf(v);
		case AttributeDefinition.BYTE -> Byte.valueOf(v);
		case AttributeDefinition.DOUBLE -> Double.valueOf(v);
		case AttributeDefinition.FLOAT -> Float.valueOf(v);
		case AttributeDefinition.BIGINTEGER -> new BigInteger(v);
		case AttributeDefinition.BIGDECIMAL -> new BigDecimal(v);
		case AttributeDefinition.BOOLEAN -> switch (v.toLowerCase(Locale.ROOT)) {
		case "true" -> Boolean.TRUE;
		case "false" -> Boolean.FALSE;
		default -> throw new IllegalArgumentException(quote(v) + " is not true or false");
		};
		case AttributeDefinition.CHARACTER -> {
			if (v.codePointCount(0, v.length()) != 1 || Character.isSupplementaryCodePoint(v.codePointAt(0))) {
				throw new IllegalArgumentException(quote(v) + " is not a single character");
			}
			yield Character.valueOf(v.charAt(0));
		}
		default -> v; // STRING, PASSWORD
		};
	}

	@SuppressWarnings("deprecation")
	static Class<?> javaType(int type) {
		return switch (type) {
		case AttributeDefinition.INTEGER -> Integer.class;
		case AttributeDefinition.LONG -> Long.class;
		case AttributeDefinition.SHORT -> Short.class;
		case AttributeDefinition.BYTE -> Byte.class;
		case AttributeDefinition.DOUBLE -> Double.class;
		case AttributeDefinition.FLOAT -> Float.class;
		case AttributeDefinition.BIGINTEGER -> BigInteger.class;
		case AttributeDefinition.BIGDECIMAL -> BigDecimal.class;
		case AttributeDefinition.BOOLEAN -> Boolean.class;
		case AttributeDefinition.CHARACTER -> Character.class;
		default -> String.class;
		};
	}

	static boolean isText(int type) {
		return type == AttributeDefinition.STRING || type == AttributeDefinition.PASSWORD;
	}

	@SuppressWarnings("deprecation")
	private static String expected(int type) {
		return switch (type) {
		case AttributeDefinition.INTEGER, AttributeDefinition.LONG, AttributeDefinition.SHORT,
				AttributeDefinition.BYTE, AttributeDefinition.BIGINTEGER ->
			"a whole number" + range(type);
		default -> "a number";
		};
	}

	private static String range(int type) {
		return switch (type) {
		case AttributeDefinition.INTEGER -> " (up to " + Integer.MAX_VALUE + ")";
		case AttributeDefinition.SHORT -> " from " + Short.MIN_VALUE + " to " + Short.MAX_VALUE;
		case AttributeDefinition.BYTE -> " from " + Byte.MIN_VALUE + " to " + Byte.MAX_VALUE;
		default -> "";
		};
	}

	/**
	 * Felix Metatype answers with terse keys ({@code %greater than maximum}, or the same words once localized); say
	 * them in words that fit after the value. Other providers' messages are shown as they are.
	 */
	static String readable(String verdict, int type) {
		boolean text = isText(type);
		String key = verdict.startsWith("%") ? verdict.substring(1) : verdict;
		return switch (key) {
		case "greater than maximum" -> text ? "is too long" : "is more than the largest value allowed";
		case "less than minimum" -> text ? "is too short" : "is less than the smallest value allowed";
		case "not a valid option" -> "is not one of the choices";
		case "missing required value" -> "needs a value";
		case "invalid value" -> "is not a valid value";
		default -> key;
		};
	}

	private static String quote(String v) {
		return "\u201c" + (v.length() > 40 ? v.substring(0, 39) + "\u2026" : v) + "\u201d";
	}

	static String label(AttributeDefinition ad) {
		String name = ad.getName();
		return name == null || name.isBlank() ? ad.getID() : name;
	}

	private static List<Object> asList(Object value) {
		if (value instanceof Collection<?> c) {
			return new ArrayList<>(c);
		}
		if (value != null && value.getClass().isArray()) {
			List<Object> out = new ArrayList<>();
			for (int i = 0; i < Array.getLength(value); i++) {
				out.add(Array.get(value, i));
			}
			return out;
		}
		return null;
	}
}
