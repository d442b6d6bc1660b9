package org.felund.benchmarks.relay;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * WebSocket fan-out: {@code subscribers} sockets on one circle; one operation posts a message and waits until
 * the <em>last</em> subscriber has received it. The sampled time is therefore the worst delivery of each
 * message (post → every subscriber), and JMH reports its p50 / p99 over all posts.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RelayFanoutBenchmark {
	@Param({ "1000" })
	public int subscribers;

	RelayFixture relay;
	ExecutorService listenerThreads;
	HttpClient client;
	final List<WebSocket> sockets = new ArrayList<>();
	RawHttpClient poster;
	volatile String expected = "";
	volatile CountDownLatch delivered = new CountDownLatch(0);
	long next;

	final class Subscriber implements WebSocket.Listener {
		private final StringBuilder partial = new StringBuilder();

		@Override
		public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
			partial.append(data);
			if (last) {
				if (partial.indexOf(expected) >= 0) {
					delivered.countDown();
				}
				partial.setLength(0);
			}
			ws.request(1);
			return null;
		}
	}

	@Setup(Level.Trial)
	public void start() throws Exception {
		relay = new RelayFixture(false);
		listenerThreads = Executors.newFixedThreadPool(2);
		client = HttpClient.newBuilder().executor(listenerThreads).build();
		URI uri = URI.create("ws://127.0.0.1:" + relay.port() + "/v1/relay/ws?circle_hint=" + RelayFixture.HINT
				+ "&node_id=");
		List<CompletableFuture<WebSocket>> pending = new ArrayList<>();
		for (int i = 0; i < subscribers; i++) {
			pending.add(client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30))
					.buildAsync(URI.create(uri + "subscriber-" + i), new Subscriber()));
			if (pending.size() == 100) {
				pending.forEach(f -> sockets.add(f.join()));
				pending.clear();
			}
		}
		pending.forEach(f -> sockets.add(f.join()));
		poster = new RawHttpClient(relay.port());
	}

	@TearDown(Level.Trial)
	public void stop() throws IOException {
		poster.close();
		for (WebSocket ws : sockets) {
			ws.abort();
		}
		relay.close();
		listenerThreads.shutdownNow();
	}

	@Benchmark
	public void postAndAwaitEverySubscriber() throws Exception {
		String id = String.format("fan%029x", next++);
		CountDownLatch latch = new CountDownLatch(subscribers);
		expected = id;
		delivered = latch;
		byte[] body = ("{\"circle_hint\":\"" + RelayFixture.HINT + "\",\"messages\":[" + RelayFixture.envelope(id) + "]}")
				.getBytes(StandardCharsets.UTF_8);
		int status = poster.send("POST", "/v1/messages", body, "");
		if (status != 200) {
			throw new IllegalStateException("relay answered " + status + ": " + poster.lastBody());
		}
		if (!latch.await(30, TimeUnit.SECONDS)) {
			throw new IllegalStateException(latch.getCount() + " of " + subscribers + " subscribers got nothing in 30 s");
		}
	}
}
