package org.felund.relay.server;

/** SealedKeysTest against the PostgreSQL backend (a dump of the database holds no usable key). */
class PostgresSealedKeysTest extends SealedKeysTest {
	@Override
	RelayHarness.Backend backend() {
		return RelayHarness.Backend.POSTGRES;
	}
}
