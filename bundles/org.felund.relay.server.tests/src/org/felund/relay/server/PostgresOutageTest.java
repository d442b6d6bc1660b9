package org.felund.relay.server;

import static org.felund.relay.server.RelayHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.felund.relay.server.RelayHarness.Backend;
import org.felund.relay.server.RelayHarness.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The database goes away under a running relay and comes back: meanwhile the routes that need it answer 503
 * (health says why), the rest keeps working, and afterwards everything recovers without a restart, live
 * delivery included.
 */
class PostgresOutageTest {
	static final String HINT = WebSocketTest.HINT;

	@TempDir
	Path dir;

	@Test
	void anUnreachableDatabaseGives503AndTheRelayRecoversByItself() throws Exception {
		try (PostgresServer server = new PostgresServer()) {
			server.start();
			server.createDatabase("outage");
			try (RelayHarness relay = new RelayHarness(Backend.POSTGRES, dir, server.url("outage"), b -> b)) {
				Subscriber subscriber = new Subscriber(HINT, "subscriber-node-1").connect(relay.server().port());
				Thread.sleep(200);
				expect(200, PostgresClusterTest.postOne(relay, MessagesTest.id(1), "poster"));
				assertTrue(subscriber.awaitAll(Set.of(MessagesTest.id(1)), 5000));
				JsonNode health = expect(200, relay.get("/v1/health"));
				assertEquals("postgresql", health.get("database").get("backend").textValue());
				assertEquals("up", health.get("database").get("status").textValue());

				server.stop();
				Reply post = PostgresClusterTest.postOne(relay, MessagesTest.id(2), "poster");
				assertEquals("storage unavailable, try again later", expect(503, post).get("detail").textValue());
				HttpBasicsTest.assertCors(post);
				expect(503, relay.get("/v1/messages?circle_hint=" + HINT));
				JsonNode down = expect(503, relay.get("/v1/health"));
				assertFalse(down.get("ok").booleanValue());
				assertEquals("unavailable", down.get("database").get("status").textValue());
				expect(204, relay.send("OPTIONS", "/v1/messages", null, java.util.Map.of()));

				server.start();
				long deadline = System.nanoTime() + 20_000_000_000L;
				Reply again;
				do {
					Thread.sleep(100);
					again = PostgresClusterTest.postOne(relay, MessagesTest.id(3), "poster");
				} while (again.status() != 200 && System.nanoTime() < deadline);
				expect(200, again);
				assertTrue(subscriber.awaitAll(Set.of(MessagesTest.id(3)), 10_000), "live delivery is back");
				expect(200, relay.get("/v1/health"));
				JsonNode all = expect(200, relay.get("/v1/messages?circle_hint=" + HINT));
				assertEquals(List.of(MessagesTest.id(1), MessagesTest.id(3)), PostgresClusterTest.msgIds(all),
						"the post refused with 503 was not stored");
				subscriber.close();
			}
		}
	}
}
