package org.felund.transport.relay.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.felund.api.model.ProtocolException;
import org.felund.protocol.wire.Json;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One push socket {@code /v1/relay/ws} of one circle (protocol §7.7). Protocol pings are answered by the JDK client
 * itself; a JSON {@code {"t":"PING"}} is answered with {@code {"t":"PONG"}} here. {@code MESSAGES} frames are handed
 * to {@link Events#messages}; everything else is ignored. Every callback runs on a JDK client thread: the receiver
 * must hand work to its own thread.
 */
public final class LiveSocket implements WebSocket.Listener {
	/** A frame larger than this is refused (the reference relay's catch-up is at most 200 envelopes). */
	static final int MAX_FRAME_CHARS = 32 * 1024 * 1024;
	static final String PONG = "{\"t\":\"PONG\"}";

	/** What the socket reports; {@link #ended} is called exactly once, also when it never opened. */
	public interface Events {
		void opened(LiveSocket socket);

		void messages(LiveSocket socket, JsonNode messages);

		void ended(LiveSocket socket, String reason, boolean refusedByRelay);
	}

	private final Events events;
	private final StringBuilder partial = new StringBuilder();
	private final AtomicBoolean ended = new AtomicBoolean();
	private volatile WebSocket webSocket;
	private volatile long lastHeardNanos = System.nanoTime();
	private volatile long openedNanos;

	LiveSocket(Events events) {
		this.events = events;
	}

	/** Starts the handshake; the outcome arrives through {@code events}. */
	public static LiveSocket connect(HttpClient client, URI uri, Duration timeout, Events events) {
		LiveSocket socket = new LiveSocket(events);
		CompletableFuture<WebSocket> future;
		try {
			future = client.newWebSocketBuilder().connectTimeout(timeout).buildAsync(uri, socket);
		} catch (RuntimeException e) {
			socket.end("cannot open the relay WebSocket: " + e.getMessage(), false);
			return socket;
		}
		future.whenComplete((ws, error) -> {
			if (error != null) {
				Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause()
						: error;
				if (cause instanceof WebSocketHandshakeException h) {
					socket.end("the relay refused the WebSocket (HTTP " + h.getResponse().statusCode() + ")", true);
				} else {
					socket.end("cannot open the relay WebSocket: " + cause, false);
				}
			}
		});
		return socket;
	}

	public boolean isOpen() {
		return webSocket != null && !ended.get();
	}

	/** Nanos since anything (frame, ping, pong) last arrived. */
	public long silentNanos() {
		return System.nanoTime() - lastHeardNanos;
	}

	/** Nanos the socket has been open, 0 when it is not. */
	public long openNanos() {
		return isOpen() ? System.nanoTime() - openedNanos : 0;
	}

	/** Closes the socket politely and forgets it; reports {@link Events#ended} with {@code reason}. */
	public void close(String reason) {
		if (ended.get()) {
			return;
		}
		WebSocket ws = webSocket;
		if (ws != null && !ws.isOutputClosed()) {
			ws.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(2, TimeUnit.SECONDS)
					.whenComplete((w, e) -> ws.abort());
		}
		end(reason, false);
	}

	/** Drops the connection at once (no close handshake). */
	public void abort(String reason) {
		WebSocket ws = webSocket;
		if (ws != null) {
			ws.abort();
		}
		end(reason, false);
	}

	private void end(String reason, boolean refused) {
		if (ended.compareAndSet(false, true)) {
			events.ended(this, reason, refused);
		}
	}

	@Override
	public void onOpen(WebSocket ws) {
		webSocket = ws;
		lastHeardNanos = System.nanoTime();
		openedNanos = lastHeardNanos;
		if (ended.get()) {
			// Closed by the transport while the handshake ran.
			ws.abort();
			return;
		}
		events.opened(this);
		ws.request(1);
	}

	@Override
	public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
		lastHeardNanos = System.nanoTime();
		if (partial.length() + data.length() > MAX_FRAME_CHARS) {
			partial.setLength(0);
			abort("the relay sent a WebSocket frame larger than " + MAX_FRAME_CHARS + " characters");
			return null;
		}
		partial.append(data);
		if (last) {
			String text = partial.toString();
			partial.setLength(0);
			handle(ws, text);
		}
		ws.request(1);
		return null;
	}

	private void handle(WebSocket ws, String text) {
		JsonNode frame;
		try {
			frame = Json.parse(text);
		} catch (ProtocolException e) {
			return;
		}
		String type = frame.path("t").asText("");
		if (type.equals("MESSAGES") && frame.path("messages").isArray()) {
			events.messages(this, frame.get("messages"));
		} else if (type.equals("PING")) {
			try {
				ws.sendText(PONG, true);
			} catch (IllegalStateException busy) {
				// Another send is still in flight; the relay's next PING gets the answer.
			}
		}
	}

	@Override
	public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
		lastHeardNanos = System.nanoTime();
		ws.request(1);
		return null;
	}

	@Override
	public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
		// The JDK answers with a Pong by itself; a ping still proves the relay is there.
		lastHeardNanos = System.nanoTime();
		ws.request(1);
		return null;
	}

	@Override
	public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
		lastHeardNanos = System.nanoTime();
		ws.request(1);
		return null;
	}

	@Override
	public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
		end("the relay closed the WebSocket (" + statusCode + (reason == null || reason.isEmpty() ? "" : " " + reason)
				+ ")", false);
		return null;
	}

	@Override
	public void onError(WebSocket ws, Throwable error) {
		end("WebSocket failed: " + error, false);
	}
}
