package org.felund.benchmarks.relay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.felund.crypto.JcaCryptoService;
import org.felund.relay.server.RelayConfig;
import org.felund.relay.server.RelayServer;
import org.felund.relay.server.SignaturePolicy;

/**
 * A relay server on 127.0.0.1 as the benchmarks measure it: with SQLite, a fresh database under java.io.tmpdir;
 * with PostgreSQL, the database that {@code FELUND_BENCH_PG_URL} names (with-postgres.sh starts one), in a
 * schema of its own.
 */
final class RelayFixture implements AutoCloseable {
	static final String HINT = "e03c84dccc271635";

	final RelayServer server;
	private final Path dir;

	RelayFixture(boolean durableCommits) throws IOException {
		this("sqlite", durableCommits);
	}

	/** @param backend {@code sqlite} or {@code postgresql} */
	RelayFixture(String backend, boolean durableCommits) throws IOException {
		dir = Files.createTempDirectory("felund-relay-bench");
		// One circle takes every post here: its quota (200,000 messages by default) is not what is measured.
		RelayConfig.Builder config = RelayConfig.builder().bindHost("127.0.0.1").port(0)
				.database(dir.resolve("relay.db")).keyFile(dir.resolve("relay.key")).signatures(SignaturePolicy.COMPAT)
				.durableCommits(durableCommits).limits(l -> l.withCircleQuota(Long.MAX_VALUE / 4, Long.MAX_VALUE / 4));
		if (backend.equals("postgresql")) {
			config.postgresUrl(freshSchema());
		}
		server = new RelayServer(config.build(), new JcaCryptoService());
		server.start();
	}

	/** A new schema in the benchmark database, so that every trial starts empty. */
	private static String freshSchema() throws IOException {
		String url = System.getenv("FELUND_BENCH_PG_URL");
		if (url == null || url.isBlank()) {
			throw new IOException("the postgresql backend needs FELUND_BENCH_PG_URL (run under with-postgres.sh)");
		}
		String schema = "bench_" + System.nanoTime();
		String jdbc = "jdbc:" + url.replaceFirst("^postgres(ql)?://([^@/]*@)?", "postgresql://");
		java.util.Properties props = new java.util.Properties();
		props.setProperty("user", url.replaceFirst("^postgres(ql)?://([^:@/]*).*$", "$2"));
		try (java.sql.Connection c = new org.postgresql.Driver().connect(jdbc, props);
				java.sql.Statement s = c.createStatement()) {
			s.execute("CREATE SCHEMA " + schema);
		} catch (java.sql.SQLException e) {
			throw new IOException("cannot create a schema in " + url + ": " + e.getMessage(), e);
		}
		return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
	}

	int port() {
		return server.port();
	}

	/** A relay envelope of the size the web client sends for a short chat line. */
	static String envelope(String msgId) {
		return "{\"msg_id\":\"" + msgId + "\",\"circle_id\":\"630dcd2966c4336691125448\",\"channel_id\":\"general\","
				+ "\"author_node_id\":\"0123456789abcdef01234567\",\"created_ts\":1767225600,\"enc\":{\"alg\":\"AES-256-GCM\","
				+ "\"key_id\":\"epoch-0\",\"nonce\":\"AAECAwQFBgcICQoL\",\"ciphertext\":\"P+qAgq7+/8wc0tBDIRdixIF9acii+xplJavx"
				+ "ON37gZgiV68RQgL/MgdkbUPMQX9vgxtUQvDjTA==\"}}";
	}

	@Override
	public void close() throws IOException {
		server.stop();
		try (Stream<Path> files = Files.walk(dir)) {
			for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(p);
			}
		}
	}
}
