package org.felund.relay.server;

/** SignalAbuseTest against the PostgreSQL backend: the limits and caps are shared by the instances' database. */
class PostgresSignalAbuseTest extends SignalAbuseTest {
	@Override
	RelayHarness.Backend backend() {
		return RelayHarness.Backend.POSTGRES;
	}
}
