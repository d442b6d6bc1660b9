package org.felund.relay.server.internal;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.felund.api.crypto.CryptoService;
import org.felund.relay.server.RelayServer;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The {@code org.felund.relay.server.app} Equinox application ({@code felund-relay}): parses the command line,
 * runs a {@link RelayServer} until the application is stopped or the JVM gets SIGTERM / Ctrl-C, then shuts it
 * down cleanly (a shutdown hook, since the framework would otherwise exit before the database is closed).
 */
public final class RelayApplication implements IApplication {
	/** Exit code for a bad command line. */
	public static final Integer EXIT_USAGE = 2;
	/** Exit code when the server cannot start (database, port, missing crypto service). */
	public static final Integer EXIT_FAILURE = 1;
	private static final long CRYPTO_WAIT_MILLIS = 15_000;

	private final CountDownLatch stopped = new CountDownLatch(1);
	private final PrintStream out;
	private final PrintStream err;
	private RelayServer server;

	public RelayApplication() {
		this(System.out, System.err);
	}

	RelayApplication(PrintStream out, PrintStream err) {
		this.out = out;
		this.err = err;
	}

	@Override
	public Object start(IApplicationContext context) throws Exception {
		Object raw = context.getArguments().get(IApplicationContext.APPLICATION_ARGS);
		String[] args = raw instanceof String[] a ? a : new String[0];
		if (args.length > 0 && args[0].equals("admin")) {
			return RelayAdmin.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.in, out, err);
		}
		RelayCommandLine.Parsed parsed;
		try {
			parsed = RelayCommandLine.parse(args);
		} catch (IllegalArgumentException e) {
			err.println("felund-relay: " + e.getMessage());
			return EXIT_USAGE;
		}
		if (parsed.help()) {
			out.print(RelayCommandLine.usage());
			out.flush();
			return EXIT_OK;
		}
		if (parsed.verbose()) {
			enableRequestLog();
		}
		context.applicationRunning();
		CryptoService crypto = awaitCryptoService();
		if (crypto == null) {
			err.println("felund-relay: no CryptoService became available within " + CRYPTO_WAIT_MILLIS / 1000
					+ " s (the product must contain and start org.felund.crypto and Felix SCR)");
			return EXIT_FAILURE;
		}
		RelayServer relay = new RelayServer(parsed.config(), crypto);
		try {
			relay.start();
		} catch (Exception e) {
			err.println("felund-relay: " + e.getMessage());
			return EXIT_FAILURE;
		}
		synchronized (this) {
			server = relay;
		}
		Thread hook = new Thread(this::shutdown, "felund-relay-shutdown");
		Runtime.getRuntime().addShutdownHook(hook);
		out.println("felund-relay listening on " + relay.address().getHostString() + ":" + relay.port()
				+ " (database " + RelayEngine.describeDatabase(parsed.config()) + ")");
		out.flush();
		stopped.await();
		try {
			Runtime.getRuntime().removeShutdownHook(hook);
		} catch (IllegalStateException alreadyShuttingDown) {
			// The hook is running (SIGTERM); it has already stopped the server.
		}
		return EXIT_OK;
	}

	@Override
	public void stop() {
		shutdown();
	}

	/** Stops the server (idempotent) and releases {@link #start}. */
	private void shutdown() {
		RelayServer s;
		synchronized (this) {
			s = server;
			server = null;
		}
		if (s != null) {
			s.stop();
			// Straight to stderr: during JVM shutdown java.util.logging may already have closed its handlers.
			err.println("felund-relay stopped");
			err.flush();
		}
		stopped.countDown();
	}

	private static CryptoService awaitCryptoService() throws InterruptedException {
		Bundle bundle = FrameworkUtil.getBundle(RelayApplication.class);
		BundleContext ctx = bundle == null ? null : bundle.getBundleContext();
		if (ctx == null) {
			return null;
		}
		ServiceTracker<CryptoService, CryptoService> tracker = new ServiceTracker<>(ctx, CryptoService.class, null);
		tracker.open();
		// The tracker stays open: the service is used for the life of the application.
		return tracker.waitForService(CRYPTO_WAIT_MILLIS);
	}

	/** Logs every request at FINE (method, route, status, duration) to stderr. */
	private static void enableRequestLog() {
		Logger relayLog = Logger.getLogger("org.felund.relay.server");
		relayLog.setLevel(Level.FINE);
		ConsoleHandler handler = new ConsoleHandler();
		handler.setLevel(Level.FINE);
		relayLog.addHandler(handler);
		relayLog.setUseParentHandlers(false);
	}
}
