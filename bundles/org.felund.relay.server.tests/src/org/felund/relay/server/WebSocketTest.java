package org.felund.relay.server;

import static org.felund.relay.server.RelayHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.felund.relay.server.RelayHarness.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** WebSocket push (§7.7): catch-up, fan-out with self-echo suppression, keep-alive, limits, shutdown. */
class WebSocketTest {
	/** The storage the relays of this test use (the PostgreSQL variant overrides it). */
	RelayHarness.Backend backend() {
		return RelayHarness.Backend.SQLITE;
	}

	static final String HINT = "e03c84dccc271635";
	static final String OTHER_HINT = "0011223344556677";

	@TempDir
	Path dir;
	RelayHarness relay;
	final List<Client> clients = new ArrayList<>();

	@BeforeEach
	void start() throws Exception {
		relay = new RelayHarness(backend(), dir, b -> b.wsPingInterval(Duration.ofMillis(300)).wsPongTimeout(Duration.ofMillis(300))
				.wsMaxConnections(4));
	}

	@AfterEach
	void stop() {
		for (Client c : clients) {
			c.ws.abort();
		}
		relay.close();
	}

	/** A subscriber using the JDK client (which answers protocol pings by itself, like browsers). */
	final class Client implements WebSocket.Listener {
		final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
		final CompletableFuture<Integer> closed = new CompletableFuture<>();
		private final StringBuilder partial = new StringBuilder();
		WebSocket ws;

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			partial.append(data);
			if (last) {
				frames.add(partial.toString());
				partial.setLength(0);
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			closed.complete(statusCode);
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			closed.complete(-1);
		}

		JsonNode next() throws Exception {
			String frame = frames.poll(5, TimeUnit.SECONDS);
			assertNotNull(frame, "no frame within 5 s");
			return RelayHarness.JSON.readTree(frame);
		}

		void assertNoFrame(long millis) throws Exception {
			assertNull(frames.poll(millis, TimeUnit.MILLISECONDS));
		}
	}

	Client connect(String hint, String nodeId) {
		Client c = new Client();
		c.ws = relay.http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
				.buildAsync(URI.create("ws://127.0.0.1:" + relay.server().port() + "/v1/relay/ws?circle_hint=" + hint
						+ "&node_id=" + nodeId), c)
				.join();
		clients.add(c);
		return c;
	}

	static List<String> ids(JsonNode frame) {
		assertEquals("MESSAGES", frame.get("t").textValue());
		assertTrue(frame.get("server_time").isIntegralNumber());
		List<String> ids = new ArrayList<>();
		frame.get("messages").forEach(m -> ids.add(m.get("msg_id").textValue()));
		return ids;
	}

	void post(String hint, Map<String, String> headers, String... ids) {
		List<String> elements = new ArrayList<>();
		for (String id : ids) {
			elements.add(MessagesTest.envelope(id, RelayHarness.START));
		}
		expect(200, relay.send("POST", "/v1/messages", MessagesTest.batch(hint, elements), headers));
	}

	@Test
	void badRequestsGetPlainText400WithCors() {
		Reply r = relay.get("/v1/relay/ws?circle_hint=short&node_id=n1");
		assertEquals(400, r.status());
		assertEquals("circle_hint (8-128 characters) and node_id (1-128 characters) required", r.body());
		HttpBasicsTest.assertCors(r);
		assertEquals(400, relay.get("/v1/relay/ws?circle_hint=" + HINT).status());
		Reply noUpgrade = relay.get("/v1/relay/ws?circle_hint=" + HINT + "&node_id=n1");
		assertEquals(400, noUpgrade.status());
		assertEquals("this endpoint needs a WebSocket upgrade", noUpgrade.body());
	}

	@Test
	void newSocketGetsMessagesOfTheCatchUpWindowFirst() throws Exception {
		post(HINT, Map.of(), MessagesTest.id(1));
		relay.clock.advance(Duration.ofSeconds(121));
		post(HINT, Map.of(), MessagesTest.id(2), MessagesTest.id(3));
		Client c = connect(HINT, "web-node-1");
		assertEquals(List.of(MessagesTest.id(2), MessagesTest.id(3)), ids(c.next()));
		Client empty = connect(OTHER_HINT, "web-node-1");
		empty.assertNoFrame(300);
	}

