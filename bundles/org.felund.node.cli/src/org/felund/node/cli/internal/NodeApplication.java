package org.felund.node.cli.internal;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.felund.api.node.NodeService;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The headless application {@code org.felund.node.cli.app}: waits (bounded) for the {@link NodeService}, runs one
 * {@link NodeCli} command with the application arguments and returns its exit code.
 */
public final class NodeApplication implements IApplication {
	/** Framework property naming the node home (set by the launch script from {@code --home}). */
	public static final String HOME_PROPERTY = "felund.home";
	/** How long to wait for the node service, in seconds (framework or system property). */
	public static final String WAIT_PROPERTY = "felund.cli.wait.seconds";
	private static final long DEFAULT_WAIT_SECONDS = 30;
	/** How long a plugin's declared command may take to come up after the node service. */
	private static final java.time.Duration PLUGIN_COMMAND_PATIENCE = java.time.Duration.ofSeconds(10);
	private static final java.time.Duration HELP_PATIENCE = java.time.Duration.ofSeconds(2);

	@Override
	public Object start(IApplicationContext context) throws Exception {
		Object raw = context.getArguments().get(IApplicationContext.APPLICATION_ARGS);
		List<String> args = raw instanceof String[] a ? Arrays.asList(a) : List.of();
		PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
		PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
		context.applicationRunning();
		Bundle bundle = FrameworkUtil.getBundle(NodeApplication.class);
		BundleContext bc = bundle == null ? null : bundle.getBundleContext();
		if (NodeCli.isHelp(args)) {
			if (bc == null) {
				return new NodeCli(null, out, err, Path.of(".")).run(args);
			}
			// Help does not wait for the node; a plugin's command that needs it is listed if it comes up soon.
			try (OsgiPluginCommands plugins = new OsgiPluginCommands(bc, HELP_PATIENCE)) {
				return new NodeCli(null, out, err, Path.of(".")).withPluginCommands(plugins).run(args);
			}
		}
		if (bc == null) {
			err.println("felund-node: the CLI bundle is not active");
			return NodeCli.NO_NODE;
		}
		if (NodeCli.needsNoNode(args)) {
			// config edits the plugins' configurations only: it works even when the node cannot start
			try (OsgiConfigurations configurations = new OsgiConfigurations(bc)) {
				return new NodeCli(null, System.in, out, err, home(bc).resolve(CliState.FILE_NAME), stop,
						configurations).run(args);
			}
		}
		long waitSeconds = waitSeconds(bc);
		ServiceTracker<NodeService, NodeService> tracker = new ServiceTracker<>(bc, NodeService.class, null);
		tracker.open();
		try {
			NodeService node = tracker.waitForService(waitSeconds * 1000);
			if (node == null) {
				err.println("felund-node: the node did not start within " + waitSeconds
						+ " s (is the home's key file or passphrase missing, or the home locked? see the log)");
				return NodeCli.NO_NODE;
			}
			Thread hook = new Thread(() -> stopFrameworkAndWait(bc), "felund-node shutdown");
			Runtime.getRuntime().addShutdownHook(hook);
			try (OsgiConfigurations configurations = new OsgiConfigurations(bc);
					OsgiPluginCommands plugins = new OsgiPluginCommands(bc, PLUGIN_COMMAND_PATIENCE)) {
				return new NodeCli(node, System.in, out, err, home(bc).resolve(CliState.FILE_NAME), stop,
						configurations).withPluginCommands(plugins).run(args);
			} finally {
				try {
					Runtime.getRuntime().removeShutdownHook(hook);
				} catch (IllegalStateException shuttingDown) {
					// the hook is running: SIGTERM
				}
			}
		} finally {
			tracker.close();
		}
	}

	/** Released by {@link #stop()} or SIGTERM; {@code run} waits for it, one-shot commands ignore it. */
	private final CountDownLatch stop = new CountDownLatch(1);

	@Override
	public void stop() {
		stop.countDown();
	}

	/**
	 * On SIGTERM the JVM exits once its hooks return, so the hook stops the framework itself and waits (bounded):
	 * components deactivate, transports close their sockets and unregister from relays, the store closes.
	 */
	private void stopFrameworkAndWait(BundleContext bc) {
		stop.countDown();
		try {
			Bundle system = bc.getBundle(0);
			system.stop();
			system.adapt(org.osgi.framework.launch.Framework.class).waitForStop(15_000);
		} catch (Exception e) {
			// already stopping, or the context is gone: nothing more to wait for
		}
	}

	static Path home(BundleContext bc) {
		String home = bc.getProperty(HOME_PROPERTY);
		if (home == null || home.isBlank()) {
			return Path.of(System.getProperty("user.home"), ".felund");
		}
		return Path.of(home.strip());
	}

	private static long waitSeconds(BundleContext bc) {
		String text = bc.getProperty(WAIT_PROPERTY);
		try {
			long v = text == null ? DEFAULT_WAIT_SECONDS : Long.parseLong(text.strip());
			return v > 0 ? v : DEFAULT_WAIT_SECONDS;
		} catch (NumberFormatException e) {
			return DEFAULT_WAIT_SECONDS;
		}
	}
}
