package org.felund.transport.relay.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.felund.api.model.ProtocolException;
import org.felund.protocol.wire.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Sends one relay request with the JDK client and turns the reply into a JSON object or a {@link RelayException}.
 * Success means HTTP 2xx with a JSON object whose {@code ok} is {@code true}.
 */
public final class RelayHttp {
	/** Largest reply read: a full page of 500 envelopes at the relay's 64 KB element limit, with room to spare. */
	static final int MAX_REPLY_BYTES = 40 * 1024 * 1024;

	private final HttpClient client;
	private final Duration timeout;

	public RelayHttp(HttpClient client, Duration timeout) {
		this.client = client;
		this.timeout = timeout;
	}

	public HttpClient client() {
		return client;
	}

	/**
	 * @param body {@code null} for a request without body
	 * @throws RelayException classified as described there
	 * @throws InterruptedException when the calling thread is interrupted (the transport is stopping)
	 */
	public ObjectNode send(String method, URI uri, byte[] body, Map<String, String> headers, Duration requestTimeout)
			throws RelayException, InterruptedException {
		HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(requestTimeout == null ? timeout : requestTimeout)
				.header("Accept", "application/json");
		if (body != null) {
			b.header("Content-Type", "application/json");
		}
		headers.forEach(b::header);
		b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
		HttpResponse<InputStream> response;
		byte[] bytes;
		try {
			response = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
			try (InputStream in = response.body()) {
				bytes = in.readNBytes(MAX_REPLY_BYTES + 1);
			}
		} catch (IOException e) {
			throw RelayException.unavailable(describe(e), e);
		}
		if (bytes.length > MAX_REPLY_BYTES) {
			throw RelayException.unavailable("the relay's reply to " + method + " " + uri.getPath() + " is larger than "
					+ MAX_REPLY_BYTES + " bytes", null);
		}
		int status = response.statusCode();
		ObjectNode json = parse(bytes);
		if (status >= 200 && status < 300) {
			if (json == null || !json.path("ok").asBoolean(false)) {
				throw RelayException.unavailable(
						"the reply to " + method + " " + uri.getPath() + " is not a felund relay answer (HTTP " + status
								+ ")",
						null);
			}
			return json;
		}
		String detail = json == null ? "" : json.path("detail").asText("");
		String code = json == null ? "" : json.path("code").asText("");
		String message = "relay answered HTTP " + status + " to " + method + " " + uri.getPath()
				+ (code.isEmpty() ? "" : " " + code) + (detail.isEmpty() ? "" : ": " + truncate(detail));
		boolean rejected = status >= 400 && status < 500 && status != 408 && status != 429;
		throw new RelayException(rejected ? RelayException.Kind.REJECTED : RelayException.Kind.UNAVAILABLE, status,
				code, message, null);
	}

	private static ObjectNode parse(byte[] bytes) {
		if (bytes.length == 0) {
			return null;
		}
		try {
			JsonNode node = Json.parse(bytes);
			return node.isObject() ? (ObjectNode) node : null;
		} catch (ProtocolException e) {
			return null;
		}
	}

	static String describe(IOException e) {
		String type = e.getClass().getSimpleName();
		String msg = e.getMessage();
		if (e instanceof java.net.ConnectException) {
			return "cannot connect to the relay" + (msg == null ? "" : " (" + msg + ")");
		}
		if (e instanceof java.net.http.HttpTimeoutException) {
			return "the relay did not answer in time";
		}
		return "relay connection failed: " + type + (msg == null ? "" : " " + msg);
	}

	private static String truncate(String s) {
		return s.length() > 200 ? s.substring(0, 200) + "…" : s;
	}
}
