package org.felund.protocol.control;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

import org.felund.api.model.ChatMessage;

/**
 * Channel identifier rules (protocol §1.1) and the channel key hash (§3.10).
 * <p>
 * Two validity rules exist: Python accepts any Unicode letter or number ({@code str.isalnum}), the web client only
 * ASCII {@code [a-z0-9_-]}. We <em>emit</em> only ids valid for both ({@link #isPortable}) and <em>accept</em>
 * Python's wider set from others ({@link #isAcceptable}), so no channel another node created is lost here.
 */
public final class ChannelIds {
	public static final int MAX_LENGTH = 32;

	private ChannelIds() {
	}

	/** Trim and lower-case, as every reference receiver does before validating. */
	public static String normalize(String channelId) {
		return channelId == null ? "" : channelId.strip().toLowerCase(Locale.ROOT);
	}

	/** What a user typed: also drops one leading {@code #}, like the interactive CLI. */
	public static String normalizeUserInput(String channelId) {
		String s = channelId == null ? "" : channelId.strip();
		if (s.startsWith("#")) {
			s = s.substring(1);
		}
		return normalize(s);
	}

	/** Python's rule: 1..32 code points, no {@code __} prefix, each a Unicode letter/number or {@code -}/{@code _}. */
	public static boolean isAcceptable(String channelId) {
		if (channelId == null || channelId.isEmpty() || channelId.startsWith("__")) {
			return false;
		}
		int length = channelId.codePointCount(0, channelId.length());
		if (length > MAX_LENGTH) {
			return false;
		}
		return channelId.codePoints().allMatch(cp -> cp == '-' || cp == '_' || isPythonAlnum(cp));
	}

	/** Valid for both references: 1..32 of {@code [a-z0-9_-]}, no {@code __} prefix. */
	public static boolean isPortable(String channelId) {
		if (channelId == null || channelId.isEmpty() || channelId.length() > MAX_LENGTH
				|| channelId.startsWith("__")) {
			return false;
		}
		return channelId.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_');
	}

	/**
	 * Normalizes a channel id typed by the local user and checks that both reference clients accept it.
	 *
	 * @throws IllegalArgumentException with a message fit for the user
	 */
	public static String requirePortable(String userInput) {
		String id = normalizeUserInput(userInput);
		if (id.isEmpty()) {
			throw new IllegalArgumentException("A channel name is needed");
		}
		if (id.startsWith("__")) {
			throw new IllegalArgumentException("Channel names must not start with '__' (reserved)");
		}
		if (id.length() > MAX_LENGTH) {
			throw new IllegalArgumentException("Channel names have at most " + MAX_LENGTH + " characters");
		}
		if (!isPortable(id)) {
			throw new IllegalArgumentException(
					"Channel names may only use a-z, 0-9, '-' and '_' (so every felund client accepts them): " + id);
		}
		return id;
	}

	/** The normalized id if another node's event names an acceptable channel. */
	public static Optional<String> acceptFromEvent(String raw) {
		String id = normalize(raw);
		return isAcceptable(id) ? Optional.of(id) : Optional.empty();
	}

	public static boolean isControl(String channelId) {
		return ChatMessage.CONTROL.equals(channelId);
	}

	/** {@code hex(SHA-256(circle_id|channel_id|key))}, what a {@code key}-mode CHANNEL_EVT create carries. */
	public static String keyHash(String circleId, String channelId, String channelKey) {
		try {
			MessageDigest sha = MessageDigest.getInstance("SHA-256");
			byte[] digest = sha.digest((circleId + "|" + channelId + "|" + channelKey).getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("SHA-256 is a mandatory JDK algorithm", e);
		}
	}

	/** Python's {@code str.isalnum} for one code point: a letter (L*) or a number (Nd, Nl, No). */
	static boolean isPythonAlnum(int cp) {
		if (Character.isLetter(cp)) {
			return true;
		}
		int type = Character.getType(cp);
		return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER
				|| type == Character.OTHER_NUMBER;
	}
}
