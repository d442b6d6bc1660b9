package org.felund.relay.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based fuzzing of what the relay reads from the network, through a real relay on 127.0.0.1: HTTP
 * requests as raw bytes (request line, headers, lengths, chunking, upgrades, bodies) and WebSocket frames as raw
 * bytes (opcodes, flags, masks, lengths, payloads). Every request gets a well-formed answer that is not a 500, or
 * the connection is closed; the relay stays healthy and its memory bounded.
 */
class WireFuzzTest {
	static Path dir;
	static RelayHarness relay;
	static long heapBefore;
	static final AtomicLong REQUESTS = new AtomicLong();
	static final AtomicLong CLOSED_WITHOUT_ANSWER = new AtomicLong();
	static final AtomicLong FRAMES = new AtomicLong();

	@BeforeContainer
	static void start() throws IOException {
		dir = Files.createTempDirectory("felund-wire-fuzz");
		relay = new RelayHarness(dir, b -> b.basePath("/api").limits(l -> l.withCircleQuota(Long.MAX_VALUE / 4,
				Long.MAX_VALUE / 4)));
		heapBefore = usedHeapAfterGc();
	}

	@AfterContainer
	static void stop() throws IOException {
		long heapAfter = usedHeapAfterGc();
		System.out.printf("wire fuzzing: %d HTTP requests (%d closed without an answer), %d WebSocket frames; heap %d -> %d"
				+ " MiB; relay healthy%n", REQUESTS.get(), CLOSED_WITHOUT_ANSWER.get(), FRAMES.get(), heapBefore >> 20,
				heapAfter >> 20);
		try {
			assertEquals(200, relay.get("/v1/health").status(), "the relay is still healthy");
			assertTrue(heapAfter - heapBefore < 64L << 20, "heap grew by " + ((heapAfter - heapBefore) >> 20) + " MiB");
		} finally {
			relay.close();
			try (Stream<Path> files = Files.walk(dir)) {
				for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
					Files.deleteIfExists(p);
				}
			}
		}
	}

	static long usedHeapAfterGc() {
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		Runtime rt = Runtime.getRuntime();
		return rt.totalMemory() - rt.freeMemory();
	}

	// ------------------------------------------------------------------ HTTP

	@Provide
	Arbitrary<String> targets() {
		Arbitrary<String> path = Arbitraries.of("/v1/health", "/v1/messages", "/v1/register", "/v1/peers", "/v1/signal",
				"/v1/relay/ws", "/api/v1/messages/", "/v1/messages//", "/v1/", "/", "/site/x", "/v1/%2e%2e/health",
				"/v1/messages%00", "//v1/peers", "/api/api/v1/peers", "*", "http://x/v1/health", "/v1/health#f");
		Arbitrary<String> query = org.felund.relay.server.internal.FuzzInputs.queryStrings();
		return Combinators.combine(path, query).as((p, q) -> q.isEmpty() ? p : p + "?" + q);
	}

	@Provide
	Arbitrary<byte[]> requests() {
		Arbitrary<String> method = Arbitraries.oneOf(Arbitraries.of("GET", "POST", "DELETE", "OPTIONS", "HEAD", "PUT",
				"get", "CONNECT", "TRACE"), Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8));
		Arbitrary<String> version = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just("HTTP/1.1")),
				Tuple.of(1, Arbitraries.of("HTTP/1.0", "HTTP/2.0", "HTTP/1.1 ", "HTTX/1.1", "")));
		Arbitrary<String> header = Arbitraries.oneOf(
				Arbitraries.of("Connection: close", "Connection: keep-alive", "Content-Type: application/json",
						"Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13",
						"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Expect: 100-continue", "X-Forwarded-For: 2001:db8::1",
						"X-Forwarded-For: ", "X-Real-IP: garbage", "If-Modified-Since: yesterday", "Content-Length: nine",
						"Content-Length: -1", "Content-Length: 99999999999999999999", "Transfer-Encoding: gzip",
						"Host:", "X-Felund-Ts: 1767225600", "X-Felund-Nonce: 00", "X-Felund-Signature: zz"),
				Combinators.combine(Arbitraries.strings().ofMinLength(1).ofMaxLength(20), Arbitraries.strings().ofMaxLength(60))
						.as((k, v) -> k.replaceAll("[\r\n]", "") + ": " + v.replaceAll("[\r\n]", "")));
		Arbitrary<byte[]> body = org.felund.relay.server.internal.FuzzInputs.bodies();
		return Combinators.combine(method, targets(), version, header.list().ofMaxSize(6), body,
				Arbitraries.of(Framing.values())).as(WireFuzzTest::request);
	}

	/** How the body is framed: the right length, chunks, or a length that cuts it (the rest is a second request). */
	enum Framing {
		LENGTH, CHUNKED, BROKEN_CHUNK, SHORT_LENGTH, NONE
	}

	static byte[] request(String method, String target, String version, List<String> headers, byte[] body,
			Framing framing) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		StringBuilder head = new StringBuilder(method).append(' ').append(target).append(' ').append(version)
				.append("\r\nHost: relay\r\n");
		for (String h : headers) {
			if (!h.toLowerCase(java.util.Locale.ROOT).startsWith("content-length")
					|| framing == Framing.NONE) {
				head.append(h).append("\r\n");
			}
		}
		switch (framing) {
		case LENGTH, NONE -> head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
		case SHORT_LENGTH -> head.append("Content-Length: ").append(body.length / 2).append("\r\n\r\n");
		case CHUNKED, BROKEN_CHUNK -> head.append("Transfer-Encoding: chunked\r\n\r\n");
		}
		out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
		switch (framing) {
		case CHUNKED -> {
			out.writeBytes((Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
			out.writeBytes(body);
			out.writeBytes((body.length == 0 ? "\r\n" : "\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
		}
		case BROKEN_CHUNK -> out.writeBytes(("zz\r\n" + new String(body, StandardCharsets.ISO_8859_1) + "\r\n0\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1));
		default -> out.writeBytes(body);
		}
		return out.toByteArray();
	}

	@Property(seed = "20261207")
	void everyRequestGetsAWellFormedAnswerThatIsNotA500OrTheConnectionCloses(@ForAll("requests") byte[] request)
			throws IOException {
		REQUESTS.incrementAndGet();
		try (Socket s = new Socket()) {
			s.connect(new InetSocketAddress("127.0.0.1", relay.server().port()), 5000);
			s.setSoTimeout(15_000);
			OutputStream out = s.getOutputStream();
			try {
				out.write(request);
				out.flush();
			} catch (SocketException closedWhileWriting) {
				CLOSED_WITHOUT_ANSWER.incrementAndGet();
				return;
			}
			String status = readStatusLine(s.getInputStream());
			if (status == null) {
				CLOSED_WITHOUT_ANSWER.incrementAndGet();
				return;
			}
			assertTrue(status.matches("HTTP/1\\.[01] [1-5]\\d\\d .*"), "malformed answer: " + status);
			assertTrue(!status.startsWith("HTTP/1.1 500") && !status.startsWith("HTTP/1.0 500"),
					"500 for " + new String(request, 0, Math.min(request.length, 300), StandardCharsets.ISO_8859_1));
		} catch (SocketTimeoutException e) {
			throw new AssertionError("no answer and no close within 15 s for "
					+ new String(request, 0, Math.min(request.length, 300), StandardCharsets.ISO_8859_1), e);
		}
		if (REQUESTS.get() % 5000 == 0) {
			assertEquals(200, relay.get("/v1/health").status());
		}
	}

	/** The first line of the answer, or {@code null} when the relay closed without one. */
	static String readStatusLine(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		try {
			for (int c; (c = in.read()) >= 0;) {
				if (c == '\n') {
					return line.toString().trim();
				}
				if (line.length() < 200) {
					line.append((char) c);
				}
			}
		} catch (SocketException reset) {
			return line.isEmpty() ? null : line.toString();
		}
		return line.isEmpty() ? null : line.toString();
	}

	// ------------------------------------------------------------------ WebSocket frames

	@Provide
	Arbitrary<byte[]> frames() {
		Arbitrary<Integer> opcode = Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.of(0x1, 0x9, 0xA, 0x0)),
				Tuple.of(1, Arbitraries.integers().between(0, 15)), Tuple.of(1, Arbitraries.just(0x8)));
		Arbitrary<byte[]> payload = Arbitraries.oneOf(
				Arbitraries.of("{\"t\":\"PING\"}", "{\"t\":\"PONG\"}", "PING", "{\"t\":\"PING\",\"t\":1}", "[]", "")
						.map(p -> p.getBytes(StandardCharsets.UTF_8)),
				org.felund.relay.server.internal.FuzzInputs.bodies(),
				Arbitraries.bytes().array(byte[].class).ofMaxSize(300));
		return Combinators.combine(opcode, Arbitraries.of(true, true, true, false), Arbitraries.integers().between(0, 7),
				Arbitraries.of(true, true, true, true, false), payload, Arbitraries.of(0, 0, 0, 126, 127))
				.as(WireFuzzTest::frame);
	}

	/** One frame: FIN, RSV bits, opcode, mask (clients must mask), and a length field that may lie. */
	static byte[] frame(int opcode, boolean fin, int rsv, boolean masked, byte[] payload, int lengthForm) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write((fin ? 0x80 : 0) | (rsv << 4) | opcode);
		int len = payload.length;
		int maskBit = masked ? 0x80 : 0;
		if (lengthForm == 126 || (len > 125 && len < 65536)) {
			out.write(maskBit | 126);
			out.write(len >> 8);
			out.write(len);
		} else if (lengthForm == 127 || len >= 65536) {
			out.write(maskBit | 127);
			long l = lengthForm == 127 && ThreadLocalRandom.current().nextBoolean() ? Long.MAX_VALUE : len;
			for (int i = 7; i >= 0; i--) {
				out.write((int) (l >> (8 * i)));
			}
		} else {
			out.write(maskBit | len);
		}
		byte[] mask = { 1, 2, 3, 4 };
		if (masked) {
			out.writeBytes(mask);
		}
		for (int i = 0; i < len; i++) {
			out.write(masked ? payload[i] ^ mask[i % 4] : payload[i]);
		}
		return out.toByteArray();
	}

	private static Socket ws;

	private static Socket openWebSocket() throws IOException {
		Socket s = new Socket();
		s.connect(new InetSocketAddress("127.0.0.1", relay.server().port()), 5000);
		String key = Base64.getEncoder().encodeToString(new byte[16]);
		s.getOutputStream().write(("GET /v1/relay/ws?circle_hint=" + MessagesTest.HINT + "&node_id=fuzz-node HTTP/1.1\r\n"
				+ "Host: relay\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
				+ "Sec-WebSocket-Key: " + key + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
		s.setSoTimeout(10_000);
		String status = readStatusLine(s.getInputStream());
		assertTrue(status != null && status.startsWith("HTTP/1.1 101"), "upgrade refused: " + status);
		// Whatever the relay sends from now on (pongs, pings, close frames) is read and dropped.
		Thread.ofPlatform().daemon().start(() -> {
			byte[] buf = new byte[8192];
			try {
				while (s.getInputStream().read(buf) >= 0) {
					// drop
				}
			} catch (IOException closed) {
				// done
			}
		});
		return s;
	}

	@Property(seed = "20261208")
	void anyFramesOnASubscriberSocketLeaveTheRelayHealthy(@ForAll("frames") byte[] frame) throws Exception {
		FRAMES.incrementAndGet();
		if (ws == null || ws.isClosed()) {
			ws = openWebSocket();
		}
		try {
			ws.getOutputStream().write(frame);
			ws.getOutputStream().flush();
		} catch (IOException closedByTheRelay) {
			ws.close();
			ws = null;
		}
		if (FRAMES.get() % 5000 == 0) {
			if (ws != null) {
				ws.close();
				ws = null;
			}
			assertEquals(200, relay.get("/v1/health").status());
			for (int i = 0; i < 100 && relay.server().webSocketCount() > 0; i++) {
				Thread.sleep(20);
			}
			assertEquals(0, relay.server().webSocketCount(), "closed sockets are released");
		}
	}
}
