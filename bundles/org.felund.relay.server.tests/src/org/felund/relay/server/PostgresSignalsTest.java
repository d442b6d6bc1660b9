package org.felund.relay.server;

/** SignalsTest against the PostgreSQL backend: the signaling mailbox and its rate limit behave the same as with SQLite. */
class PostgresSignalsTest extends SignalsTest {
	@Override
	RelayHarness.Backend backend() {
		return RelayHarness.Backend.POSTGRES;
	}
}
