package org.felund.crypto.internal;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Python's {@code str()} of a value parsed by {@code json.loads}: the reference passes {@code display_name} and
 * {@code text} of a decrypted envelope through {@code str()}, so {@code 1} becomes {@code "1"}, {@code true}
 * becomes {@code "True"}, {@code null} becomes {@code "None"}, {@code [1,"a"]} becomes {@code "[1, 'a']"}.
 * Only the reference's output is mirrored; the web client's {@code String()} differs for non-strings, and no
 * client sends non-strings. Which characters count as printable follows the JDK's Unicode tables; CPython's
 * follow its own Unicode version, so characters assigned in between may be escaped by one and not the other.
 */
final class PythonStr {
	private PythonStr() {
	}

	/** {@code str()} of the value whose first token is {@code token}; consumes the whole value. */
	static String str(JsonParser parser, JsonToken token) throws IOException {
		if (token == JsonToken.VALUE_STRING) {
			return parser.getText();
		}
		StringBuilder out = new StringBuilder();
		repr(parser, token, out);
		return out.toString();
	}

	private static void repr(JsonParser parser, JsonToken token, StringBuilder out) throws IOException {
		switch (token) {
		case VALUE_STRING -> reprString(parser.getText(), out);
		case VALUE_NUMBER_INT -> out.append(parser.getBigIntegerValue());
		case VALUE_NUMBER_FLOAT -> out.append(reprFloat(parser.getDoubleValue()));
		case VALUE_TRUE -> out.append("True");
		case VALUE_FALSE -> out.append("False");
		case VALUE_NULL -> out.append("None");
		case START_ARRAY -> {
			out.append('[');
			JsonToken item;
			boolean first = true;
			while ((item = parser.nextToken()) != JsonToken.END_ARRAY) {
				if (!first) {
					out.append(", ");
				}
				first = false;
				repr(parser, item, out);
			}
			out.append(']');
		}
		case START_OBJECT -> {
			// a Python dict keeps the first position of a repeated key and its last value
			Map<String, String> entries = new LinkedHashMap<>();
			while (parser.nextToken() == JsonToken.FIELD_NAME) {
				String key = parser.currentName();
				StringBuilder value = new StringBuilder();
				repr(parser, parser.nextToken(), value);
				entries.put(key, value.toString());
			}
			out.append('{');
			boolean first = true;
			for (Map.Entry<String, String> e : entries.entrySet()) {
				if (!first) {
					out.append(", ");
				}
				first = false;
				reprString(e.getKey(), out);
				out.append(": ").append(e.getValue());
			}
			out.append('}');
		}
		default -> throw new IOException("Unexpected JSON token " + token);
		}
	}

	/** Python's {@code repr(float)}: shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
	static String reprFloat(double d) {
		if (Double.isNaN(d)) {
			return "nan";
		}
		if (Double.isInfinite(d)) {
			return d > 0 ? "inf" : "-inf";
		}
		String sign = (d < 0 || (d == 0 && 1 / d < 0)) ? "-" : "";
		if (d == 0) {
			return sign + "0.0";
		}
		BigDecimal shortest = shortestRoundTrip(Math.abs(d)).stripTrailingZeros();
		String digits = shortest.unscaledValue().toString();
		int decimalPoint = digits.length() - shortest.scale(); // value = 0.<digits> * 10^decimalPoint
		StringBuilder out = new StringBuilder(sign);
		if (decimalPoint <= -4 || decimalPoint > 16) {
			out.append(digits.charAt(0));
			if (digits.length() > 1) {
				out.append('.').append(digits, 1, digits.length());
			}
			int exponent = decimalPoint - 1;
			out.append(exponent < 0 ? "e-" : "e+");
			int abs = Math.abs(exponent);
			if (abs < 10) {
				out.append('0');
			}
			out.append(abs);
		} else if (decimalPoint <= 0) {
			out.append("0.").append("0".repeat(-decimalPoint)).append(digits);
		} else if (decimalPoint >= digits.length()) {
			out.append(digits).append("0".repeat(decimalPoint - digits.length())).append(".0");
		} else {
			out.append(digits, 0, decimalPoint).append('.').append(digits, decimalPoint, digits.length());
		}
		return out.toString();
	}

	/**
	 * The decimal with the fewest significant digits that parses back to {@code positive}, and of two such the
	 * nearer (David Gay's "mode 0", which Python's repr uses). {@link Double#toString(double)} is not enough: it
	 * always prints two digits and then prefers the nearer two-digit value ({@code 4.9E-324} for Python's
	 * {@code 5e-324}).
	 */
	private static BigDecimal shortestRoundTrip(double positive) {
		BigDecimal exact = new BigDecimal(positive);
		for (int precision = 1; precision <= 17; precision++) {
			BigDecimal below = exact.round(new MathContext(precision, RoundingMode.FLOOR));
			BigDecimal above = exact.round(new MathContext(precision, RoundingMode.CEILING));
			boolean belowOk = Double.parseDouble(below.toString()) == positive;
			boolean aboveOk = Double.parseDouble(above.toString()) == positive;
			if (belowOk && aboveOk) {
				int cmp = exact.subtract(below).compareTo(above.subtract(exact));
				if (cmp != 0) {
					return cmp < 0 ? below : above;
				}
				return below.unscaledValue().testBit(0) ? above : below; // a tie goes to the even digit
			}
			if (belowOk || aboveOk) {
				return belowOk ? below : above;
			}
		}
		return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)); // 17 digits always round-trip
	}

	/** Python's {@code repr(str)}: single quotes unless only single quotes occur, non-printables escaped. */
	static void reprString(String s, StringBuilder out) {
		char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
		out.append(quote);
		for (int i = 0; i < s.length();) {
			int cp = s.codePointAt(i);
			i += Character.charCount(cp);
			if (cp == quote || cp == '\\') {
				out.append('\\').append((char) cp);
			} else if (cp == '\t') {
				out.append("\\t");
			} else if (cp == '\n') {
				out.append("\\n");
			} else if (cp == '\r') {
				out.append("\\r");
			} else if (cp < 0x20 || cp == 0x7f) {
				out.append(String.format("\\x%02x", cp));
			} else if (cp < 0x7f || isPrintable(cp)) {
				out.appendCodePoint(cp);
			} else if (cp <= 0xff) {
				out.append(String.format("\\x%02x", cp));
			} else if (cp <= 0xffff) {
				out.append(String.format("\\u%04x", cp));
			} else {
				out.append(String.format("\\U%08x", cp));
			}
		}
		out.append(quote);
	}

	/** Python's {@code str.isprintable()} for one non-ASCII code point. */
	private static boolean isPrintable(int cp) {
		return switch (Character.getType(cp)) {
		case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
				Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SPACE_SEPARATOR -> false;
		default -> true;
		};
	}
}
