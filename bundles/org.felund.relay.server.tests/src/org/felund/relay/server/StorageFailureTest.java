package org.felund.relay.server;

import static org.felund.relay.server.RelayHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

import org.felund.relay.server.RelayHarness.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

/** A storage failure is answered with 503 (and CORS); the relay keeps serving everything else. */
class StorageFailureTest {
	@TempDir
	Path dir;
	RelayHarness relay;

	@BeforeEach
	void start() throws Exception {
		relay = new RelayHarness(dir);
	}

	@AfterEach
	void stop() {
		relay.close();
	}

	@Test
	void aBrokenTableGives503AndOtherRoutesStillWork() throws Exception {
		relay.present(SignalsTest.HINT, SignalsTest.A, SignalsTest.B);
		expect(200, relay.post("/v1/signal", SignalsTest.signal(SignalsTest.A, SignalsTest.B, "offer", "")));
		// Somebody breaks the database underneath the running relay.
		try (Connection c = new SQLiteConfig().createConnection("jdbc:sqlite:" + relay.database);
				Statement s = c.createStatement()) {
			s.executeUpdate("DROP TABLE signals");
		}
		Reply read = relay.get("/v1/signal?to_node_id=" + SignalsTest.B);
		assertEquals("storage unavailable, try again later", expect(503, read).get("detail").textValue());
		assertFalse(read.json().get("ok").booleanValue());
		HttpBasicsTest.assertCors(read);
		expect(503, relay.post("/v1/signal", SignalsTest.signal(SignalsTest.A, SignalsTest.B, "offer", "")));
		// Writes elsewhere still commit: the failed write was rolled back alone.
		expect(200, relay.post("/v1/messages", MessagesTest.batch(MessagesTest.HINT,
				java.util.List.of(MessagesTest.envelope(MessagesTest.id(1), 1)))));
		assertEquals(1, expect(200, relay.get("/v1/messages?circle_hint=" + MessagesTest.HINT)).get("messages").size());
	}
}
