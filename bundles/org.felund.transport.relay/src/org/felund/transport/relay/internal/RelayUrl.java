package org.felund.transport.relay.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A relay base URL and the endpoint URLs built from it the way the web client does (protocol §7.1): trailing
 * {@code /} removed, {@code /<name>} appended when the base already ends with {@code /v1}, {@code /v1/<name>}
 * otherwise; the WebSocket URL swaps {@code http} for {@code ws}. (Python always appends {@code /v1/}, which turns
 * a base ending in {@code /v1} into {@code /v1/v1/…}; we do not copy that.)
 *
 * @param base the normalized base: {@code http(s)://host[:port][/path]} without a trailing {@code /}
 */
public record RelayUrl(String base) {

	/**
	 * Validates and normalizes a relay base URL.
	 *
	 * @throws IllegalArgumentException with a message fit for the user when it is not an absolute http(s) URL with a
	 *             host and without query or fragment
	 */
	public static RelayUrl parse(String text) {
		if (text == null || text.isBlank()) {
			throw new IllegalArgumentException("The relay URL is empty");
		}
		String t = text.trim();
		while (t.endsWith("/")) {
			t = t.substring(0, t.length() - 1);
		}
		URI uri;
		try {
			uri = new URI(t);
		} catch (URISyntaxException e) {
			if (t.matches("(?i)https?:/*")) {
				throw new IllegalArgumentException("The relay URL '" + text + "' has no host", e);
			}
			throw new IllegalArgumentException("The relay URL '" + text + "' is not a valid URL: " + e.getReason(), e);
		}
		String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
		if (!scheme.equals("http") && !scheme.equals("https")) {
			throw new IllegalArgumentException("The relay URL '" + text + "' must start with http:// or https://");
		}
		if (uri.getHost() == null || uri.getHost().isEmpty()) {
			throw new IllegalArgumentException("The relay URL '" + text + "' has no host");
		}
		if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
			throw new IllegalArgumentException(
					"The relay URL '" + text + "' must not contain a query, a fragment or user information");
		}
		return new RelayUrl(scheme + t.substring(scheme.length()));
	}

	/** {@code <base>/v1/<name>?<query>} (or {@code <base>/<name>} when the base ends with {@code /v1}). */
	public URI api(String name, String query) {
		String path = base.endsWith("/v1") ? base + "/" + name : base + "/v1/" + name;
		return URI.create(query == null || query.isEmpty() ? path : path + "?" + query);
	}

	/** The per-circle push socket {@code ws(s)://…/v1/relay/ws?circle_hint=…&node_id=…}. */
	public URI webSocket(String circleHint, String nodeId) {
		URI http = api("relay/ws", "circle_hint=" + encode(circleHint) + "&node_id=" + encode(nodeId));
		String s = http.toString();
		return URI.create(s.startsWith("https:") ? "wss:" + s.substring(6) : "ws:" + s.substring(5));
	}

	public static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	@Override
	public String toString() {
		return base;
	}
}
