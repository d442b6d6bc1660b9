package org.felund.relay.server;

/** HttpBasicsTest against the PostgreSQL backend: HTTP basics behave the same as with SQLite. */
class PostgresHttpBasicsTest extends HttpBasicsTest {
	@Override
	RelayHarness.Backend backend() {
		return RelayHarness.Backend.POSTGRES;
	}
}
