package org.felund.webrtc;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import org.felund.crypto.JcaCryptoService;
import org.felund.relay.server.RelayConfig;
import org.felund.relay.server.RelayServer;

/** The real relay server on 127.0.0.1 (an ephemeral port), with its signal rate limit chosen by the test. */
final class TestRelay implements AutoCloseable {
	private final RelayServer server;

	TestRelay(Path database, int signalRateLimit, Duration signalWindow) throws IOException {
		server = new RelayServer(RelayConfig.builder().bindHost("127.0.0.1").port(0).database(database)
				.signalRateLimit(signalRateLimit).signalRateWindow(signalWindow)
				// Every test peer is 127.0.0.1, and busy mailboxes poll every 20 ms: the per-address limits follow
				// the test's signal limit instead of the relay's defaults for one hostile address.
				.limits(l -> l.withRequestRate(10_000, 10_000).withSignalLimits(signalRateLimit, signalRateLimit,
						l.signalMailboxRows(), l.signalMailboxBytes()))
				.workerThreads(4).build(),
				new JcaCryptoService());
		server.start();
	}

	TestRelay(Path database) throws IOException {
		this(database, 1000, Duration.ofSeconds(10));
	}

	String url() {
		return "http://127.0.0.1:" + server.port();
	}

	@Override
	public void close() {
		server.stop();
	}
}
