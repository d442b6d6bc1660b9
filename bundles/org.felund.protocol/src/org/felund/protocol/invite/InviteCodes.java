package org.felund.protocol.invite;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Locale;

import org.felund.api.crypto.CircleSecret;
import org.felund.api.model.Invite;
import org.felund.api.model.ProtocolException;
import org.felund.protocol.wire.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code felund1.} invite codes (protocol §2): {@code "felund1." + base64url(compact JSON {"v":1,"secret","peer"})}
 * without padding.
 * <p>
 * <b>Encoding</b> always emits a form both reference clients accept: a non-empty {@code peer} that is either a
 * TCP {@code host:port} or a relay URL. An empty peer (rejected by the web client) and the web's placeholder
 * {@code "relay"} (rejected by Python) are never produced. The payload bytes are those Python writes.
 * <p>
 * <b>Decoding</b> accepts what either reference emits, where they disagree (§2.3, §10 #34):
 * <ul>
 * <li>surrounding whitespace is ignored (Python), and so are line breaks inside the code (copy-paste);</li>
 * <li>padded or unpadded base64, URL-safe or standard alphabet (both decode in both references);</li>
 * <li>{@code v} equal to 1 ({@code 1.0} too, like both references);</li>
 * <li>a missing or empty {@code peer} (Python) and the web's {@code "relay"} placeholder both mean "no bootstrap
 * peer" and decode to {@code peer = ""};</li>
 * <li>a relay URL peer ({@code http://}, {@code https://}, {@code //}) is kept, trailing {@code /} removed.</li>
 * </ul>
 * It rejects, with a message naming the problem, what would leave a node unable to use the invite: a wrong
 * prefix, bad base64, a payload that is not a JSON object, {@code v} ≠ 1, a missing secret or one that is not 64
 * hex characters (Python accepts any even-length hex; every reference client generates 32 bytes, and a shorter
 * key is not a felund circle key), a TCP peer without a numeric port in 1..65535.
 */
public final class InviteCodes {
	public static final String PREFIX = "felund1.";
	/** The web client's peer value when it has no relay configured. */
	public static final String WEB_NO_RELAY_PLACEHOLDER = "relay";

	private InviteCodes() {
	}

	/**
	 * Encodes an invite.
	 *
	 * @param peer a {@code host:port} (IPv6 hosts may be bracketed) or a relay base URL
	 * @throws IllegalArgumentException if the secret or the peer is not usable by both reference clients
	 */
	public static String encode(CircleSecret secret, String peer) {
		String cleanPeer = requireUsablePeer(peer);
		ObjectNode payload = Json.object();
		payload.put("v", 1);
		payload.put("secret", secret.hex());
		payload.put("peer", cleanPeer);
		byte[] json = Json.ascii(payload).getBytes(StandardCharsets.US_ASCII);
		return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(json);
	}

	/**
	 * Checks that a peer can go into an invite both reference clients accept.
	 *
	 * @return the peer trimmed (a relay URL without trailing {@code /})
	 * @throws IllegalArgumentException saying what is wrong
	 */
	public static String requireUsablePeer(String peer) {
		String cleanPeer = peer == null ? "" : peer.trim();
		if (cleanPeer.isEmpty()) {
			throw new IllegalArgumentException(
					"An invite needs a peer (host:port or relay URL); the web client rejects invites without one");
		}
		if (WEB_NO_RELAY_PLACEHOLDER.equals(cleanPeer)) {
			throw new IllegalArgumentException("'relay' is not a peer address; Python clients reject it");
		}
		if (isRelayUrl(cleanPeer)) {
			return stripTrailingSlashes(cleanPeer);
		}
		checkHostPort(cleanPeer, IllegalArgumentException::new);
		return cleanPeer;
	}

	public static String encode(String secretHex, String peer) {
		return encode(CircleSecret.fromHex(secretHex), peer);
	}

	/**
	 * Decodes an invite code.
	 *
	 * @return the secret as 64 lower-case hex and the peer ({@code ""} when the invite names none)
	 * @throws ProtocolException saying what is wrong with the code
	 */
	public static Invite decode(String code) {
		if (code == null || code.isBlank()) {
			throw new ProtocolException("The invite code is empty");
		}
		String trimmed = code.strip();
		if (!trimmed.startsWith(PREFIX)) {
			throw new ProtocolException("An invite code starts with '" + PREFIX + "'");
		}
		String body = trimmed.substring(PREFIX.length()).replaceAll("\\s+", "");
		if (body.isEmpty()) {
			throw new ProtocolException("The invite code has nothing after '" + PREFIX + "'");
		}
		byte[] raw = decodeBase64(body);
		String json;
		try {
			json = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
					.onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
		} catch (CharacterCodingException e) {
			throw new ProtocolException("The invite code does not contain UTF-8 text (is it complete?)");
		}
		JsonNode payload;
		try {
			payload = Json.parse(json);
		} catch (ProtocolException e) {
			throw new ProtocolException("The invite code does not contain JSON (is it complete?)", e);
		}
		if (!payload.isObject()) {
			throw new ProtocolException("The invite payload must be a JSON object, got " + Json.typeName(payload));
		}
		JsonNode v = payload.get("v");
		if (v == null) {
			throw new ProtocolException("The invite has no version 'v'");
		}
		if (!v.isNumber() || v.doubleValue() != 1.0) {
			throw new ProtocolException("Unsupported invite version " + v + " (only 1 is known)");
		}
		JsonNode secretNode = payload.get("secret");
		if (secretNode == null || secretNode.isNull() || (secretNode.isTextual() && secretNode.textValue().isBlank())) {
			throw new ProtocolException("The invite has no secret");
		}
		if (!secretNode.isTextual()) {
			throw new ProtocolException("The invite secret must be a string, got " + Json.typeName(secretNode));
		}
		CircleSecret secret;
		try {
			secret = CircleSecret.fromHex(secretNode.textValue());
		} catch (IllegalArgumentException e) {
			throw new ProtocolException("Bad invite secret: " + e.getMessage(), e);
		}
		return new Invite(secret.hex(), decodePeer(payload.get("peer")));
	}

	/** Whether a peer hint is a relay base URL (the reference's rule). */
	public static boolean isRelayUrl(String peer) {
		String p = peer.toLowerCase(Locale.ROOT);
		return p.startsWith("http://") || p.startsWith("https://") || p.startsWith("//");
	}

	/**
	 * Splits a {@code host:port} on its last colon (IPv6 hosts with or without brackets) and checks the port.
	 *
	 * @return the host (brackets removed) and the port
	 * @throws ProtocolException if there is no host or no valid port
	 */
	public static HostPort parseHostPort(String peer) {
		return checkHostPort(peer, ProtocolException::new);
	}

	/** A TCP peer address. {@code host} never has brackets. */
	public record HostPort(String host, int port) {
		/**
		 * {@code host:port} as the reference writes it: IPv6 literals are not bracketed, because Python splits on
		 * the last colon and would otherwise dial a host named {@code [::1]}.
		 */
		public String address() {
			return host + ":" + port;
		}
	}

	private static String decodePeer(JsonNode peerNode) {
		if (peerNode == null || peerNode.isNull()) {
			return "";
		}
		if (!peerNode.isTextual()) {
			throw new ProtocolException("The invite peer must be a string, got " + Json.typeName(peerNode));
		}
		String peer = peerNode.textValue().trim();
		if (peer.isEmpty() || WEB_NO_RELAY_PLACEHOLDER.equals(peer)) {
			return "";
		}
		if (isRelayUrl(peer)) {
			return stripTrailingSlashes(peer);
		}
		checkHostPort(peer, ProtocolException::new);
		return peer;
	}

	private static <E extends RuntimeException> HostPort checkHostPort(String peer,
			java.util.function.Function<String, E> error) {
		int colon = peer.lastIndexOf(':');
		if (colon < 0) {
			throw error.apply("The invite peer '" + peer + "' has no port (expected host:port)");
		}
		String host = peer.substring(0, colon).trim();
		String portText = peer.substring(colon + 1).trim();
		if (host.startsWith("[") && host.endsWith("]")) {
			host = host.substring(1, host.length() - 1);
		}
		if (host.isEmpty()) {
			throw error.apply("The invite peer '" + peer + "' has no host (expected host:port)");
		}
		if (portText.isEmpty() || !portText.chars().allMatch(c -> c >= '0' && c <= '9') || portText.length() > 5) {
			throw error.apply("The invite peer '" + peer + "' has no numeric port (expected host:port)");
		}
		int port = Integer.parseInt(portText);
		if (port < 1 || port > 65535) {
			throw error.apply("The invite peer port " + port + " is outside 1..65535");
		}
		return new HostPort(host, port);
	}

	private static byte[] decodeBase64(String body) {
		String unpadded = body;
		while (unpadded.endsWith("=")) {
			unpadded = unpadded.substring(0, unpadded.length() - 1);
		}
		for (int i = 0; i < unpadded.length(); i++) {
			char c = unpadded.charAt(i);
			boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
					|| c == '_' || c == '+' || c == '/';
			if (!ok) {
				throw new ProtocolException("The invite code has a character that is not base64 at position "
						+ (PREFIX.length() + i + 1) + ": '" + c + "'");
			}
		}
		if (unpadded.length() % 4 == 1) {
			throw new ProtocolException("The invite code is not valid base64 (is it truncated?)");
		}
		String urlSafe = unpadded.replace('+', '-').replace('/', '_');
		try {
			return Base64.getUrlDecoder().decode(urlSafe);
		} catch (IllegalArgumentException e) {
			throw new ProtocolException("The invite code is not valid base64: " + e.getMessage(), e);
		}
	}

	private static String stripTrailingSlashes(String url) {
		String u = url;
		while (u.endsWith("/") && u.length() > 2) {
			u = u.substring(0, u.length() - 1);
		}
		return u;
	}
}
