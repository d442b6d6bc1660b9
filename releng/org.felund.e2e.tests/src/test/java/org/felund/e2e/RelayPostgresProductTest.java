package org.felund.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay product on PostgreSQL, as an operator runs it: two {@code ./felund-relay --db postgresql://…}
 * processes on one database (pgJDBC resolved inside OSGi), a post on one pushed to a WebSocket subscriber of
 * the other, health naming the database, and the {@code --site} directory served next to the API.
 */
class RelayPostgresProductTest {
	private static final Pattern LISTENING = Pattern.compile("felund-relay listening on 127\\.0\\.0\\.1:(\\d+)");
	private static final String HINT = "e03c84dccc271635";

	@TempDir
	Path tmp;

	@Test
	void twoRelayProcessesShareOnePostgresDatabase() throws Exception {
		Path site = Files.createDirectories(tmp.resolve("site"));
		Files.writeString(site.resolve("p2.index"), "version=1\n");
		try (Cluster pg = new Cluster(Files.createTempDirectory("felund-e2e-pg",
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x"))))) {
			String url = "postgresql://felund@127.0.0.1:" + pg.port + "/postgres";
			List<Process> relays = new ArrayList<>();
			try {
				Path logA = tmp.resolve("a.log");
				Path logB = tmp.resolve("b.log");
				// Instances of one database share the key file that seals its circle keys, as in production.
				String keyFile = tmp.resolve("relay.key").toString();
				relays.add(Products.start(tmp.resolve("home-a"), logA, "felund-relay", "--port", "0", "--db", url,
						"--key-file", keyFile, "--site", site.toString()));
				relays.add(Products.start(tmp.resolve("home-b"), logB, "felund-relay", "--port", "0", "--db", url,
						"--key-file", keyFile));
				int a = listeningPort(logA, relays.get(0));
				int b = listeningPort(logB, relays.get(1));
				assertTrue(Files.readString(logA).contains("postgresql://felund@127.0.0.1:" + pg.port + "/postgres"));

				HttpClient http = HttpClient.newHttpClient();
				String health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a + "/v1/health")).build(),
						HttpResponse.BodyHandlers.ofString()).body();
				assertTrue(health.contains("\"backend\":\"postgresql\"") && health.contains("\"status\":\"up\""), health);

				LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
				WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + b
						+ "/v1/relay/ws?circle_hint=" + HINT + "&node_id=e2e-subscriber"), new WebSocket.Listener() {
							@Override
							public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
								frames.add(data.toString());
								w.request(1);
								return null;
							}
						}).get(10, TimeUnit.SECONDS);
				Thread.sleep(300);
				String body = "{\"circle_hint\":\"" + HINT + "\",\"messages\":[{\"msg_id\":\"e2e-pg-0000000001\","
						+ "\"created_ts\":1767225600,\"text\":\"hello from A\"}]}";
				HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a
						+ "/v1/messages")).header("Content-Type", "application/json")
						.POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
				assertEquals(200, post.statusCode(), post.body());
				String frame = frames.poll(10, TimeUnit.SECONDS);
				assertTrue(frame != null && frame.contains("e2e-pg-0000000001"), "pushed by the other process: " + frame);
				ws.abort();
				String polled = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + b
						+ "/v1/messages?circle_hint=" + HINT)).build(), HttpResponse.BodyHandlers.ofString()).body();
				assertTrue(polled.contains("hello from A"), polled);

				HttpResponse<String> index = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a
						+ "/site/p2.index")).build(), HttpResponse.BodyHandlers.ofString());
				assertEquals(200, index.statusCode());
				assertEquals("version=1\n", index.body());
			} finally {
				for (Process p : relays) {
					p.destroy(); // SIGTERM: the relay stops cleanly
				}
				for (Process p : relays) {
					if (!p.waitFor(30, TimeUnit.SECONDS)) {
						p.destroyForcibly();
					}
				}
			}
			for (Path log : List.of(tmp.resolve("a.log"), tmp.resolve("b.log"))) {
				assertTrue(Files.readString(log).contains("felund-relay stopped"), "stopped cleanly on SIGTERM: " + log);
			}
		}
	}

	private static int listeningPort(Path log, Process p) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
		while (System.nanoTime() < deadline) {
			String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
			Matcher m = LISTENING.matcher(text);
			if (m.find()) {
				return Integer.parseInt(m.group(1));
			}
			if (!p.isAlive()) {
				throw new AssertionError("relay exited with " + p.exitValue() + ":\n" + text);
			}
			Thread.sleep(100);
		}
		throw new AssertionError("relay did not start:\n" + Files.readString(log));
	}

	/** A throwaway PostgreSQL cluster (Debian's server binaries), run as nobody when the test runs as root. */
	private static final class Cluster implements AutoCloseable {
		final Path dir;
		final Path bin;
		final boolean asNobody = "root".equals(System.getProperty("user.name"));
		final int port;

		Cluster(Path dir) throws Exception {
			this.dir = dir;
			try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
				this.bin = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
						.max(Comparator.comparing(Path::toString)).orElseThrow(
								() -> new IOException("install Debian's postgresql (releng/bin/ensure-packages test)"));
			}
			Path data = Files.createDirectory(dir.resolve("data"),
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
			if (asNobody) {
				var nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
				Files.setOwner(dir, nobody);
				Files.setOwner(data, nobody);
			}
			try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
				port = s.getLocalPort();
			}
			run(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "felund", "--auth=trust", "-E", "UTF8",
					"--no-locale", "--no-sync");
			run(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log").toString(), "-w",
					"-o", "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off",
					"start");
		}

		private void run(String... command) throws Exception {
			List<String> cmd = new ArrayList<>();
			if (asNobody) {
				cmd.addAll(List.of("runuser", "-u", "nobody", "--"));
			}
			cmd.addAll(List.of(command));
			// Output to a file, not a pipe: the server that pg_ctl leaves running must not hold our pipe open.
			Path out = Files.createTempFile("felund-e2e-pg", ".log");
			try {
				Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
						.redirectOutput(out.toFile()).start();
				if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
					p.destroyForcibly();
					throw new IOException(String.join(" ", command) + " failed:\n" + Files.readString(out));
				}
			} finally {
				Files.deleteIfExists(out);
			}
		}

		@Override
		public void close() throws Exception {
			try {
				run(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop");
			} finally {
				try (Stream<Path> files = Files.walk(dir)) {
					for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
						Files.deleteIfExists(f);
					}
				}
			}
		}
	}
}
