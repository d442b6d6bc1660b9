package org.felund.relay.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Issue 14 #1, performed: a relay with a 256 MiB heap holds a circle of 500 messages of ~60 KB (a full page of
 * 30 MB); two sockets send 40 pipelined {@code GET /v1/messages?limit=500} each and never read. Memory must stay
 * bounded and a normal client must still read the whole circle in good time.
 */
class UnreadPagesAttackTest {
	static final String HINT = "a77ac4c4a77ac4c4";
	static final int MESSAGES = 500;
	static final int PAYLOAD_CHARS = 60_000;

	@TempDir
	Path dir;

	@Test
	void pipelinedPagesThatAreNeverReadDoNotPinMemoryOrStarveOthers() throws Exception {
		try (RelayProcess relay = RelayProcess.start(dir, "--db", dir.resolve("relay.db").toString())) {
			HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
			fill(http, relay.port());
			ProcessStats before = relay.stats();

			AtomicLong peakRss = new AtomicLong(before.rssKib());
			Thread sampler = Thread.ofPlatform().daemon().start(() -> {
				while (!Thread.currentThread().isInterrupted()) {
					try {
						peakRss.accumulateAndGet(relay.stats().rssKib(), Math::max);
						Thread.sleep(100);
					} catch (Exception e) {
						return;
					}
				}
			});
			List<Socket> attackers = new ArrayList<>();
			try {
				for (int s = 0; s < 2; s++) {
					Socket socket = new Socket();
					socket.setReceiveBufferSize(4096);
					socket.connect(new InetSocketAddress("127.0.0.1", relay.port()), 5000);
					OutputStream out = socket.getOutputStream();
					String get = "GET /v1/messages?circle_hint=" + HINT + "&limit=500 HTTP/1.1\r\nHost: relay\r\n\r\n";
					out.write(get.repeat(40).getBytes(StandardCharsets.US_ASCII));
					out.flush();
					attackers.add(socket);
				}
				Thread.sleep(3000);
				// A normal client reads the whole circle, page by page, while the attackers hold their sockets.
				long started = System.nanoTime();
				Set<String> seen = new HashSet<>();
				Exception failure = null;
				try {
					seen = readAll(http, relay.port());
				} catch (Exception e) {
					failure = e;
				}
				long readMillis = (System.nanoTime() - started) / 1_000_000;
				Thread.sleep(1000);
				ProcessStats during = relay.stats();
				System.out.printf("unread pages attack: RSS before %d MiB, peak %d MiB, after %d MiB; threads %d -> %d;"
						+ " normal client read %d messages in %d ms%s%n", before.rssMib(), peakRss.get() / 1024,
						during.rssMib(), before.threads(), during.threads(), seen.size(), readMillis,
						failure == null ? "" : " and then failed: " + failure);
				assertEquals(null, failure, "the normal client could not read the circle");
				assertEquals(MESSAGES, seen.size());
				assertTrue(readMillis < 10_000, "the normal client needed " + readMillis + " ms");
				assertTrue(peakRss.get() - before.rssKib() < 160 * 1024,
						"RSS grew by " + (peakRss.get() - before.rssKib()) / 1024 + " MiB");
			} finally {
				sampler.interrupt();
				for (Socket s : attackers) {
					s.close();
				}
			}
			String log = Files.readString(dir.resolve("relay-process.err"));
			assertFalse(log.contains("OutOfMemoryError"), log);
		}
	}

	static void fill(HttpClient http, int port) throws Exception {
		String filler = "A".repeat(PAYLOAD_CHARS);
		for (int start = 0; start < MESSAGES; start += 15) {
			List<String> elements = new ArrayList<>();
			for (int i = start; i < Math.min(MESSAGES, start + 15); i++) {
				elements.add("{\"msg_id\":\"" + MessagesTest.id(i) + "\",\"created_ts\":" + RelayHarness.START
						+ ",\"enc\":{\"ciphertext\":\"" + filler + "\"}}");
			}
			HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/messages"))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString(MessagesTest.batch(HINT, elements))).build(),
					HttpResponse.BodyHandlers.ofString());
			assertEquals(200, r.statusCode(), r.body());
		}
	}

	static Set<String> readAll(HttpClient http, int port) throws Exception {
		Set<String> seen = new HashSet<>();
		long since = 0;
		for (int page = 0; page < 1000; page++) {
			HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
					+ "/v1/messages?circle_hint=" + HINT + "&limit=500&since=" + since)).timeout(Duration.ofSeconds(30))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertEquals(200, r.statusCode(), r.body());
			JsonNode body = RelayHarness.JSON.readTree(r.body());
			body.get("messages").forEach(m -> seen.add(m.get("msg_id").textValue()));
			since = body.get("server_time").longValue();
			if (!body.path("more").booleanValue()) {
				return seen;
			}
		}
		throw new AssertionError("no end after 1000 pages");
	}
}
