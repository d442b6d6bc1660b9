package org.felund.node.cli.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.felund.api.model.Circle;
import org.felund.core.node.Node;
import org.felund.core.node.NodeOptions;
import org.felund.crypto.JcaCryptoService;
import org.felund.store.sqlite.SqliteNodeStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code felund-node run}: reports what the node does until it is stopped, and refuses bad options. */
class NodeRunCommandTest {
	@TempDir
	Path home;

	@Test
	void runLogsMessagesAndAppliesAnchorRelayAndPeerUntilStopped() throws Exception {
		try (SqliteNodeStore store = SqliteNodeStore.open(home, null);
				Node node = new Node(new JcaCryptoService(), store.messages(), store.state(), store.secrets(),
						NodeOptions.oneShot())) {
			Circle circle = node.createCircle("book club").circle();
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			CountDownLatch stop = new CountDownLatch(1);
			MemoryConfigurations configurations = MemoryConfigurations.withTheUsualPlugins();
			NodeCli cli = new NodeCli(node, InputStream.nullInputStream(), new PrintStream(out, true, StandardCharsets.UTF_8),
					new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
					home.resolve(CliState.FILE_NAME), stop, configurations);
			AtomicInteger code = new AtomicInteger(-1);
			Thread runner = new Thread(() -> code.set(cli.run(List.of("run", "--interval", "2", "--anchor",
					"--relay", "http://127.0.0.1:8787", "--peer", "127.0.0.1:19999"))));
			runner.start();
			waitFor(() -> out.toString(StandardCharsets.UTF_8).contains("stop with Ctrl-C"));
			node.send(circle.circleId(), "general", "hello while running");
			waitFor(() -> out.toString(StandardCharsets.UTF_8).contains("hello while running"));
			stop.countDown();
			runner.join(TimeUnit.SECONDS.toMillis(10));

			String log = out.toString(StandardCharsets.UTF_8);
			assertEquals(NodeCli.OK, code.get(), log);
			assertTrue(log.contains("gossip every 2 s"), log);
			assertTrue(log.contains("anchoring for offline members"), log);
			assertTrue(log.contains("message book club/#general"), log);
			assertTrue(log.contains("stopping"), log);
			assertEquals(Map.of("offer", true), configurations.stored.get(NodeCli.ANCHOR_PID),
					"--anchor is kept, as the reference keeps it");
			assertArrayEquals(new String[] { "http://127.0.0.1:8787" },
					(String[]) configurations.stored.get(NodeCli.RELAY_PID).get("urls"));
			assertEquals(2, configurations.stored.get(NodeCli.GOSSIP_PID).get("interval"));
			assertEquals("127.0.0.1:19999", node.circle(circle.circleId()).orElseThrow().bootstrapPeer());
		}
	}

	@Test
	void badRunOptionsFailWithoutChangingTheNode() throws Exception {
		try (SqliteNodeStore store = SqliteNodeStore.open(home, null);
				Node node = new Node(new JcaCryptoService(), store.messages(), store.state(), store.secrets(),
						NodeOptions.oneShot())) {
			node.createCircle("");
			assertEquals(NodeCli.FAILED, run(node, "run", "--interval", "0"));
			assertEquals(NodeCli.FAILED, run(node, "run", "--interval", "5", "--relay", "https://a,https://b,https://c,"
					+ "https://d,https://e,https://f,https://g,https://h,https://i"), "nothing is written then");
			assertEquals(NodeCli.FAILED, run(node, "run", "--anchor"), "no anchor policy installed");
			assertEquals(NodeCli.USAGE, run(node, "run", "--circle", "abcd"));
			assertEquals(NodeCli.FAILED, run(node, "run", "--peer", "no-port-here"));
			assertEquals(NodeCli.FAILED, run(node, "run", "--peer", "https://relay.example"));
			assertEquals(NodeCli.USAGE, run(node, "run", "--bogus"));
			assertTrue(configurations.stored.isEmpty(), configurations.stored.toString());
		}
	}

	private final MemoryConfigurations configurations = MemoryConfigurations.withTheUsualPlugins();

	private int run(Node node, String... args) {
		configurations.installed.remove(NodeCli.ANCHOR_PID);
		CountDownLatch released = new CountDownLatch(0);
		return new NodeCli(node, InputStream.nullInputStream(),
				new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
				new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
				home.resolve(CliState.FILE_NAME), released, configurations).run(List.of(args));
	}

	private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		assertTrue(condition.getAsBoolean(), "timed out");
	}
}
