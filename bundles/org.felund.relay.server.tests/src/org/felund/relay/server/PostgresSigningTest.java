package org.felund.relay.server;

/** SigningTest against the PostgreSQL backend: signatures, key binding and nonces behave the same as with SQLite. */
class PostgresSigningTest extends SigningTest {
	@Override
	RelayHarness.Backend backend() {
		return RelayHarness.Backend.POSTGRES;
	}
}
