package org.felund.relay.server;

/** PersistenceTest against the PostgreSQL backend: restarts behave the same as with SQLite. */
class PostgresPersistenceTest extends PersistenceTest {
	@Override
	RelayHarness.Backend backend() {
		return RelayHarness.Backend.POSTGRES;
	}
}
