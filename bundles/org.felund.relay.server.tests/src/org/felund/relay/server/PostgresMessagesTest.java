package org.felund.relay.server;

/** MessagesTest against the PostgreSQL backend: messages, cursors and the reference clients' poll loops behave the same as with SQLite. */
class PostgresMessagesTest extends MessagesTest {
	@Override
	RelayHarness.Backend backend() {
		return RelayHarness.Backend.POSTGRES;
	}
}
