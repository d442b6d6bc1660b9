package org.felund.transport.relay;

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

	/**
	 * @param pingInterval WebSocket protocol ping period; the pong timeout is the same, so a client that does not
	 *            answer pings loses its socket within two periods
	 */
	public TestRelay(Path database, SignaturePolicy signatures, Duration pingInterval) {
		this.config = RelayConfig.builder().bindHost("127.0.0.1").port(0).database(database).signatures(signatures)
				.wsPingInterval(pingInterval).wsPongTimeout(pingInterval).workerThreads(4).build();
	}

	public TestRelay start() throws IOException {
		RelayConfig c = port == 0 ? config : config.toBuilder().port(port).build();
		server = new RelayServer(c, RelayTestNode.CRYPTO);
		server.start();
		port = server.port();
		return this;
	}

	public void stop() {
		server.stop();
	}

	/** Starts again on the same port and database file. */
	public void restart() throws IOException {
		start();
	}

	public String url() {
		return "http://127.0.0.1:" + port;
	}

	public int port() {
		return port;
	}

	@Override
	public void close() {
		if (server != null) {
			server.stop();
		}
	}
}