	@Test
	void newMessagesArePushedToTheCircleExceptToTheSendersOwnSockets() throws Exception {
		Client a = connect(HINT, "node-a");
		Client b = connect(HINT, "node-b");
		Client other = connect(OTHER_HINT, "node-b");
		// The catch-up read of a new socket is asynchronous; a post racing it would show up in the catch-up frame.
		Thread.sleep(200);
		post(HINT, Map.of("X-Felund-Node", "node-a"), MessagesTest.id(1), MessagesTest.id(2));
		assertEquals(List.of(MessagesTest.id(1), MessagesTest.id(2)), ids(b.next()));
		// A duplicate stores nothing and pushes nothing; an unsigned post without X-Felund-Node reaches everyone.
		post(HINT, Map.of(), MessagesTest.id(2), MessagesTest.id(3));
		assertEquals(List.of(MessagesTest.id(3)), ids(a.next()), "a got nothing of its own first post");
		assertEquals(List.of(MessagesTest.id(3)), ids(b.next()));
		post(OTHER_HINT, Map.of(), MessagesTest.id(9));
		assertEquals(List.of(MessagesTest.id(9)), ids(other.next()), "other circles' messages never arrive");
		a.assertNoFrame(100);
	}

	@Test
	void jsonPingIsAnsweredWithPongAndOtherClientFramesAreIgnored() throws Exception {
		Client c = connect(HINT, "node-a");
		c.ws.sendText("{\"t\":\"HELLO\"}", true).join();
		c.ws.sendText("not json", true).join();
		c.ws.sendText("{\"t\":\"PING\"}", true).join();
		assertEquals("PONG", c.next().get("t").textValue());
	}

	@Test
	void aClientThatAnswersPingsStaysConnected() throws Exception {
		Client c = connect(HINT, "node-a");
		Thread.sleep(1000);
		assertTrue(!c.closed.isDone(), "still open after three ping periods");
		post(HINT, Map.of(), MessagesTest.id(4));
		assertEquals(List.of(MessagesTest.id(4)), ids(c.next()));
	}

	@Test
	void aClientThatNeverAnswersPingsIsDisconnected() throws Exception {
		try (Socket s = new Socket("127.0.0.1", relay.server().port())) {
			s.setSoTimeout(5000);
			OutputStream out = s.getOutputStream();
			out.write(("GET /v1/relay/ws?circle_hint=" + HINT + "&node_id=mute HTTP/1.1\r\nHost: 127.0.0.1\r\n"
					+ "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
					+ "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			out.flush();
			DataInputStream in = new DataInputStream(s.getInputStream());
			String head = readHead(in);
			assertTrue(head.startsWith("HTTP/1.1 101"), head);
			assertTrue(head.contains("access-control-allow-origin: *"), head);
			assertEquals(1, waitForSockets(1));
			long started = System.nanoTime();
			boolean sawPing = false;
			while (true) {
				int b0;
				try {
					b0 = in.read();
				} catch (IOException reset) {
					break;
				}
				if (b0 < 0) {
					break;
				}
				int len = in.readUnsignedByte() & 0x7f;
				in.readFully(new byte[len]);
				int opcode = b0 & 0x0f;
				if (opcode == 0x9) {
					sawPing = true;
				} else if (opcode == 0x8) {
					break;
				}
				if (System.nanoTime() - started > TimeUnit.SECONDS.toNanos(4)) {
					fail("not disconnected within 4 s");
				}
			}
			assertTrue(sawPing, "the server pinged before giving up");
		}
		assertEquals(0, waitForSockets(0), "the slot is free again");
	}

	private int waitForSockets(int expected) throws InterruptedException {
		for (int i = 0; i < 100 && relayWebSockets() != expected; i++) {
			Thread.sleep(20);
		}
		return relayWebSockets();
	}

	private int relayWebSockets() {
		return relay.server().webSocketCount();
	}

	private static String readHead(InputStream in) throws IOException {
		StringBuilder sb = new StringBuilder();
		while (!sb.toString().endsWith("\r\n\r\n")) {
			int c = in.read();
			if (c < 0) {
				break;
			}
			sb.append((char) c);
		}
		return sb.toString().toLowerCase(java.util.Locale.ROOT).replace("http/1.1", "HTTP/1.1");
	}

	@Test
	void connectionsBeyondTheLimitAreRefusedWith503UntilOneCloses() throws Exception {
		List<Client> four = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			four.add(connect(HINT, "node-" + i));
		}
		CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
				() -> connect(HINT, "node-5"));
		WebSocketHandshakeException handshake = assertInstanceOf(WebSocketHandshakeException.class, refused.getCause());
		assertEquals(503, handshake.getResponse().statusCode());
		four.get(0).ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
		four.get(0).closed.get(5, TimeUnit.SECONDS);
		Client again = null;
		for (int attempt = 0; attempt < 50 && again == null; attempt++) {
			try {
				again = connect(HINT, "node-6");
			} catch (CompletionException stillFull) {
				Thread.sleep(20);
			}
		}
		assertNotNull(again, "the closed socket's slot was released");
	}

	@Test
	void stoppingTheServerClosesSubscribers() throws Exception {
		Client c = connect(HINT, "node-a");
		relay.close();
		assertEquals(1001, c.closed.get(5, TimeUnit.SECONDS));
	}
}
