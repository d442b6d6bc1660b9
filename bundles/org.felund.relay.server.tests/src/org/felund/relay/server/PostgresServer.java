package org.felund.relay.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests: Debian's server binaries ({@code /usr/lib/postgresql/<version>/bin}),
 * a new cluster made with {@code initdb} in a temporary directory, started with {@code pg_ctl} on a free
 * loopback port (no Unix socket), and stopped and deleted again. As root the server runs as {@code nobody}
 * (PostgreSQL refuses to run as root).
 *
 * <p>One server serves the whole test JVM ({@link #shared()}); every relay of a test gets its own schema
 * ({@link #newSchemaUrl()}), which is much faster than a database per test.
 */
public final class PostgresServer implements AutoCloseable {
	static final String USER = "felund";
	static final String DATABASE = "relaytest";

	private static PostgresServer shared;
	private static final AtomicInteger SCHEMAS = new AtomicInteger();

	private final Path bin;
	private final Path dir;
	private final Path data;
	private final boolean asNobody;
	private int port;
	private boolean running;

	/** The JVM-wide server, started on first use and stopped when the JVM exits. */
	public static synchronized PostgresServer shared() {
		if (shared == null) {
			try {
				PostgresServer s = new PostgresServer();
				s.start();
				s.createDatabase(DATABASE);
				Runtime.getRuntime().addShutdownHook(new Thread(s::close, "postgres-test-stop"));
				shared = s;
			} catch (IOException e) {
				throw new UncheckedIOException(e);
			}
		}
		return shared;
	}

	public PostgresServer() throws IOException {
		this.bin = findBin();
		this.asNobody = "root".equals(System.getProperty("user.name"));
		// World-traversable, so that the unprivileged server user can reach its data directory.
		this.dir = Files.createTempDirectory("felund-pg-", PosixFilePermissions.asFileAttribute(
				PosixFilePermissions.fromString("rwxr-xr-x")));
		this.data = dir.resolve("data");
		Files.createDirectory(data, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		if (asNobody) {
			UserPrincipal nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
			Files.setOwner(data, nobody);
			Files.setOwner(dir, nobody);
		}
		run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--auth=trust", "-E",
				"UTF8", "--no-locale", "--no-sync"), 120);
	}

	/** The newest {@code /usr/lib/postgresql/<version>/bin} that has {@code initdb} and {@code pg_ctl}. */
	static Path findBin() throws IOException {
		Path root = Path.of("/usr/lib/postgresql");
		if (Files.isDirectory(root)) {
			try (Stream<Path> versions = Files.list(root)) {
				List<Path> bins = versions.map(v -> v.resolve("bin"))
						.filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
						.sorted(Comparator.comparing(PostgresServer::majorVersion).reversed()).toList();
				if (!bins.isEmpty()) {
					return bins.get(0);
				}
			}
		}
		throw new IOException("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin: install Debian's "
				+ "'postgresql' package (releng/bin/ensure-packages test does)");
	}

	private static int majorVersion(Path bin) {
		try {
			return Integer.parseInt(bin.getParent().getFileName().toString().replaceAll("\\..*", ""));
		} catch (NumberFormatException e) {
			return 0;
		}
	}

	/** Starts the server on a free loopback port (a few attempts, in case another process takes the port). */
	public synchronized void start() throws IOException {
		IOException last = null;
		for (int attempt = 0; attempt < 3 && !running; attempt++) {
			int p = port != 0 && attempt == 0 ? port : freePort();
			try {
				run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
						dir.resolve("server.log").toString(), "-w", "-t", "60", "-o",
						"-p " + p + " -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off"
								+ " -c full_page_writes=off -c max_connections=200 -c shared_buffers=32MB",
						"start"), 90);
				port = p;
				running = true;
			} catch (IOException e) {
				last = e;
			}
		}
		if (!running) {
			throw last;
		}
	}

	/** Stops the server (fast shutdown: connections are cut, as when a database host goes away). */
	public synchronized void stop() throws IOException {
		if (running) {
			running = false;
			run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop"), 60);
		}
	}

	public int port() {
		return port;
	}

	/** A URL of the test database in the form the relay's {@code --db} takes. */
	public String url(String database) {
		return "postgresql://" + USER + "@127.0.0.1:" + port + "/" + database;
	}

	public Connection connect(String database) throws SQLException {
		return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, USER, "");
	}

	public void createDatabase(String name) throws IOException {
		try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
			s.execute("CREATE DATABASE " + name);
		} catch (SQLException e) {
			throw new IOException("cannot create database " + name + ": " + e.getMessage(), e);
		}
	}

	/** A new, empty schema in the shared test database, as a relay URL ({@code currentSchema}). */
	public String newSchemaUrl() {
		String schema = "relay_" + SCHEMAS.incrementAndGet();
		try (Connection c = connect(DATABASE); Statement s = c.createStatement()) {
			s.execute("CREATE SCHEMA " + schema);
		} catch (SQLException e) {
			throw new IllegalStateException("cannot create schema " + schema + ": " + e.getMessage(), e);
		}
		return url(DATABASE) + "?currentSchema=" + schema;
	}

	/**
	 * The key file of a relay database ({@code --key-file}): every instance on one schema must share it, as in a
	 * production cluster. Kept in the server's directory, so it goes with it.
	 */
	public Path keyFileFor(String schemaUrl) {
		String schema = schemaUrl.substring(schemaUrl.indexOf("currentSchema=") + "currentSchema=".length());
		return dir.resolve("relay-keys").resolve(schema + ".key");
	}

	@Override
	public synchronized void close() {
		try {
			stop();
		} catch (IOException e) {
			// deleting the directory below is all that is left to do
		}
		try (Stream<Path> files = Files.walk(dir)) {
			for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(p);
			}
		} catch (IOException e) {
			// a leftover temp directory is harmless
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return s.getLocalPort();
		}
	}

	private void run(List<String> command, int timeoutSeconds) throws IOException {
		List<String> cmd = new ArrayList<>();
		if (asNobody) {
			cmd.addAll(List.of("runuser", "-u", "nobody", "--"));
		}
		cmd.addAll(command);
		Path out = Files.createTempFile("felund-pg-cmd", ".log");
		try {
			Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
					.redirectOutput(out.toFile()).start();
			if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
				p.destroyForcibly();
				throw new IOException(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
			}
			if (p.exitValue() != 0) {
				String log = Files.readString(out);
				Path serverLog = dir.resolve("server.log");
				if (Files.isReadable(serverLog)) {
					log += "\n--- server.log ---\n" + Files.readString(serverLog);
				}
				throw new IOException(String.join(" ", command) + " failed (exit " + p.exitValue() + "):\n" + log);
			}
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted", e);
		} finally {
			Files.deleteIfExists(out);
		}
	}
}
