package org.felund.relay.server;

/** MailboxAbuseTest against the PostgreSQL backend: quotas and limits hold there too. */
class PostgresMailboxAbuseTest extends MailboxAbuseTest {
	@Override
	RelayHarness.Backend backend() {
		return RelayHarness.Backend.POSTGRES;
	}
}
