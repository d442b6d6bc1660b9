package org.felund.relay.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Objects;

import org.felund.api.crypto.CryptoService;
import org.felund.relay.server.internal.RelayEngine;

/**
 * A felund relay / rendezvous server (protocol §7): presence, store-and-forward messages, WebRTC signaling and
 * WebSocket push over HTTP/1.1, stored in SQLite. Wire-compatible with both reference relays; see
 * {@code docs/relay.md} for where it deliberately does better.
 *
 * <pre>
 * try (RelayServer relay = new RelayServer(RelayConfig.builder().port(0).database(file).build(), crypto)) {
 *     relay.start();
 *     int port = relay.port();
 *     …
 * }
 * </pre>
 */
public final class RelayServer implements AutoCloseable {
	private final RelayConfig config;
	private final CryptoService crypto;
	private final Clock clock;
	private RelayEngine engine;

	public RelayServer(RelayConfig config, CryptoService crypto) {
		this(config, crypto, Clock.systemUTC());
	}

	/** @param clock the server's notion of time (tests move it to check expiry and timestamp windows) */
	public RelayServer(RelayConfig config, CryptoService crypto, Clock clock) {
		this.config = Objects.requireNonNull(config, "config");
		this.crypto = Objects.requireNonNull(crypto, "crypto");
		this.clock = Objects.requireNonNull(clock, "clock");
	}

	/**
	 * Opens the database and starts listening.
	 *
	 * @throws IOException           when the database cannot be opened or the address cannot be bound
	 * @throws IllegalStateException when already started
	 */
	public synchronized void start() throws IOException {
		if (engine != null) {
			throw new IllegalStateException("relay server already started");
		}
		engine = RelayEngine.start(config, crypto, clock);
	}

	/** The bound port (useful with port 0). */
	public synchronized int port() {
		return address().getPort();
	}

	public synchronized InetSocketAddress address() {
		if (engine == null) {
			throw new IllegalStateException("relay server not started");
		}
		return engine.address();
	}

	/** WebSocket subscribers currently connected (0 when not running). */
	public synchronized int webSocketCount() {
		return engine == null ? 0 : engine.webSocketCount();
	}

	/** Bytes of answers waiting for their clients to read them (0 when not running); tests watch it. */
	synchronized long unreadAnswerBytes() {
		return engine == null ? 0 : engine.unreadAnswerBytes();
	}

	public synchronized boolean isRunning() {
		return engine != null;
	}

	public RelayConfig config() {
		return config;
	}

	/** Stops the server; running requests finish first. Does nothing when not running. */
	public synchronized void stop() {
		if (engine != null) {
			RelayEngine e = engine;
			engine = null;
			e.stop();
		}
	}

	@Override
	public void close() {
		stop();
	}
}
