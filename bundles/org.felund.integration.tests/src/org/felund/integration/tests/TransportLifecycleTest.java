package org.felund.integration.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.felund.api.model.ChatMessage;
import org.felund.api.node.NodeListener;
import org.felund.api.node.NodeService;
import org.felund.api.transport.TransportState;
import org.felund.core.node.Node;
import org.felund.core.node.NodeOptions;
import org.felund.crypto.JcaCryptoService;
import org.felund.store.sqlite.SqliteNodeStore;
import org.felund.testsupport.ComponentDiagnostics;
import org.felund.transport.gossip.GossipOptions;
import org.felund.transport.gossip.GossipTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Transport plugins come and go in a running framework: the node drops a stopped transport and attaches it again
 * when its bundle starts, without a restart, and what was sent meanwhile reaches the other node once the transport
 * is back. A second node, embedded (a {@link Node} with its own {@link GossipTransport} on loopback), is the peer.
 */
class TransportLifecycleTest {
	private static final Duration WAIT = Duration.ofSeconds(40);

	private final BundleContext context = FrameworkUtil.getBundle(TransportLifecycleTest.class).getBundleContext();
	private final List<String> events = new CopyOnWriteArrayList<>();
	private NodeService node;
	private NodeListener listener;
	private Path peerHome;
	private SqliteNodeStore peerStore;
	private Node peer;
	private GossipTransport peerGossip;

	@BeforeEach
	void startThePeer() throws Exception {
		node = service(NodeService.class);
		listener = new NodeListener() {
			@Override
			public void transportChanged(String transportId, TransportState state) {
				events.add("changed " + transportId);
			}

			@Override
			public void transportRemoved(String transportId) {
				events.add("removed " + transportId);
			}
		};
		node.addListener(listener);
		waitUntil(() -> node.transports().keySet().containsAll(List.of("gossip", "relay")), "both transports attached");
		peerHome = Files.createTempDirectory("felund-peer");
		peerStore = SqliteNodeStore.open(peerHome, null);
		peer = new Node(new JcaCryptoService(), peerStore.messages(), peerStore.state(), peerStore.secrets(),
				NodeOptions.oneShot());
		peerGossip = new GossipTransport(GossipOptions.loopback().withInterval(Duration.ofSeconds(1)));
		peer.attach(peerGossip);
	}

	@AfterEach
	void stopThePeer() throws Exception {
		node.removeListener(listener);
		for (Bundle b : context.getBundles()) {
			if (b.getSymbolicName().startsWith("org.felund.transport.") && b.getState() != Bundle.ACTIVE) {
				b.start();
			}
		}
		peer.close();
		peerStore.close();
	}

	@Test
	void stoppingAndStartingTransportBundlesChangesTheNodesTransportsAndNothingSentMeanwhileIsLost()
			throws Exception {
		String circle = node.createCircle("lifecycle").circle().circleId();
		// The peer cannot dial the framework's node (port 1 refuses); the framework's node dials the peer.
		peer.joinCircle(node.inviteCode(circle, "127.0.0.1:1"));
		node.setBootstrapPeer(circle, "127.0.0.1:" + peerGossip.boundPort());
		node.send(circle, "general", "before");
		waitUntil(() -> peerHas(circle, "before"), "the peer received the first message");

		Bundle gossip = bundle("org.felund.transport.gossip");
		Bundle relay = bundle("org.felund.transport.relay");
		events.clear();
		gossip.stop();
		relay.stop();
		waitUntil(() -> node.transports().isEmpty(), "both transports detached: " + node.transports());
		waitUntil(() -> events.containsAll(List.of("removed gossip", "removed relay")), "removed: " + events);

		node.send(circle, "general", "while stopped");
		Thread.sleep(1500);
		assertTrue(!peerHas(circle, "while stopped"), "nothing carries it while no transport runs");

		gossip.start();
		relay.start();
		waitUntil(() -> node.transports().keySet().containsAll(List.of("gossip", "relay")),
				"both transports attached again: " + node.transports());
		waitUntil(() -> events.containsAll(List.of("changed gossip", "changed relay")), "changed: " + events);
		node.setBootstrapPeer(circle, "127.0.0.1:" + peerGossip.boundPort());
		waitUntil(() -> peerHas(circle, "while stopped"), "the message sent while stopped arrived after the restart");
	}

	@Test
	void aConfigurationChangeOfATransportTakesEffectOnTheRunningNode() throws Exception {
		String circle = node.createCircle("configured").circle().circleId();
		peer.joinCircle(node.inviteCode(circle, "127.0.0.1:1"));
		node.setBootstrapPeer(circle, "127.0.0.1:" + peerGossip.boundPort());
		ConfigurationAdmin admin = service(ConfigurationAdmin.class);
		Configuration gossip = admin.getConfiguration("org.felund.transport.gossip", "?");
		Dictionary<String, Object> off = new Hashtable<>();
		off.put("enabled", false);
		gossip.update(off);
		try {
			waitUntil(() -> mode("gossip") == TransportState.Mode.OFFLINE, "gossip switched off: " + node.transports());
			node.send(circle, "general", "while off");
			Thread.sleep(1500);
			assertTrue(!peerHas(circle, "while off"), "a switched-off transport carries nothing");
		} finally {
			Dictionary<String, Object> on = new Hashtable<>();
			on.put("enabled", true);
			gossip.update(on);
		}
		waitUntil(() -> mode("gossip") != TransportState.Mode.OFFLINE, "gossip on again: " + node.transports());
		node.setBootstrapPeer(circle, "127.0.0.1:" + peerGossip.boundPort());
		waitUntil(() -> peerHas(circle, "while off"), "the message sent while off arrived");
		gossip.delete();
	}

	private TransportState.Mode mode(String transportId) {
		TransportState s = node.transports().get(transportId);
		return s == null ? null : s.mode();
	}

	private boolean peerHas(String circleId, String text) {
		return peer.history(circleId, "general", null, 50).stream().map(ChatMessage::text).anyMatch(text::equals);
	}

	private Bundle bundle(String name) {
		for (Bundle b : context.getBundles()) {
			if (b.getSymbolicName().equals(name)) {
				return b;
			}
		}
		throw new AssertionError(name + " is not installed");
	}

	private <S> S service(Class<S> type) throws InterruptedException {
		ServiceTracker<S, S> tracker = new ServiceTracker<>(context, type, null);
		tracker.open();
		S service = tracker.waitForService(TimeUnit.SECONDS.toMillis(30));
		assertNotNull(service, () -> type.getName() + " is not registered within 30 s\n"
				+ ComponentDiagnostics.describe(context));
		return service;
	}

	private static void waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
		long deadline = System.nanoTime() + WAIT.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				assertEquals("", "timed out waiting: " + what);
			}
			Thread.sleep(100);
		}
	}
}
