package org.felund.node.cli.internal;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import org.felund.node.cli.internal.Configurations.Setting;
import org.felund.node.cli.internal.Configurations.Type;

/**
 * Text given on the command line turned into a configuration value of the type its metatype declares, checked by
 * the plugin's own rules; and configuration values shown as text.
 */
final class SettingValues {
	private SettingValues() {
	}

	/**
	 * The typed value: one value for cardinality 0, else an array of the values given separated by commas.
	 *
	 * @throws IllegalArgumentException naming the key, the bad value and what is expected
	 */
	static Object parse(String pid, Setting s, String text) {
		List<String> parts = new ArrayList<>();
		if (s.cardinality() == 0) {
			parts.add(text.strip());
		} else {
			for (String p : text.split(",", -1)) {
				if (!p.isBlank()) {
					parts.add(p.strip());
				}
			}
			if (parts.size() > s.cardinality()) {
				throw new IllegalArgumentException(pid + " " + s.key() + " takes at most " + s.cardinality()
						+ " values, got " + parts.size());
			}
		}
		List<Object> values = new ArrayList<>();
		for (String p : parts) {
			values.add(one(pid, s, p));
		}
		if (s.cardinality() == 0) {
			return values.get(0);
		}
		Object array = Array.newInstance(javaType(s.type()), values.size());
		for (int i = 0; i < values.size(); i++) {
			Array.set(array, i, values.get(i));
		}
		return array;
	}

	private static Object one(String pid, Setting s, String text) {
		Object value;
		try {
			value = switch (s.type()) {
			case STRING, PASSWORD -> text;
			case LONG -> Long.valueOf(text);
			case INTEGER -> Integer.valueOf(text);
			case SHORT -> Short.valueOf(text);
			case BYTE -> Byte.valueOf(text);
			case DOUBLE -> Double.valueOf(text);
			case FLOAT -> Float.valueOf(text);
			case CHARACTER -> {
				if (text.length() != 1) {
					throw new NumberFormatException();
				}
				yield text.charAt(0);
			}
			case BOOLEAN -> switch (text.toLowerCase(Locale.ROOT)) {
			case "true", "yes", "on" -> Boolean.TRUE;
			case "false", "no", "off" -> Boolean.FALSE;
			default -> throw new NumberFormatException();
			};
			};
		} catch (NumberFormatException e) {
			throw new IllegalArgumentException(pid + " " + s.key() + " is " + article(s.type()) + ", not '" + text
					+ "'");
		}
		if (!s.options().isEmpty() && !s.options().contains(String.valueOf(value))) {
			throw new IllegalArgumentException(pid + " " + s.key() + " is one of " + String.join(", ", s.options())
					+ ", not '" + text + "'");
		}
		String problem = s.check().apply(String.valueOf(value));
		if (problem != null && !problem.isEmpty()) {
			throw new IllegalArgumentException(pid + " " + s.key() + " '" + text + "': " + problem);
		}
		return value;
	}

	/** A value as text: arrays and collections comma-separated, passwords hidden. */
	static String show(Object value, Type type) {
		if (value == null) {
			return "";
		}
		if (type == Type.PASSWORD) {
			return "********";
		}
		if (value.getClass().isArray()) {
			List<String> parts = new ArrayList<>();
			for (int i = 0; i < Array.getLength(value); i++) {
				parts.add(String.valueOf(Array.get(value, i)));
			}
			return String.join(",", parts);
		}
		if (value instanceof Collection<?> c) {
			return String.join(",", c.stream().map(String::valueOf).toList());
		}
		return String.valueOf(value);
	}

	/** The default of a setting as its typed value (null when it has none). */
	static Object defaultValue(String pid, Setting s) {
		if (s.defaults().isEmpty()) {
			return s.cardinality() == 0 ? null : Array.newInstance(javaType(s.type()), 0);
		}
		return parse(pid, new Setting(s.key(), s.name(), s.description(), s.type(), s.cardinality(), List.of(),
				List.of(), v -> null), String.join(",", s.defaults()));
	}

	private static Class<?> javaType(Type t) {
		return switch (t) {
		case STRING, PASSWORD -> String.class;
		case LONG -> Long.class;
		case INTEGER -> Integer.class;
		case SHORT -> Short.class;
		case BYTE -> Byte.class;
		case DOUBLE -> Double.class;
		case FLOAT -> Float.class;
		case CHARACTER -> Character.class;
		case BOOLEAN -> Boolean.class;
		};
	}

	private static String article(Type t) {
		return switch (t) {
		case STRING, PASSWORD -> "text";
		case LONG, INTEGER, SHORT, BYTE -> "a whole number";
		case DOUBLE, FLOAT -> "a number";
		case CHARACTER -> "one character";
		case BOOLEAN -> "true or false";
		};
	}
}
