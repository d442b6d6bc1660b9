package org.felund.relay.server;

import static org.felund.relay.server.RelayHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.felund.relay.server.RelayHarness.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks on connections, performed with raw sockets against a real relay on 127.0.0.1 (the relay believes no
 * proxy, so every loopback address is a client of its own; 127.0.0.2 plays a bystander): slow senders,
 * connection floods, pipelining floods, answers that are never read, request floods and oversized requests.
 */
class ConnectionAbuseTest {
	static final InetAddress ATTACKER = loopback(1);
	static final InetAddress BYSTANDER = loopback(2);

	@TempDir
	Path dir;
	RelayHarness relay;

	@AfterEach
	void stop() {
		if (relay != null) {
			relay.close();
		}
	}

	private RelayHarness start(java.util.function.UnaryOperator<RelayLimits> limits) throws IOException {
		relay = new RelayHarness(dir, b -> b.trustProxy(TrustProxy.NEVER).limits(limits));
		return relay;
	}

	static InetAddress loopback(int last) {
		try {
			return InetAddress.getByAddress(new byte[] { 127, 0, 0, (byte) last });
		} catch (IOException e) {
			throw new IllegalStateException(e);
		}
	}

	private Socket connect(InetAddress from) throws IOException {
		Socket s = new Socket();
		s.bind(new InetSocketAddress(from, 0));
		s.connect(new InetSocketAddress("127.0.0.1", relay.server().port()), 5000);
		return s;
	}

	/** Whether the relay closed the socket: a read ends (or is reset) within the timeout. */
	static boolean closedByPeer(Socket s, int timeoutMillis) throws IOException {
		s.setSoTimeout(timeoutMillis);
		InputStream in = s.getInputStream();
		byte[] buf = new byte[65536];
		try {
			while (in.read(buf) >= 0) {
				// drain what was sent before the close
			}
			return true;
		} catch (SocketTimeoutException stillOpen) {
			return false;
		} catch (SocketException reset) {
			return true;
		}
	}

