package org.felund.relay.server;

/** ClockSkewTest against the PostgreSQL backend (nonces and TTLs live in the shared database there). */
class PostgresClockSkewTest extends ClockSkewTest {
	@Override
	RelayHarness.Backend backend() {
		return RelayHarness.Backend.POSTGRES;
	}
}
