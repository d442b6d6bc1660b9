package org.felund.relay.server;

import static org.felund.relay.server.RelayHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.felund.relay.server.RelayHarness.Member;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

/** The background task physically deletes what has expired, and nothing that is still valid. */
class PruneTest {
	@TempDir
	Path dir;
	RelayHarness relay;

	@BeforeEach
	void start() throws Exception {
		relay = new RelayHarness(dir, b -> b.pruneInterval(Duration.ofMillis(50)).keyRetention(Duration.ofDays(40)));
	}

	@AfterEach
	void stop() {
		relay.close();
	}

	private Map<String, Long> rows() throws SQLException {
		SQLiteConfig config = new SQLiteConfig();
		config.setReadOnly(true);
		Map<String, Long> counts = new TreeMap<>();
		try (Connection c = config.createConnection("jdbc:sqlite:" + relay.database); Statement s = c.createStatement()) {
			for (String table : List.of("messages", "presence", "signals", "nonces", "circle_keys")) {
				try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
					counts.put(table, rs.getLong(1));
				}
			}
		}
		return counts;
	}

	private Map<String, Long> awaitRows(Map<String, Long> expected) throws Exception {
		Map<String, Long> now = rows();
		for (int i = 0; i < 100 && !now.equals(expected); i++) {
			Thread.sleep(50);
			now = rows();
		}
		return now;
	}

	@Test
	void expiredRowsAreDeletedByTheBackgroundTask() throws Exception {
		Member m = relay.member(RelayHarness.secret(1), "0123456789abcdef01234567");
		expect(200, m.register());
		expect(200, relay.post("/v1/messages", MessagesTest.batch(m.hint(),
				List.of(MessagesTest.envelope(MessagesTest.id(1), 1), MessagesTest.envelope(MessagesTest.id(2), 1)))));
		expect(200, m.signed("POST", "/v1/signal", SignalsTest.signal(SignalsTest.A, SignalsTest.B, "candidate", "", m.hint())));
		assertEquals(Map.of("circle_keys", 1L, "messages", 2L, "nonces", 2L, "presence", 1L, "signals", 1L), rows());

		// After 5 minutes and a bit: the nonce (older than the clock skew), presence (120 s) and signal (60 s) go.
		relay.clock.advance(Duration.ofSeconds(301));
		assertEquals(Map.of("circle_keys", 1L, "messages", 2L, "nonces", 0L, "presence", 0L, "signals", 0L),
				awaitRows(Map.of("circle_keys", 1L, "messages", 2L, "nonces", 0L, "presence", 0L, "signals", 0L)));

		// After 30 days the messages go; the key, used last 30 days ago, stays for its 40-day retention.
		relay.clock.advance(Duration.ofDays(30));
		assertEquals(Map.of("circle_keys", 1L, "messages", 0L, "nonces", 0L, "presence", 0L, "signals", 0L),
				awaitRows(Map.of("circle_keys", 1L, "messages", 0L, "nonces", 0L, "presence", 0L, "signals", 0L)));
		relay.clock.advance(Duration.ofDays(10));
		assertEquals(Map.of("circle_keys", 0L, "messages", 0L, "nonces", 0L, "presence", 0L, "signals", 0L),
				awaitRows(Map.of("circle_keys", 0L, "messages", 0L, "nonces", 0L, "presence", 0L, "signals", 0L)));
	}
}
