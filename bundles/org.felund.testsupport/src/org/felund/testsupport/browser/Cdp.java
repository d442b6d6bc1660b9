package org.felund.testsupport.browser;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The few Chrome DevTools Protocol calls the browser tests need, over the JDK's WebSocket client: open a page, attach
 * to it, evaluate an expression (awaiting its promise) and get the value back.
 */
public final class Cdp implements WebSocket.Listener, AutoCloseable {
	private static final ObjectMapper JSON = new ObjectMapper();
	private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
	private final AtomicInteger ids = new AtomicInteger();
	private final StringBuilder partial = new StringBuilder();
	private final HttpClient http = HttpClient.newHttpClient();
	private WebSocket socket;

	static Cdp connect(URI browserEndpoint) throws Exception {
		Cdp cdp = new Cdp();
		cdp.socket = cdp.http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
				.buildAsync(browserEndpoint, cdp).get(10, TimeUnit.SECONDS);
		return cdp;
	}

	/** Opens a page at {@code url} and returns the session id to talk to it. */
	public String openPage(String url) throws Exception {
		ObjectNode create = JSON.createObjectNode();
		create.put("url", url);
		String targetId = call("Target.createTarget", create, null).get("targetId").asText();
		ObjectNode attach = JSON.createObjectNode();
		attach.put("targetId", targetId);
		attach.put("flatten", true);
		return call("Target.attachToTarget", attach, null).get("sessionId").asText();
	}

	/** Evaluates {@code expression} in the page, awaiting a promise; returns its JSON value. */
	public JsonNode eval(String session, String expression) throws Exception {
		ObjectNode params = JSON.createObjectNode();
		params.put("expression", expression);
		params.put("awaitPromise", true);
		params.put("returnByValue", true);
		JsonNode result = call("Runtime.evaluate", params, session);
		if (result.has("exceptionDetails")) {
			throw new IllegalStateException("page error in '" + expression + "': "
					+ result.get("exceptionDetails").path("exception").path("description").asText(
							result.get("exceptionDetails").toString()));
		}
		return result.path("result").path("value");
	}

	public JsonNode call(String method, ObjectNode params, String session) throws Exception {
		int id = ids.incrementAndGet();
		ObjectNode msg = JSON.createObjectNode();
		msg.put("id", id);
		msg.put("method", method);
		msg.set("params", params);
		if (session != null) {
			msg.put("sessionId", session);
		}
		CompletableFuture<JsonNode> reply = new CompletableFuture<>();
		pending.put(id, reply);
		socket.sendText(JSON.writeValueAsString(msg), true).get(10, TimeUnit.SECONDS);
		JsonNode r = reply.get(60, TimeUnit.SECONDS);
		if (r.has("error")) {
			throw new IllegalStateException(method + " failed: " + r.get("error"));
		}
		return r.path("result");
	}

	@Override
	public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		partial.append(data);
		if (last) {
			JsonNode msg;
			try {
				msg = JSON.readTree(partial.toString());
			} catch (JsonProcessingException e) {
				throw new IllegalStateException("CDP sent malformed JSON", e);
			}
			partial.setLength(0);
			JsonNode id = msg.get("id");
			if (id != null) {
				CompletableFuture<JsonNode> f = pending.remove(id.asInt());
				if (f != null) {
					f.complete(msg);
				}
			}
		}
		webSocket.request(1);
		return null;
	}

	@Override
	public void close() {
		if (socket != null) {
			socket.abort();
		}
		http.shutdownNow();
	}
}
