package org.felund.relay.server;

/** CircleKeyAdminTest against the PostgreSQL backend. */
class PostgresCircleKeyAdminTest extends CircleKeyAdminTest {
	@Override
	RelayHarness.Backend backend() {
		return RelayHarness.Backend.POSTGRES;
	}
}
