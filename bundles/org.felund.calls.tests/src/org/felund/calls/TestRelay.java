package org.felund.calls;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import org.felund.relay.server.RelayConfig;
import org.felund.relay.server.RelayServer;
import org.felund.relay.server.SignaturePolicy;

/** The real relay server on 127.0.0.1 (an ephemeral port), with a signal budget for many nodes. */
final class TestRelay implements AutoCloseable {
	private final RelayServer server;

	TestRelay(Path database) throws IOException {
		this(database, "127.0.0.1");
	}

	/** @param bindHost where it listens (an address of a network namespace the test made, e.g.) */
	TestRelay(Path database, String bindHost) throws IOException {
		this(database, bindHost, SignaturePolicy.COMPAT);
	}

	/** @param signatures {@code STRICT}: every signal and mailbox read must be signed with the circle's key */
	TestRelay(Path database, String bindHost, SignaturePolicy signatures) throws IOException {
		server = new RelayServer(RelayConfig.builder().bindHost(bindHost).port(0).database(database)
				.signatures(signatures).signalRateLimit(1000).signalRateWindow(Duration.ofSeconds(10))
				.workerThreads(4).build(), CallTestNode.CRYPTO);
		server.start();
	}

	int port() {
		return server.port();
	}

	String url() {
		return "http://127.0.0.1:" + server.port();
	}

	@Override
	public void close() {
		server.stop();
	}
}
