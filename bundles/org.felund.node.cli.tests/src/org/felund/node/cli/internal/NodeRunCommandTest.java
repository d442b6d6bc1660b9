package org.felund.node.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
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
			NodeCli cli = new NodeCli(node, new PrintStream(out, true, StandardCharsets.UTF_8),
					new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
					home.resolve(CliState.FILE_NAME), stop, Map.of("felund.gossip.interval", "2")::get);
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
			assertTrue(node.identity().canAnchor(), "--anchor is kept, as the reference keeps it");
			assertEquals("http://127.0.0.1:8787", node.identity().relayUrl());
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
			assertEquals(NodeCli.FAILED, run(node, "run", "--interval", "5"), "interval not applied by a launcher");
			assertEquals(NodeCli.USAGE, run(node, "run", "--circle", "abcd"));
			assertEquals(NodeCli.FAILED, run(node, "run", "--peer", "no-port-here"));
			assertEquals(NodeCli.FAILED, run(node, "run", "--peer", "https://relay.example"));
			assertEquals(NodeCli.USAGE, run(node, "run", "--bogus"));
			assertTrue(!node.identity().canAnchor());
		}
	}

	private int run(Node node, String... args) {
		CountDownLatch released = new CountDownLatch(0);
		return new NodeCli(node, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
				new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
				home.resolve(CliState.FILE_NAME), released, k -> null).run(List.of(args));
	}

	private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		assertTrue(condition.getAsBoolean(), "timed out");
	}
}
