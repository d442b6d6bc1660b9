package org.felund.integration.tests;

import org.felund.testsupport.ComponentDiagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.felund.api.crypto.CryptoService;
import org.felund.api.model.ChatMessage;
import org.felund.api.node.CreatedCircle;
import org.felund.api.node.NodeService;
import org.felund.api.store.CircleStore;
import org.felund.api.store.MessageStore;
import org.felund.api.store.SecretStore;
import org.felund.api.transport.Transport;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Runs inside Equinox with Felix SCR and the real bundles: every API service is provided by the bundle
 * that should provide it, and the node works end to end on a real SQLite file in felund.home.
 */
class ServiceWiringTest {
	private final BundleContext context = FrameworkUtil.getBundle(ServiceWiringTest.class).getBundleContext();

	@Test
	void eachApiServiceIsProvidedByItsImplementationBundle() throws Exception {
		assertProvidedBy(CryptoService.class, "org.felund.crypto");
		assertProvidedBy(MessageStore.class, "org.felund.store.sqlite");
		assertProvidedBy(CircleStore.class, "org.felund.store.sqlite");
		assertProvidedBy(SecretStore.class, "org.felund.store.sqlite");
		assertProvidedBy(NodeService.class, "org.felund.core");
	}

	@Test
	void transportsRegisterAsServicesAndTheNodeAttachesThem() throws Exception {
		NodeService node = service(NodeService.class);
		service(Transport.class);
		java.util.Map<String, String> providers = new java.util.TreeMap<>();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (System.nanoTime() < deadline && !node.transports().keySet().containsAll(List.of("gossip", "relay"))) {
			Thread.sleep(100);
		}
		for (ServiceReference<Transport> ref : context.getServiceReferences(Transport.class, null)) {
			providers.put(context.getService(ref).id(), ref.getBundle().getSymbolicName());
		}
		assertEquals(java.util.Map.of("gossip", "org.felund.transport.gossip", "relay", "org.felund.transport.relay"),
				providers);
		assertTrue(node.transports().keySet().containsAll(List.of("gossip", "relay")),
				"the node attached both transports: " + node.transports());
	}

	@Test
	void nodeServiceCreatesACircleSendsAndReadsBackThroughTheSqliteStore() throws Exception {
		NodeService node = service(NodeService.class);
		CreatedCircle created = node.createCircle("wiring");
		assertTrue(created.inviteCode().startsWith("felund1."), created.inviteCode());
		assertTrue(node.circles().stream().anyMatch(c -> c.circleId().equals(created.circle().circleId())));

		ChatMessage sent = node.send(created.circle().circleId(), "general", "inside OSGi");
		List<ChatMessage> history = node.history(created.circle().circleId(), "general", null, 10);
		assertEquals(sent.msgId(), history.get(0).msgId());
		assertEquals("inside OSGi", history.get(0).text());

		Path home = Path.of(System.getProperty("felund.home"));
		assertTrue(Files.exists(home.resolve("felund.db")), "the store writes its database into felund.home");
	}

	private <S> void assertProvidedBy(Class<S> type, String bundle) throws InterruptedException {
		service(type);
		ServiceReference<S> ref = context.getServiceReference(type);
		assertEquals(bundle, ref.getBundle().getSymbolicName(), type.getSimpleName() + " provider");
	}

	private <S> S service(Class<S> type) throws InterruptedException {
		ServiceTracker<S, S> tracker = new ServiceTracker<>(context, type, null);
		tracker.open();
		S service = tracker.waitForService(TimeUnit.SECONDS.toMillis(30));
		assertNotNull(service, () -> type.getName() + " is not registered within 30 s\n"
				+ ComponentDiagnostics.describe(context));
		return service;
	}
}
