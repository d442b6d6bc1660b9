package org.felund.relay.server;

/** PresenceTest against the PostgreSQL backend: presence behave the same as with SQLite. */
class PostgresPresenceTest extends PresenceTest {
	@Override
	RelayHarness.Backend backend() {
		return RelayHarness.Backend.POSTGRES;
	}
}
