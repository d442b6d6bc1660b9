package org.felund.integration.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.felund.api.anchor.AnchorPolicy;
import org.felund.api.control.CallEvent;
import org.felund.api.control.ControlEventService;
import org.felund.api.control.ControlListener;
import org.felund.api.control.ControlMessage;
import org.felund.api.node.NodeService;
import org.felund.testsupport.ComponentDiagnostics;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;

/** Plugins send and hear control events through services: the node's, and their own whiteboard listeners. */
class ControlEventServiceWiringTest {
	private final BundleContext context = FrameworkUtil.getBundle(ControlEventServiceWiringTest.class)
			.getBundleContext();

	@Test
	void whiteboardListenersHearTheEventTypesTheyAskFor() throws Exception {
		NodeService node = service(NodeService.class);
		ControlEventService events = service(ControlEventService.class);
		assertEquals("org.felund.core", context.getServiceReference(ControlEventService.class).getBundle()
				.getSymbolicName());
		List<String> calls = new CopyOnWriteArrayList<>();
		List<String> all = new CopyOnWriteArrayList<>();
		Hashtable<String, Object> onlyCalls = new Hashtable<>();
		onlyCalls.put(ControlListener.TYPES_PROPERTY, new String[] { CallEvent.TYPE });
		ServiceRegistration<ControlListener> a = context.registerService(ControlListener.class,
				(m, origin) -> calls.add(m.event().type() + " " + origin), onlyCalls);
		ServiceRegistration<ControlListener> b = context.registerService(ControlListener.class,
				(m, origin) -> all.add(m.event().type()), new Hashtable<>());
		try {
			String circle = node.createCircle("plugins").circle().circleId();
			String self = node.identity().nodeId();
			ControlMessage sent = events.send(circle, CallEvent.create("0123456789abcdef0123456789abcdef", self,
					circle, "general", System.currentTimeMillis() / 1000));
			assertEquals(self, sent.authorNodeId());
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while ((calls.isEmpty() || all.size() < 2) && System.nanoTime() < deadline) {
				Thread.sleep(50);
			}
			assertEquals(List.of("CALL_EVT local"), calls, "the circle's name event is filtered out");
			assertEquals(List.of("CIRCLE_NAME_EVT", "CALL_EVT"), all);
			assertEquals(2, events.history(circle, 0, 10).size());
		} finally {
			a.unregister();
			b.unregister();
		}
	}

	@Test
	void theBundledAnchorPolicyIsBoundAndOffersNothingUntilConfigured() throws Exception {
		AnchorPolicy policy = service(AnchorPolicy.class);
		assertEquals("org.felund.anchor", context.getServiceReference(AnchorPolicy.class).getBundle()
				.getSymbolicName());
		assertTrue(!policy.offersAnchor());
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
