package org.felund.benchmarks.relay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.felund.api.crypto.CircleCrypto;
import org.felund.api.crypto.CircleSecret;
import org.felund.crypto.JcaCryptoService;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Ingest through {@code POST /v1/messages} over keep-alive connections from 16 client threads on the same
 * machine: one message per request (the score is requests = messages per second), 50 per request (the score is
 * messages per second), and one message per request signed like the Python client (HMAC check plus a nonce
 * write per request). Every message is new, so every request inserts.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(16)
public class RelayIngestBenchmark {
	@Param({ "normal" })
	public String sync;

	RelayFixture relay;
	CircleCrypto circle;
	final AtomicInteger clients = new AtomicInteger();

	@Setup(Level.Trial)
	public void start() throws IOException {
		relay = new RelayFixture("full".equals(sync));
		byte[] secret = new byte[32];
		circle = new JcaCryptoService().forCircle(CircleSecret.fromBytes(secret));
		try (RawHttpClient http = new RawHttpClient(relay.port())) {
			String register = "{\"node_id\":\"0123456789abcdef01234567\",\"circle_hint\":\"" + circle.circleHint()
					+ "\",\"ttl_s\":600,\"signing_key\":\"" + circle.apiSigningKeyHex() + "\"}";
			byte[] body = register.getBytes(StandardCharsets.UTF_8);
			int status = http.send("POST", "/v1/register", body, signatureHeaders("POST", "/register", body, "0".repeat(32)));
			if (status != 200) {
				throw new IllegalStateException("register failed: " + status + " " + http.lastBody());
			}
		}
	}

	@TearDown(Level.Trial)
	public void stop() throws IOException {
		relay.close();
	}

	final RelayCpu cpu = new RelayCpu();
	final java.util.concurrent.atomic.LongAdder requests = new java.util.concurrent.atomic.LongAdder();

	@Setup(Level.Iteration)
	public void markCpu() {
		requests.reset();
		cpu.mark();
	}

	@TearDown(Level.Iteration)
	public void reportCpu() {
		long n = requests.sum();
		if (n > 0) {
			System.out.printf("%nrelay CPU per request: %.1f us (%d requests)%n", cpu.elapsedNanos() / 1e3 / n, n);
		}
	}

	String signatureHeaders(String method, String path, byte[] body, String nonce) {
		long ts = System.currentTimeMillis() / 1000;
		return "X-Felund-Node: 0123456789abcdef01234567\r\nX-Felund-Ts: " + ts + "\r\nX-Felund-Nonce: " + nonce
				+ "\r\nX-Felund-Signature: " + circle.signApiRequest(method, path, body, ts, nonce) + "\r\n";
	}

	/** One keep-alive connection per benchmark thread; message ids are unique per thread. */
	@State(Scope.Thread)
	public static class Client {
		RawHttpClient http;
		String prefix;
		long next;

		@Setup(Level.Trial)
		public void connect(RelayIngestBenchmark bench) throws IOException {
			http = new RawHttpClient(bench.relay.port());
			prefix = String.format("%08x", bench.clients.incrementAndGet());
		}

		@TearDown(Level.Trial)
		public void disconnect() throws IOException {
			http.close();
		}

		String nextId() {
			return prefix + String.format("%024x", next++);
		}
	}

	private static byte[] batch(String hint, Client c, int n) {
		StringBuilder sb = new StringBuilder(n * 400).append("{\"circle_hint\":\"").append(hint).append("\",\"messages\":[");
		for (int i = 0; i < n; i++) {
			if (i > 0) {
				sb.append(',');
			}
			sb.append(RelayFixture.envelope(c.nextId()));
		}
		return sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
	}

	private static int expectOk(int status, Client c) {
		if (status != 200) {
			throw new IllegalStateException("relay answered " + status + ": " + c.http.lastBody());
		}
		return status;
	}

	@Benchmark
	public int postOne(Client c) throws IOException {
		requests.increment();
		return expectOk(c.http.send("POST", "/v1/messages", batch(RelayFixture.HINT, c, 1), ""), c);
	}

	@Benchmark
	@OperationsPerInvocation(50)
	public int postBatchOf50(Client c) throws IOException {
		requests.increment();
		return expectOk(c.http.send("POST", "/v1/messages", batch(RelayFixture.HINT, c, 50), ""), c);
	}

	@Benchmark
	public int postOneSigned(Client c) throws IOException {
		requests.increment();
		byte[] body = batch(circle.circleHint(), c, 1);
		String nonce = c.prefix + String.format("%024x", c.next);
		return expectOk(c.http.send("POST", "/v1/messages", body, signatureHeaders("POST", "/messages", body, nonce)), c);
	}
}
