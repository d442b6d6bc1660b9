package org.felund.node.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.felund.api.cli.CommandContext;
import org.felund.api.cli.NodeCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;

/**
 * The hook through which plugins add commands to {@code felund-node}: a {@link NodeCommand} service becomes a command
 * (with its usage in {@code --help}) while it is registered, and a command nobody provides is refused plainly.
 */
class PluginCommandsTest {
	@TempDir
	Path tmp;

	/** A plugin's command: echoes its arguments, refuses "bad" and fails on "broken". */
	private static final class Echo implements NodeCommand {
		@Override
		public String name() {
			return "echo";
		}

		@Override
		public List<String> usage() {
			return List.of("echo WORDS…            print the words");
		}

		@Override
		public int run(List<String> args, CommandContext context) throws InterruptedException {
			if (args.contains("bad")) {
				throw new IllegalArgumentException("'bad' is not a word");
			}
			if (args.contains("broken")) {
				throw new IllegalStateException("the echo is broken");
			}
			context.out().println(String.join(" ", args));
			return args.contains("stop") && context.awaitStop(Duration.ofMillis(1)) ? 7 : OK;
		}
	}

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();
	private final ByteArrayOutputStream err = new ByteArrayOutputStream();

	private int run(BundleContext context, String... args) throws Exception {
		out.reset();
		err.reset();
		try (OsgiPluginCommands plugins = new OsgiPluginCommands(context, Duration.ofSeconds(5))) {
			return new NodeCli(null, new PrintStream(out, true, StandardCharsets.UTF_8),
					new PrintStream(err, true, StandardCharsets.UTF_8), tmp.resolve("cli.json"))
					.withPluginCommands(plugins).run(List.of(args));
		}
	}

	@Test
	void aRegisteredCommandRunsIsListedAndGoesWithItsService() throws Exception {
		BundleContext context = FrameworkUtil.getBundle(PluginCommandsTest.class).getBundleContext();
		ServiceRegistration<NodeCommand> registration = context.registerService(NodeCommand.class, new Echo(), null);
		try {
			assertEquals(NodeCli.OK, run(context, "echo", "hello", "there"));
			assertEquals("hello there\n", out.toString(StandardCharsets.UTF_8));

			assertEquals(NodeCli.OK, run(context, "--help"));
			assertTrue(out.toString(StandardCharsets.UTF_8).contains("Commands of installed plugins:\n  echo WORDS…"),
					out.toString(StandardCharsets.UTF_8));

			assertEquals(NodeCli.USAGE, run(context, "echo", "bad"));
			assertEquals("felund-node: echo: 'bad' is not a word (see felund-node --help)\n",
					err.toString(StandardCharsets.UTF_8));
			assertEquals(NodeCli.FAILED, run(context, "echo", "broken"));
			assertEquals("felund-node: the echo is broken\n", err.toString(StandardCharsets.UTF_8));
			assertEquals(NodeCli.OK, run(context, "echo", "stop"), "not asked to stop: the command's own exit code");
		} finally {
			registration.unregister();
		}

		long started = System.nanoTime();
		assertEquals(NodeCli.USAGE, run(context, "echo", "hello"));
		assertTrue(System.nanoTime() - started < Duration.ofSeconds(2).toNanos(),
				"no declared command is pending: refused at once");
		assertEquals("felund-node: Unknown command 'echo': neither built in nor added by an installed plugin"
				+ " (felund-node plugins list shows what is installed) (see felund-node --help)\n",
				err.toString(StandardCharsets.UTF_8));
		assertEquals(NodeCli.OK, run(context, "--help"));
		assertTrue(!out.toString(StandardCharsets.UTF_8).contains("Commands of installed plugins"));
	}

	@Test
	void withoutPluginsTheCallCommandIsNotThere() throws Exception {
		BundleContext context = FrameworkUtil.getBundle(PluginCommandsTest.class).getBundleContext();
		assertEquals(NodeCli.USAGE, run(context, "call", "status"));
		assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("felund-node: Unknown command 'call': neither built"
				+ " in nor added by an installed plugin"), err.toString(StandardCharsets.UTF_8));
	}
}
