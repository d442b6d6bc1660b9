package org.felund.transport.relay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class LiveSocketTest {
	/** Records what the listener does with the socket. */
	private static final class FakeWebSocket implements WebSocket {
		final List<String> sent = new CopyOnWriteArrayList<>();
		final AtomicLong requested = new AtomicLong();
		volatile boolean aborted;

		@Override
		public CompletableFuture<WebSocket> sendText(CharSequence data, boolean last) {
			sent.add(data + (last ? "" : "…"));
			return CompletableFuture.completedFuture(this);
		}

		@Override
		public CompletableFuture<WebSocket> sendBinary(ByteBuffer data, boolean last) {
			throw new AssertionError("binary sent");
		}

		@Override
		public CompletableFuture<WebSocket> sendPing(ByteBuffer message) {
			throw new AssertionError("ping sent");
		}

		@Override
		public CompletableFuture<WebSocket> sendPong(ByteBuffer message) {
			throw new AssertionError("the JDK answers pings itself");
		}

		@Override
		public CompletableFuture<WebSocket> sendClose(int statusCode, String reason) {
			sent.add("close " + statusCode);
			return CompletableFuture.completedFuture(this);
		}

		@Override
		public void request(long n) {
			requested.addAndGet(n);
		}

		@Override
		public String getSubprotocol() {
			return "";
		}

		@Override
		public boolean isOutputClosed() {
			return false;
		}

		@Override
		public boolean isInputClosed() {
			return false;
		}

		@Override
		public void abort() {
			aborted = true;
		}
	}

	private static final class Recorder implements LiveSocket.Events {
		final List<String> events = new CopyOnWriteArrayList<>();
		final List<JsonNode> frames = new CopyOnWriteArrayList<>();

		@Override
		public void opened(LiveSocket socket) {
			events.add("opened");
		}

		@Override
		public void messages(LiveSocket socket, JsonNode messages) {
			frames.add(messages);
		}

		@Override
		public void ended(LiveSocket socket, String reason, boolean refusedByRelay) {
			events.add("ended: " + reason + (refusedByRelay ? " (refused)" : ""));
		}
	}

	@Test
	void jsonPingGetsPongAndMessagesFramesAreHandedOnWhateverTheirSplit() {
		Recorder r = new Recorder();
		FakeWebSocket ws = new FakeWebSocket();
		LiveSocket socket = new LiveSocket(r);
		socket.onOpen(ws);
		assertTrue(socket.isOpen());
		socket.onText(ws, "{\"t\":\"PI", false);
		socket.onText(ws, "NG\"}", true);
		assertEquals(List.of("{\"t\":\"PONG\"}"), ws.sent);

		socket.onText(ws, "{\"t\": \"MESSAGES\", \"messages\": [{\"msg_id\": \"a\"}, ", false);
		socket.onText(ws, "{\"msg_id\": \"b\"}], \"server_time\": 1767225600}", true);
		assertEquals(1, r.frames.size());
		assertEquals(2, r.frames.get(0).size());

		// Frames the client does not understand are ignored, not fatal.
		socket.onText(ws, "not json", true);
		socket.onText(ws, "{\"t\":\"SOMETHING_NEW\"}", true);
		socket.onText(ws, "{\"t\":\"MESSAGES\",\"messages\":{}}", true);
		socket.onBinary(ws, ByteBuffer.allocate(3), true);
		socket.onPing(ws, ByteBuffer.allocate(0));
		assertEquals(1, r.frames.size());
		assertEquals(List.of("{\"t\":\"PONG\"}"), ws.sent);
		// One more message requested after each callback, or the JDK stops delivering (and answering pings).
		assertEquals(1 + 9, ws.requested.get());
		assertEquals(List.of("opened"), r.events);
	}

	@Test
	void theEndIsReportedOnceWithTheRelaysReason() {
		Recorder r = new Recorder();
		FakeWebSocket ws = new FakeWebSocket();
		LiveSocket socket = new LiveSocket(r);
		socket.onOpen(ws);
		socket.onClose(ws, 1001, "relay stopping");
		socket.onError(ws, new java.io.IOException("reset"));
		socket.close("circle left");
		assertEquals(List.of("opened", "ended: the relay closed the WebSocket (1001 relay stopping)"), r.events);
		assertTrue(!socket.isOpen());
	}

	@Test
	void aSocketClosedWhileConnectingIsDroppedWhenTheHandshakeCompletes() {
		Recorder r = new Recorder();
		FakeWebSocket ws = new FakeWebSocket();
		LiveSocket socket = new LiveSocket(r);
		socket.close("no longer needed");
		socket.onOpen(ws);
		assertTrue(ws.aborted);
		assertEquals(List.of("ended: no longer needed"), r.events);
	}
}
