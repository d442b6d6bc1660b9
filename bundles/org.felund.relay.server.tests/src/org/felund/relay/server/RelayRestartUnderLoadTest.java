package org.felund.relay.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.felund.api.crypto.CircleCrypto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Fault campaign: the relay process is killed with SIGKILL while clients post and poll, and started again on the
 * same port and database a second later. The clients behave as the reference clients do (the web client keeps
 * what it could not push and pushes it again, polls with {@code server_time − 1}; a signing node polls with
 * {@code server_time}; a WebSocket subscriber reconnects): afterwards every client has every message that was
 * ever acknowledged, and every message a client wrote was acknowledged in the end. Both backends.
 */
class RelayRestartUnderLoadTest {
	static final int MESSAGES_PER_CLIENT = 60;

	@TempDir
	Path dir;

	@Test
	void killedAndRestartedUnderLoadWithSqliteNothingIsLost() throws Exception {
		run("--db", dir.resolve("relay.db").toString());
	}

	@Test
	void killedAndRestartedUnderLoadWithPostgresNothingIsLost() throws Exception {
		run("--db", PostgresServer.shared().newSchemaUrl());
	}

	/** One client's loop: write, push what is pending, poll. */
	final class Client implements Runnable {
		final String name;
		final boolean signs;
		final Deque<String> pending = new ArrayDeque<>();
		final Set<String> seen = ConcurrentHashMap.newKeySet();
		int written;
		long cursor;
		final AtomicInteger failures = new AtomicInteger();

		Client(String name, boolean signs) {
			this.name = name;
			this.signs = signs;
		}

		@Override
		public void run() {
			while (!done.get()) {
				if (written < MESSAGES_PER_CLIENT) {
					pending.add(String.format("%-16s%016x", name, written++).replace(' ', '0'));
				}
				try {
					push();
					poll();
				} catch (Exception relayDown) {
					failures.incrementAndGet();
				}
				sleep(40);
			}
		}

		private void push() throws Exception {
			if (pending.isEmpty()) {
				return;
			}
			List<String> batch = new ArrayList<>(pending).subList(0, Math.min(10, pending.size()));
			List<String> elements = new ArrayList<>();
			for (String id : batch) {
				elements.add(MessagesTest.envelope(id, System.currentTimeMillis() / 1000));
			}
			String body = MessagesTest.batch(circle.circleHint(), elements);
			HttpResponse<String> r = send("POST", "/v1/messages", body, signs);
			if (r.statusCode() == 200) {
				for (String id : batch) {
					pending.remove(id);
					acked.add(id);
				}
			}
		}

		private void poll() throws Exception {
			for (int page = 0; page < 20; page++) {
				HttpResponse<String> r = send("GET", "/v1/messages?circle_hint=" + circle.circleHint() + "&since=" + cursor
						+ "&limit=50", null, signs);
				if (r.statusCode() != 200) {
					return;
				}
				JsonNode body = RelayHarness.JSON.readTree(r.body());
				body.get("messages").forEach(m -> seen.add(m.get("msg_id").textValue()));
				long next = body.get("server_time").longValue();
				// The web client steps back one (it re-reads the last row); a signing node continues after it.
				cursor = signs ? Math.max(cursor, next) : Math.max(cursor, next - 1);
				if (!body.get("more").booleanValue()) {
					return;
				}
			}
		}

		boolean finished() {
			return written == MESSAGES_PER_CLIENT && pending.isEmpty();
		}
	}

	private final AtomicBoolean done = new AtomicBoolean();
	private final Set<String> acked = ConcurrentHashMap.newKeySet();
	private final CircleCrypto circle = RelayHarness.CRYPTO.forCircle(RelayHarness.secret(42));
	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
	private volatile int port;

	private HttpResponse<String> send(String method, String pathAndQuery, String body, boolean signed) throws Exception {
		return send(method, pathAndQuery, body, signed, Duration.ofSeconds(3));
	}

