package org.felund.relay.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.felund.relay.server.RelayHarness.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A relay process killed with SIGKILL in the middle of ingest: every message it acknowledged is there
 * afterwards, with SQLite and with PostgreSQL; and with two PostgreSQL instances, the subscribers of the killed
 * one move to the other and miss nothing.
 */
class RelayKillTest {
	static final String HINT = WebSocketTest.HINT;

	@TempDir
	Path dir;

	@Test
	void everyAcknowledgedMessageSurvivesKill9WithSqlite() throws Exception {
		Path db = dir.resolve("relay.db");
		Set<String> acked = ingestAndKill("--db", db.toString());
		try (RelayHarness after = new RelayHarness(Backend.SQLITE, dir, null, b -> b.database(db))) {
			assertAllStored(after, acked);
		}
	}

	@Test
	void everyAcknowledgedMessageSurvivesKill9WithPostgres() throws Exception {
		String url = PostgresServer.shared().newSchemaUrl();
		Set<String> acked = ingestAndKill("--db", url);
		try (RelayHarness after = new RelayHarness(Backend.POSTGRES, dir, url, b -> b)) {
			assertAllStored(after, acked);
		}
	}

	/** Four posters, one message per request; the relay is killed once 400 posts were acknowledged. */
	private Set<String> ingestAndKill(String... options) throws Exception {
		Set<String> acked = ConcurrentHashMap.newKeySet();
		AtomicInteger failedAfterKill = new AtomicInteger();
		try (RelayProcess relay = RelayProcess.start(dir, options)) {
			HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
			AtomicBoolean killed = new AtomicBoolean();
			CountDownLatch enough = new CountDownLatch(400);
			List<Thread> posters = new ArrayList<>();
			for (int t = 0; t < 4; t++) {
				int poster = t;
				posters.add(Thread.ofPlatform().start(() -> {
					for (int i = 0; i < 5000 && failedAfterKill.get() < 50; i++) {
						String id = String.format("%08x%024x", poster, i);
						try {
							HttpResponse<String> r = http.send(postOne(relay.port(), id),
									HttpResponse.BodyHandlers.ofString());
							if (r.statusCode() == 200 && r.body().contains("\"stored\":1")) {
								acked.add(id);
								enough.countDown();
							}
						} catch (IOException e) {
							if (killed.get()) {
								failedAfterKill.incrementAndGet();
							}
						} catch (InterruptedException e) {
							return;
						}
					}
				}));
			}
			assertTrue(enough.await(60, TimeUnit.SECONDS), "400 posts were not acknowledged within 60 s");
			killed.set(true);
			relay.kill();
			for (Thread t : posters) {
				t.join(TimeUnit.SECONDS.toMillis(30));
			}
		}
		assertTrue(acked.size() >= 400);
		return acked;
	}

	static HttpRequest postOne(int port, String id) {
		String body = MessagesTest.batch(HINT, List.of(MessagesTest.envelope(id, RelayHarness.START)));
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/messages"))
				.timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body)).build();
	}

	/** Pages through the circle with the cursor and checks that every acknowledged id is there. */
	static void assertAllStored(RelayHarness relay, Set<String> acked) {
		Set<String> stored = new HashSet<>();
		long since = 0;
		while (true) {
			JsonNode page = RelayHarness.expect(200,
					relay.get("/v1/messages?circle_hint=" + HINT + "&limit=500&since=" + since));
			page.get("messages").forEach(m -> stored.add(m.get("msg_id").textValue()));
			since = page.get("server_time").longValue();
			if (!page.get("more").booleanValue()) {
				break;
			}
		}
		Set<String> lost = new HashSet<>(acked);
		lost.removeAll(stored);
		assertEquals(Set.of(), lost, "acknowledged but lost (" + acked.size() + " acknowledged)");
	}

	@Test
	void subscribersOfAKilledInstanceMoveToTheOtherAndMissNothing() throws Exception {
		String url = PostgresServer.shared().newSchemaUrl();
		try (RelayProcess a = RelayProcess.start(dir, "--db", url);
				RelayHarness b = new RelayHarness(Backend.POSTGRES, dir.resolve("b"), url,
						x -> x.wsCatchUpWindow(Duration.ofDays(400)))) {
			// The web client's loop: a socket on one instance, and on losing it, a socket on the other.
			Subscriber first = new Subscriber(HINT, "moving-subscriber").connect(a.port());
			Subscriber second = new Subscriber(HINT, "moving-subscriber");
			Set<String> posted = new HashSet<>();
			Thread.sleep(200);
			for (int i = 0; i < 30; i++) {
				String id = MessagesTest.id(5000 + i);
				RelayHarness.expect(200, PostgresClusterTest.postOne(b, id, "poster-node-0001"));
				posted.add(id);
				if (i == 10) {
					assertTrue(first.awaitAll(posted, 5000), "delivered through A before the kill");
					a.kill();
					first.lost.get(10, TimeUnit.SECONDS);
				}
				if (i == 20) {
					second.connect(b.server().port());
				}
			}
			Set<String> both = new HashSet<>(first.received);
			assertTrue(second.awaitAll(diff(posted, both), 5000), "the new socket's catch-up and pushes fill the gap");
			both.addAll(second.received);
			assertEquals(posted, both);
			first.close();
			second.close();
		}
	}

	static Set<String> diff(Set<String> a, Set<String> b) {
		Set<String> d = new HashSet<>(a);
		d.removeAll(b);
		return d;
	}
}
