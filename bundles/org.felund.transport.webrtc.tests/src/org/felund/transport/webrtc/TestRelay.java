package org.felund.transport.webrtc;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import org.felund.relay.server.RelayConfig;
import org.felund.relay.server.RelayServer;
import org.felund.relay.server.SignaturePolicy;

/** The real relay server on 127.0.0.1, restartable on the same port and database. */
public final class TestRelay implements AutoCloseable {
	private final RelayConfig config;
	private RelayServer server;
	private int port;

	public TestRelay(Path database) {
		this(database, SignaturePolicy.COMPAT);
	}

	public TestRelay(Path database, SignaturePolicy signatures) {
		this.config = RelayConfig.builder().bindHost("127.0.0.1").port(0).database(database)
				.signatures(signatures).signalRateLimit(200).signalRateWindow(Duration.ofSeconds(10))
				.workerThreads(4).build();
	}

	public TestRelay start() throws IOException {
		RelayConfig c = port == 0 ? config : config.toBuilder().port(port).build();
		server = new RelayServer(c, WebRtcTestNode.CRYPTO);
		server.start();
		port = server.port();
		return this;
	}

	public void stop() {
		server.stop();
	}

	public String url() {
		return "http://127.0.0.1:" + port;
	}

	@Override
	public void close() {
		if (server != null) {
			server.stop();
		}
	}
}