	private int healthFrom(InetAddress from) throws Exception {
		HttpClient http = HttpClient.newBuilder().localAddress(from).connectTimeout(Duration.ofSeconds(5)).build();
		return http.send(HttpRequest.newBuilder(relay.uri("/v1/health")).timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	private static int relayThreads() {
		return (int) Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("felund-relay"))
				.count();
	}

	@Test
	void slowlorisConnectionsAreCappedPerAddressAndCutAtTheRequestTimeout() throws Exception {
		start(l -> l.withConnectionsPerAddress(8).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(30)));
		int threadsBefore = relayThreads();
		List<Socket> slow = new ArrayList<>();
		try {
			int resetAtOnce = 0;
			for (int i = 0; i < 40; i++) {
				try {
					Socket s = connect(ATTACKER);
					slow.add(s);
					s.getOutputStream().write("GET /v1/health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
				} catch (IOException reset) {
					resetAtOnce++; // the relay's reset can overtake the end of the handshake
				}
			}
			long started = System.nanoTime();
			Thread.sleep(200);
			List<Socket> open = new ArrayList<>();
			for (Socket s : slow) {
				if (!s.isClosed() && !closedByPeer(s, 10)) {
					open.add(s);
				}
			}
			assertEquals(8, open.size(), "connections beyond 8 per address are closed at once (" + resetAtOnce
					+ " while connecting)");
			// Everyone else is served meanwhile.
			assertEquals(200, healthFrom(BYSTANDER));
			// One header byte now and then does not keep a request alive beyond the request timeout.
			for (int round = 0; round < 20; round++) {
				for (Socket s : open) {
					try {
						s.getOutputStream().write('X');
					} catch (IOException closed) {
						// cut already
					}
				}
				Thread.sleep(250);
			}
			for (Socket s : open) {
				assertTrue(closedByPeer(s, 3000), "a slow request was cut");
			}
			long millis = (System.nanoTime() - started) / 1_000_000;
			assertTrue(millis < 10_000, "cut after " + millis + " ms");
			assertEquals(200, healthFrom(ATTACKER), "the address is served again once its slow requests are gone");
			assertTrue(relayThreads() <= threadsBefore + 4, "no thread per connection: " + threadsBefore + " -> "
					+ relayThreads() + " (the 4 workers start as requests come)");
		} finally {
			for (Socket s : slow) {
				s.close();
			}
		}
	}

	@Test
	void aFloodOfPipelinedRequestsClosesTheConnection() throws Exception {
		start(l -> l);
		try (Socket s = connect(ATTACKER)) {
			String get = "GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n";
			s.getOutputStream().write(get.repeat(200).getBytes(StandardCharsets.US_ASCII));
			s.setSoTimeout(10_000);
			String answers = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
			int n = count(answers, "HTTP/1.1 200");
			assertTrue(n < 200 && n <= 1 + 16, n + " answers to 200 pipelined requests");
		}
		// A client that pipelines a few requests is served in order.
		try (Socket s = connect(BYSTANDER)) {
			s.getOutputStream().write(("GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n".repeat(5)
					+ "GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			s.setSoTimeout(10_000);
			assertEquals(6, count(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII), "HTTP/1.1 200"));
		}
	}

	private static int count(String text, String what) {
		Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
		int n = 0;
		while (m.find()) {
			n++;
		}
		return n;
	}

	/** Posts {@code count} messages of ~{@code size} characters each to a circle, unsigned (compat). */
	static void fill(RelayHarness relay, String hint, int count, int size) {
		String filler = "B".repeat(size);
		for (int start = 0; start < count; start += 10) {
			List<String> elements = new ArrayList<>();
			for (int i = start; i < Math.min(count, start + 10); i++) {
				elements.add("{\"msg_id\":\"" + MessagesTest.id(i) + "\",\"created_ts\":1,\"enc\":{\"ciphertext\":\"" + filler
						+ "\"}}");
			}
			expect(200, relay.post("/v1/messages", MessagesTest.batch(hint, elements)));
		}
	}

	@Test
	void anAnswerThatIsNeverReadIsCutAtTheWriteTimeoutAndHoldsBackOnlyItsAddress() throws Exception {
		Duration writeTimeout = Duration.ofSeconds(3);
		// One page larger than everything the kernel can take off the relay's hands (the relay's send buffer grows up
		// to tcp_wmem's maximum; the client's receive buffer is small and fixed), so that its answer can never be
		// written completely. Pages of 2 MiB were not enough: an idle machine once took four of them into its buffers.
		long kernel = tcpSendBufferMax();
		int pageBytes = (int) (kernel + (1 << 20));
		start(l -> l.withTimeouts(Duration.ofSeconds(30), writeTimeout).withMaxPageBytes(pageBytes)
				.withOutboundBytes(1, 256L << 20).withPostRate(64L << 20, 64L << 20));
		fill(relay, MessagesTest.HINT, pageBytes / 60_000 + 2, 60_000);
		// The answers to those posts went to this address too, and the relay counts an answer until its write has
		// completed, which may be a moment after the client read it: the page request must not find them (it would
		// get 503 itself, and no answer would wait).
		long filled = System.nanoTime();
		while (relay.server().unreadAnswerBytes() > 0) {
			assertTrue(System.nanoTime() - filled < Duration.ofSeconds(10).toNanos(), "the posts' answers still count");
			Thread.sleep(5);
		}
		try (Socket stuck = new Socket()) {
			stuck.setReceiveBufferSize(4096);
			stuck.bind(new InetSocketAddress(ATTACKER, 0));
			stuck.connect(new InetSocketAddress("127.0.0.1", relay.server().port()), 5000);
			stuck.getOutputStream().write(("GET /v1/messages?circle_hint=" + MessagesTest.HINT
					+ "&limit=500 HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			// Wait until the relay itself holds the answer that the client does not take (it stays until the write
			// timeout; only this answer is larger than the send buffer), then ask from the same address: no further page
			// (503), everyone else is served.
			long asked = System.nanoTime();
			while (relay.server().unreadAnswerBytes() <= kernel) {
				assertTrue(System.nanoTime() - asked < Duration.ofSeconds(20).toNanos(), "no answer waiting after 20 s");
				Thread.sleep(10);
			}
			HttpClient attacker = HttpClient.newBuilder().localAddress(ATTACKER).build();
			HttpResponse<String> refused = attacker.send(HttpRequest.newBuilder(relay.uri("/v1/messages?circle_hint="
					+ MessagesTest.HINT)).build(), HttpResponse.BodyHandlers.ofString());
			String body = refused.body().substring(0, Math.min(300, refused.body().length()));
			assertEquals(503, refused.statusCode(), body);
			assertTrue(body.contains("too many unread answers"), body);
			assertEquals("1", refused.headers().firstValue("Retry-After").orElse(null));
			HttpClient bystander = HttpClient.newBuilder().localAddress(BYSTANDER).build();
			assertEquals(200, bystander.send(HttpRequest.newBuilder(relay.uri("/v1/messages?circle_hint="
					+ MessagesTest.HINT)).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
			// Still not reading (reading would let the write finish): the relay gives the answer up at the write
			// timeout, and closes the connection.
			while (relay.server().unreadAnswerBytes() > kernel) {
				assertTrue(System.nanoTime() - asked < writeTimeout.plusSeconds(20).toNanos(),
						"the answer still waits after " + (System.nanoTime() - asked) / 1_000_000 + " ms");
				Thread.sleep(10);
			}
			long heldMillis = (System.nanoTime() - asked) / 1_000_000;
			assertTrue(heldMillis >= writeTimeout.toMillis() - 100, "given up after " + heldMillis + " ms");
			assertTrue(closedByPeer(stuck, 5000), "the connection that did not read was closed");
		}
		assertEquals(200, HttpClient.newBuilder().localAddress(ATTACKER).build().send(HttpRequest.newBuilder(
				relay.uri("/v1/messages?circle_hint=" + MessagesTest.HINT)).build(),
				HttpResponse.BodyHandlers.discarding()).statusCode(), "its address may read again once the stuck answer"
						+ " is gone");
	}

	/** The largest send buffer TCP grows a socket to on this machine (Linux; 16 MiB where it cannot be read). */
	static long tcpSendBufferMax() {
		try {
			String[] wmem = Files.readString(Path.of("/proc/sys/net/ipv4/tcp_wmem")).trim().split("\\s+");
			return Long.parseLong(wmem[2]);
		} catch (IOException | RuntimeException unknown) {
			return 16L << 20;
		}
	}

	@Test
	void pagesAreCutByBytesAndTheCursorContinuesLosslessly() throws Exception {
		start(l -> l.withMaxPageBytes(200_000));
		fill(relay, MessagesTest.HINT, 30, 50_000);
		List<String> ids = new ArrayList<>();
		long since = 0;
		int pages = 0;
		while (true) {
			Reply r = relay.get("/v1/messages?circle_hint=" + MessagesTest.HINT + "&limit=500&since=" + since);
			var body = expect(200, r);
			assertTrue(r.body().length() < 200_000 + 60_000, "page of " + r.body().length() + " bytes");
			body.get("messages").forEach(m -> ids.add(m.get("msg_id").textValue()));
			since = body.get("server_time").longValue() - 1; // the web client's way
			pages++;
			if (!body.get("more").booleanValue()) {
				break;
			}
		}
		assertEquals(30, new java.util.HashSet<>(ids).size());
		assertTrue(pages >= 8, pages + " pages");
		// The WebSocket catch-up is cut the same way (the newest rows first).
		Subscriber sub = new Subscriber(MessagesTest.HINT, "catchup-node-1").connect(relay.server().port());
		try {
			Thread.sleep(1000);
			assertTrue(sub.received.size() >= 1 && sub.received.size() <= 4, sub.received.size() + " in the catch-up");
			assertTrue(sub.received.contains(MessagesTest.id(29)), "the newest row is in it");
		} finally {
			sub.close();
		}
	}

	@Test
	void requestFloodsFromOneAddressGet429WithRetryAfterOthersAreServed() throws Exception {
		start(l -> l.withRequestRate(0.1, 5));
		HttpClient attacker = HttpClient.newBuilder().localAddress(ATTACKER).build();
		List<Integer> statuses = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			HttpResponse<String> r = attacker.send(HttpRequest.newBuilder(relay.uri("/v1/health")).build(),
					HttpResponse.BodyHandlers.ofString());
			statuses.add(r.statusCode());
			if (r.statusCode() == 429) {
				int retryAfter = Integer.parseInt(r.headers().firstValue("Retry-After").orElse("0"));
				assertTrue(retryAfter >= 1 && retryAfter <= 10, "Retry-After " + retryAfter);
				assertTrue(r.body().contains("too many requests from this address"), r.body());
				assertEquals("*", r.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
			}
		}
		assertEquals(List.of(200, 200, 200, 200, 200, 429, 429, 429), statuses);
		assertEquals(200, healthFrom(BYSTANDER));
	}

	@Test
	void brokenWebSocketUpgradesGetAnAnswerAndHoldNoSocketSlot() throws Exception {
		start(l -> l);
		String base = "GET /v1/relay/ws?circle_hint=" + MessagesTest.HINT + "&node_id=broken-upgrade HTTP/1.1\r\n"
				+ "Host: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n";
		for (String broken : new String[] { base + "Sec-WebSocket-Version: 13\r\n\r\n",
				base + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: \r\n\r\n",
				base + "Sec-WebSocket-Version: 99\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n" }) {
			try (Socket s = connect(ATTACKER)) {
				s.getOutputStream().write(broken.getBytes(StandardCharsets.US_ASCII));
				s.setSoTimeout(5000);
				String answer = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
				assertTrue(answer.startsWith("HTTP/1.1 4"), "answer to a broken upgrade: " + answer);
			}
		}
		for (int i = 0; i < 100 && relay.server().webSocketCount() > 0; i++) {
			Thread.sleep(20);
		}
		assertEquals(0, relay.server().webSocketCount(), "no WebSocket slot is held by a failed upgrade");
	}

	@Test
	void oversizedBodiesHeadersAndWebSocketFramesAreRefused() throws Exception {
		start(l -> l);
		// A chunked body that never ends: 413 once it passes the limit, then the connection goes.
		try (Socket s = connect(ATTACKER)) {
			OutputStream out = s.getOutputStream();
			out.write(("POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
					+ "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			byte[] chunk = ("10000\r\n" + "x".repeat(0x10000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
			try {
				for (int i = 0; i < 64; i++) {
					out.write(chunk);
				}
			} catch (IOException closedWhileSending) {
				// the relay stopped listening: fine
			}
			s.setSoTimeout(10_000);
			String answer = new String(s.getInputStream().readNBytes(200), StandardCharsets.US_ASCII);
			assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
			assertTrue(closedByPeer(s, 5000));
		}
		// A WebSocket text frame beyond 64 KiB closes the socket (with 1009, message too big, unless the client
		// is still sending when the close arrives: then its TCP stack sees a reset, 1006).
		Subscriber sub = new Subscriber(MessagesTest.HINT, "big-frame-node").connect(relay.server().port());
		try {
			sub.sendText("x".repeat(70_000));
		} catch (java.util.concurrent.CompletionException closedWhileSending) {
			// fine
		}
		sub.lost.get(10, java.util.concurrent.TimeUnit.SECONDS);
		assertTrue(sub.closeCode == 1009 || sub.closeCode == 1006 || sub.closeCode == -1, "close " + sub.closeCode);
		for (int i = 0; i < 60 && relay.server().webSocketCount() > 0; i++) {
			Thread.sleep(50);
		}
		assertEquals(0, relay.server().webSocketCount(), "the relay closed its side too");
		expect(200, relay.get("/v1/health"));
	}
}
