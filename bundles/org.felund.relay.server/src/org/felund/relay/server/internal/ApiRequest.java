package org.felund.relay.server.internal;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One HTTP request as the API logic sees it, independent of Netty.
 *
 * @param method     upper-case HTTP method
 * @param route      path after the optional base path, without trailing {@code /}, e.g. {@code /v1/messages}
 * @param query      decoded query parameters
 * @param header     header lookup by case-insensitive name ({@code null} when absent)
 * @param body       exact body bytes (empty array when none)
 * @param remote     the TCP peer
 * @param client     the key its per-address limits count under ({@link ClientLimits}), {@code null}: not limited
 */
record ApiRequest(String method, String route, Map<String, List<String>> query, Function<String, String> header,
		byte[] body, InetSocketAddress remote, String client) {

	/** First value of a query parameter, or {@code null}. */
	String queryParam(String name) {
		List<String> values = query.get(name);
		return values == null || values.isEmpty() ? null : values.get(0);
	}

	/** The route below {@code /v1}, which is also the path covered by request signatures (§3.8). */
	String signedPath() {
		return route.substring(RelayApi.VERSION_PREFIX.length());
	}
}
