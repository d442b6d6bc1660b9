package org.felund.relay.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A WebSocket subscriber of one circle that records every msg_id it is pushed (and how often), the way the
 * web client follows a relay. Connects to whichever relay instance it is told to, and to another one when
 * that one dies, as a client behind a load balancer does.
 */
final class Subscriber implements WebSocket.Listener {
	final Set<String> received = ConcurrentHashMap.newKeySet();
	final ConcurrentHashMap<String, Integer> counts = new ConcurrentHashMap<>();
	final CompletableFuture<Void> lost = new CompletableFuture<>();
	/** The status of the close frame the relay sent ({@code -1}: none yet). */
	volatile int closeCode = -1;
	private final StringBuilder partial = new StringBuilder();
	private final String hint;
	private final String nodeId;
	private final HttpClient http = HttpClient.newHttpClient();
	private volatile WebSocket ws;

	Subscriber(String hint, String nodeId) {
		this.hint = hint;
		this.nodeId = nodeId;
	}

	Subscriber connect(int port) {
		ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
				.buildAsync(URI.create("ws://127.0.0.1:" + port + "/v1/relay/ws?circle_hint=" + hint + "&node_id="
						+ nodeId), this)
				.join();
		return this;
	}

	@Override
	public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		synchronized (partial) {
			partial.append(data);
			if (last) {
				record(partial.toString());
				partial.setLength(0);
			}
		}
		webSocket.request(1);
		return null;
	}

	private void record(String frame) {
		try {
			JsonNode json = RelayHarness.JSON.readTree(frame);
			if ("MESSAGES".equals(json.path("t").asText())) {
				for (JsonNode m : json.get("messages")) {
					String id = m.get("msg_id").textValue();
					received.add(id);
					counts.merge(id, 1, Integer::sum);
				}
			}
		} catch (Exception e) {
			throw new IllegalStateException("unreadable frame: " + frame, e);
		}
	}

	@Override
	public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		closeCode = statusCode;
		lost.complete(null);
		return null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		lost.complete(null);
	}

	/** Waits until every id has arrived (or the timeout passes); returns whether all did. */
	boolean awaitAll(Set<String> ids, long timeoutMillis) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
		while (!received.containsAll(ids)) {
			if (System.nanoTime() > deadline) {
				return false;
			}
			Thread.sleep(10);
		}
		return true;
	}

	void sendText(String text) {
		ws.sendText(text, true).join();
	}

	void close() {
		WebSocket w = ws;
		if (w != null) {
			w.abort();
		}
	}
}