	private HttpResponse<String> send(String method, String pathAndQuery, String body, boolean signed,
			Duration timeout) throws Exception {
		HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
				.timeout(timeout);
		byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
		b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bytes));
		if (body != null) {
			b.header("Content-Type", "application/json");
		}
		if (signed) {
			long ts = System.currentTimeMillis() / 1000;
			byte[] n = new byte[16];
			java.util.concurrent.ThreadLocalRandom.current().nextBytes(n);
			String nonce = HexFormat.of().formatHex(n);
			String path = pathAndQuery.replaceFirst("\\?.*$", "").substring(3);
			b.header("X-Felund-Node", "signing-node-0001").header("X-Felund-Ts", Long.toString(ts))
					.header("X-Felund-Nonce", nonce)
					.header("X-Felund-Signature", circle.signApiRequest(method, path, bytes, ts, nonce));
		}
		return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
	}

	private void run(String... db) throws Exception {
		RelayProcess relay = RelayProcess.start(dir, db);
		port = relay.port();
		String register = "{\"node_id\":\"signing-node-0001\",\"circle_hint\":\"" + circle.circleHint()
				+ "\",\"endpoints\":[],\"signing_key\":\"" + circle.apiSigningKeyHex() + "\"}";
		try {
			// The first request meets a cold JVM, which on a busy machine takes longer than the clients' 3 s rounds.
			assertEquals(200, send("POST", "/v1/register", register, true, Duration.ofSeconds(30)).statusCode());
		} catch (Exception | AssertionError e) {
			relay.close(); // no relay process outlives a failed test
			throw e;
		}

		List<Client> clients = List.of(new Client("web1", false), new Client("web2", false), new Client("node", true));
		Set<String> pushed = ConcurrentHashMap.newKeySet();
		Thread reconnecting = Thread.ofPlatform().daemon().start(() -> {
			while (!done.get()) {
				try {
					Subscriber live = new Subscriber(circle.circleHint(), "socket-node-0001").connect(port);
					while (!done.get() && !live.lost.isDone()) {
						pushed.addAll(live.received);
						sleep(20);
					}
					pushed.addAll(live.received);
					live.close();
				} catch (Exception relayDown) {
					sleep(200);
				}
			}
		});
		List<Thread> threads = new ArrayList<>();
		for (Client c : clients) {
			threads.add(Thread.ofPlatform().name("client-" + c.name).start(c));
		}
		try {
			long deadline = System.nanoTime() + 30_000_000_000L;
			while (acked.size() < 60 && System.nanoTime() < deadline) {
				sleep(10);
			}
			relay.kill();
			int ackedAtKill = acked.size();
			sleep(1000);
			relay = RelayProcess.start(dir, concat(db, "--port", Integer.toString(port)));
			deadline = System.nanoTime() + 60_000_000_000L;
			while (!clients.stream().allMatch(Client::finished) && System.nanoTime() < deadline) {
				sleep(50);
			}
			assertTrue(clients.stream().allMatch(Client::finished), "every client's messages were acknowledged");
			Set<String> all = new HashSet<>(acked);
			assertEquals(3 * MESSAGES_PER_CLIENT, all.size());
			while (System.nanoTime() < deadline
					&& !(clients.stream().allMatch(c -> c.seen.containsAll(all)) && pushed.containsAll(all))) {
				sleep(50);
			}
			done.set(true);
			for (Thread t : threads) {
				t.join(10_000);
			}
			reconnecting.join(10_000);
			for (Client c : clients) {
				Set<String> missing = new HashSet<>(all);
				missing.removeAll(c.seen);
				assertEquals(Set.of(), missing, c.name + " polled everything");
				assertTrue(c.failures.get() > 0, c.name + " saw the relay go away");
			}
			Set<String> missing = new HashSet<>(all);
			missing.removeAll(pushed);
			assertEquals(Set.of(), missing, "the WebSocket subscriber, reconnected, got everything (catch-up + pushes)");
			System.out.printf("restart under load (%s): %d acknowledged before the kill, %d in all; failed client rounds %s%n",
					db[1].startsWith("postgresql") ? "PostgreSQL" : "SQLite", ackedAtKill, all.size(),
					clients.stream().map(c -> c.name + "=" + c.failures.get()).toList());
		} finally {
			done.set(true);
			relay.close();
		}
	}

	private static String[] concat(String[] a, String... b) {
		List<String> all = new ArrayList<>(List.of(a));
		all.addAll(List.of(b));
		return all.toArray(String[]::new);
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}
}
