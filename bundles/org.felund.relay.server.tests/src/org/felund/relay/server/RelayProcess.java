package org.felund.relay.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.felund.crypto.JcaCryptoService;
import org.felund.relay.server.internal.RelayCommandLine;

/**
 * A relay in a process of its own (this class's {@link #main}, on a class path made of the test's bundles), so that
 * a test can kill it with SIGKILL as a crashing machine would: no shutdown hook, no final commit, no close frames.
 */
final class RelayProcess implements AutoCloseable {
	private final Process process;
	private final int port;

	private RelayProcess(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	/** Starts {@code felund-relay} with the given command-line options (a free port is added). */
	static RelayProcess start(Path dir, String... options) throws IOException {
		List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx256m", "-cp", BundleClassPath.of(RelayProcess.class), RelayProcess.class.getName(), "--bind",
				"127.0.0.1", "--port", "0", "--workers", "4"));
		cmd.addAll(List.of(options));
		for (int i = 0; i + 1 < options.length; i++) {
			if (options[i].equals("--db") && options[i + 1].startsWith("postgresql:") && !List.of(options).contains("--key-file")) {
				// Instances of one database share its key file, as in production.
				cmd.addAll(List.of("--key-file", PostgresServer.shared().keyFileFor(options[i + 1]).toString()));
			}
		}
		Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("relay-process.err").toFile()).start();
		BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
		CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
			try {
				return out.readLine();
			} catch (IOException e) {
				return null;
			}
		});
		String first;
		try {
			first = line.get(30, TimeUnit.SECONDS);
		} catch (Exception e) {
			p.destroyForcibly();
			throw new IOException("relay process did not start within 30 s", e);
		}
		if (first == null || !first.startsWith("PORT ")) {
			p.destroyForcibly();
			throw new IOException("relay process failed to start: " + first + " (see " + dir.resolve("relay-process.err")
					+ ")");
		}
		return new RelayProcess(p, Integer.parseInt(first.substring(5).trim()));
	}

	int port() {
		return port;
	}

	long pid() {
		return process.pid();
	}

	ProcessStats stats() throws IOException {
		return ProcessStats.of(process.pid());
	}

	/** SIGKILL, and wait until the process is gone. */
	void kill() throws InterruptedException {
		process.destroyForcibly();
		process.waitFor(30, TimeUnit.SECONDS);
	}

	@Override
	public void close() throws InterruptedException {
		kill();
	}

	public static void main(String[] args) throws Exception {
		RelayCommandLine.Parsed parsed = RelayCommandLine.parse(args);
		RelayServer server = new RelayServer(parsed.config(), new JcaCryptoService());
		server.start();
		System.out.println("PORT " + server.port());
		System.out.flush();
		Thread.sleep(Long.MAX_VALUE);
	}
}
