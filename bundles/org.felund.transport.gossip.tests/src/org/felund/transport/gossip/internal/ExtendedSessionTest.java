package org.felund.transport.gossip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.felund.transport.gossip.GossipOptions;
import org.felund.transport.gossip.GossipTestNode;
import org.felund.transport.gossip.GossipTransport;
import org.felund.transport.gossip.MemoryAnchorStore;
import org.felund.transport.gossip.SyncReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two of our sessions wired back to back in memory: negotiation, reconciliation, and replay/reflection refusal. */
class ExtendedSessionTest {
	static final String SECRET = SessionFuzzTest.SECRET;
	static final String CIRCLE = SessionFuzzTest.CIRCLE;

	@TempDir
	Path tmp;
	GossipTestNode serverNode;
	GossipTestNode clientNode;
	EmbeddedWire server;
	EmbeddedWire client;
	CompletableFuture<SyncReport> result = new CompletableFuture<>();
	final List<String> clientLines = new ArrayList<>();
	final List<String> serverLines = new ArrayList<>();

	@BeforeEach
	void connect() {
		serverNode = GossipTestNode.start(tmp.resolve("s"), GossipTestNode.fast());
		clientNode = GossipTestNode.start(tmp.resolve("c"), GossipTestNode.fast());
		serverNode.node.joinCircle(SECRET, "");
		clientNode.node.joinCircle(SECRET, "");
		serverNode.seed(CIRCLE, SECRET, 300, 1_767_000_000L);
		clientNode.seed(CIRCLE, SECRET, 120, 1_767_100_000L);
		GossipOptions options = GossipOptions.loopback();
		GossipEngine se = new GossipEngine(options, () -> SessionFuzzTest.SN, () -> 1_767_225_600L, new MemoryAnchorStore());
		se.attachForTest(serverNode.node.context(), new GossipTransport(options), 9001);
		GossipEngine ce = new GossipEngine(options, () -> SessionFuzzTest.CN, () -> 1_767_225_600L, new MemoryAnchorStore());
		ce.attachForTest(clientNode.node.context(), new GossipTransport(options), 9002);
		server = new EmbeddedWire(GossipSession.server(se));
		client = new EmbeddedWire(GossipSession.client(ce, clientNode.node.context().circle(CIRCLE).orElseThrow(),
				"127.0.0.1:9001", result));
	}

	@AfterEach
	void close() {
		server.channel.finishAndReleaseAll();
		client.channel.finishAndReleaseAll();
		clientNode.close();
		serverNode.close();
	}

	/** Moves lines both ways until neither side has anything more to say. */
	void shuttle() {
		for (int round = 0; round < 1000; round++) {
			List<String> fromClient = client.lines();
			List<String> fromServer = server.lines();
			if (fromClient.isEmpty() && fromServer.isEmpty()) {
				return;
			}
			clientLines.addAll(fromClient);
			serverLines.addAll(fromServer);
			fromClient.forEach(server::sendLine);
			fromServer.forEach(client::sendLine);
		}
		throw new AssertionError("the sessions never went quiet");
	}

	@Test
	void ourNodesNegotiateTheExtensionsAndReconcile() throws Exception {
		shuttle();
		assertTrue(clientLines.get(0).contains("\"felund_ext\":1"), clientLines.get(0));
		assertTrue(serverLines.get(1).contains("\"felund_ext\":1"), serverLines.get(1));
		SyncReport report = result.getNow(null);
		assertNull(report.error());
		assertTrue(report.extended());
		// Each side also holds its own join announcement (a joining member announces itself): 300 + 1 and 120 + 1.
		assertEquals(301, report.stored());
		assertEquals(121, report.sent());
		assertTrue(report.reconFrames() >= 2);
		assertEquals(serverNode.ids(CIRCLE), clientNode.ids(CIRCLE));
		assertEquals(422, serverNode.count(CIRCLE));
		assertTrue(server.open() && client.open(), "an extended connection stays open for live push");
	}

	@Test
	void aReplayedFrameEndsTheSession() {
		shuttle();
		String replay = clientLines.get(clientLines.size() - 1);
		server.sendLine(replay);
		assertTrue(server.lines().isEmpty(), "no answer, no plaintext error");
		assertFalse(server.open());
	}

	@Test
	void aReflectedFrameEndsTheSession() {
		shuttle();
		String reflected = serverLines.get(serverLines.size() - 1);
		server.sendLine(reflected);
		assertTrue(server.lines().isEmpty());
		assertFalse(server.open());
	}
}
