package org.felund.protocol.wire;

/**
 * Python's {@code json.dumps(ensure_ascii=True)} string rules, and the lone-surrogate rule, in one place for every
 * writer of the wire format: {@link Json} (control events, invites, session frames), the crypto bundle's envelope
 * plaintext and the relay server's checks.
 * <p>
 * Printable ASCII other than {@code "} and {@code \} is written as is; {@code "}, {@code \}, {@code \n}, {@code \r},
 * {@code \t}, {@code \b}, {@code \f} get their two-character escapes; every other UTF-16 unit becomes
 * {@code \}{@code uXXXX} with lower-case hex (an astral character as its surrogate pair, as Python writes it).
 */
public final class AsciiJson {
	private static final byte[] HEX = { '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e',
			'f' };

	private AsciiJson() {
	}

	/** Whether a character is written unescaped: printable ASCII (0x20–0x7e) other than {@code "} and {@code \}. */
	public static boolean isSafe(int c) {
		return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
	}

	/**
	 * The index of the first unpaired UTF-16 surrogate, or -1. Such a string has no UTF-8 form (Python raises,
	 * JavaScript and Java substitute different characters), so nothing hashed, MACed or sealed may contain one.
	 */
	public static int loneSurrogateIndex(CharSequence s) {
		int n = s.length();
		for (int i = 0; i < n; i++) {
			char c = s.charAt(i);
			if (Character.isSurrogate(c)) {
				if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
					i++;
				} else {
					return i;
				}
			}
		}
		return -1;
	}

	/** How many leading characters of {@code s} are written unescaped. */
	public static int safePrefix(CharSequence s) {
		int n = s.length();
		int i = 0;
		while (i < n && isSafe(s.charAt(i))) {
			i++;
		}
		return i;
	}

	/**
	 * The length of {@code s[from, length)} once escaped (without quotes); with {@code refuseLoneSurrogates}, a lone
	 * surrogate at index {@code i} gives {@code -(i + 1)}.
	 */
	public static int escapedLength(CharSequence s, int from, boolean refuseLoneSurrogates) {
		int n = s.length();
		int length = 0;
		for (int i = from; i < n; i++) {
			char c = s.charAt(i);
			if (isSafe(c)) {
				length++;
			} else if (c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f') {
				length += 2;
			} else {
				if (refuseLoneSurrogates && Character.isSurrogate(c)) {
					if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
						i++;
						length += 6;
					} else {
						return -(i + 1);
					}
				}
				length += 6;
			}
		}
		return length;
	}

	/**
	 * Writes {@code s[from, length)} escaped (without quotes) into {@code out} from {@code at}; {@code out} must hold
	 * {@link #escapedLength} more bytes. Lone surrogates are escaped like any other character (Python's
	 * {@code json.dumps} does so); callers that refuse them check first.
	 *
	 * @return the index after the last byte written
	 */
	public static int escape(CharSequence s, int from, byte[] out, int at) {
		int n = s.length();
		int o = at;
		for (int i = from; i < n; i++) {
			char c = s.charAt(i);
			if (isSafe(c)) {
				out[o++] = (byte) c;
				continue;
			}
			byte second = switch (c) {
			case '"' -> '"';
			case '\\' -> '\\';
			case '\n' -> 'n';
			case '\r' -> 'r';
			case '\t' -> 't';
			case '\b' -> 'b';
			case '\f' -> 'f';
			default -> 0;
			};
			out[o++] = '\\';
			if (second != 0) {
				out[o++] = second;
			} else {
				out[o++] = 'u';
				out[o++] = HEX[(c >> 12) & 0xF];
				out[o++] = HEX[(c >> 8) & 0xF];
				out[o++] = HEX[(c >> 4) & 0xF];
				out[o++] = HEX[c & 0xF];
			}
		}
		return o;
	}
}
