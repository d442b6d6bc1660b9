package org.felund.webrtc;

import java.util.Locale;
import java.util.Objects;

/**
 * One STUN or TURN server.
 *
 * @param url {@code stun:host[:port]}, {@code stuns:…}, {@code turn:host[:port][?transport=udp|tcp]} or
 *            {@code turns:…}
 * @param username TURN user name ({@code ""} for STUN)
 * @param credential TURN password ({@code ""} for STUN)
 */
public record IceServer(String url, String username, String credential) {
	public IceServer {
		url = url == null ? "" : url.trim();
		username = username == null ? "" : username;
		credential = credential == null ? "" : credential;
		String scheme = url.contains(":") ? url.substring(0, url.indexOf(':')).toLowerCase(Locale.ROOT) : "";
		if (!scheme.equals("stun") && !scheme.equals("stuns") && !scheme.equals("turn") && !scheme.equals("turns")) {
			throw new IllegalArgumentException(
					"An ICE server URL must start with stun:, stuns:, turn: or turns:, got '" + url + "'");
		}
		String rest = url.substring(scheme.length() + 1);
		if (rest.isEmpty() || rest.startsWith("/") || rest.startsWith("?") || rest.chars().anyMatch(Character::isWhitespace)) {
			throw new IllegalArgumentException("The ICE server URL '" + url + "' has no host");
		}
		if ((scheme.equals("turn") || scheme.equals("turns")) && (username.isEmpty() || credential.isEmpty())) {
			throw new IllegalArgumentException("The TURN server " + url + " needs a user name and a credential");
		}
	}

	public static IceServer stun(String url) {
		return new IceServer(url, "", "");
	}

	public boolean isTurn() {
		String u = url.toLowerCase(Locale.ROOT);
		return u.startsWith("turn:") || u.startsWith("turns:");
	}

	@Override
	public String toString() {
		// Never the credential.
		return isTurn() ? url + " (user " + username + ")" : url;
	}

	@Override
	public boolean equals(Object o) {
		return o instanceof IceServer s && s.url.equals(url) && s.username.equals(username)
				&& s.credential.equals(credential);
	}

	@Override
	public int hashCode() {
		return Objects.hash(url, username, credential);
	}
}
