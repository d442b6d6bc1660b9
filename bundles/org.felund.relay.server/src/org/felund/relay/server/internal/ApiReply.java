package org.felund.relay.server.internal;

import java.util.Map;

/**
 * What the API logic answers: status, JSON body ({@code null} for an empty body) and extra headers.
 */
record ApiReply(int status, String json, Map<String, String> headers) {

	static ApiReply ok(String json) {
		return new ApiReply(200, json, Map.of());
	}
}
