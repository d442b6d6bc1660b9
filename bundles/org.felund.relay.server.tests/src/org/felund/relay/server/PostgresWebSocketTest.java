package org.felund.relay.server;

/** WebSocketTest against the PostgreSQL backend: WebSocket push and catch-up behave the same as with SQLite. */
class PostgresWebSocketTest extends WebSocketTest {
	@Override
	RelayHarness.Backend backend() {
		return RelayHarness.Backend.POSTGRES;
	}
}
