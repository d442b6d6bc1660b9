package org.felund.transport.relay.internal;

import static org.felund.transport.relay.RelayTestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.felund.api.model.ChatMessage;
import org.felund.api.transport.Endpoint;
import org.felund.api.transport.Transport;
import org.felund.api.transport.TransportState.Mode;
import org.felund.relay.server.SignaturePolicy;
import org.felund.transport.relay.RelayOptions;
import org.felund.transport.relay.RelayProbe;
import org.felund.transport.relay.RelayTestNode;
import org.felund.transport.relay.TestRelay;
import org.felund.testsupport.OsgiComponents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The relay component under the real Felix SCR, Configuration Admin and Metatype: the metatype matches what the
 * component reads, a configured relay is used by the running service, and stopping the bundle takes the service,
 * its endpoint and its threads away, with messages stored meanwhile pushed once it is started again.
 */
class RelayComponentInOsgiTest {
	private static final Duration WAIT = Duration.ofSeconds(15);
	private static final String FILTER = "(transport.id=relay)";

	@TempDir
	Path tmp;

	private final Bundle host = FrameworkUtil.getBundle(RelayTransportComponent.class);

	/** The system bundle's context (valid while the host is stopped), with SCR, Configuration Admin, Metatype. */
	private BundleContext context() throws Exception {
		return OsgiComponents.frameworkContext(host);
	}

	private static <S> S service(BundleContext ctx, Class<S> type, String filter) throws Exception {
		return OsgiComponents.awaitService(ctx, type, filter, WAIT);
	}

	@Test
	void theMetatypeDescribesExactlyWhatTheComponentReadsWithItsDefaults() throws Exception {
		BundleContext ctx = context();
		OsgiComponents.Metatype metatype = OsgiComponents.metatype(ctx, host, RelayConfig.PID, WAIT);
		assertEquals(RelayOptions.MAX_RELAYS, metatype.attribute(RelayConfig.URLS).getCardinality(),
				"as many relays as the transport takes");
		assertEquals(new TreeSet<>(List.of(RelayConfig.ENABLED, RelayConfig.URLS, RelayConfig.POLL_INTERVAL,
				RelayConfig.WEB_SOCKET)), metatype.ids());
		RelayConfig.Settings fromMetatype = RelayConfig.parse(metatype.defaults(), k -> null);
		assertTrue(fromMetatype.enabled());
		assertEquals(RelayOptions.defaults(), fromMetatype.options());
	}

	@Test
	void aConfiguredRelayIsUsedAndABundleStopTakesEverythingAwayWithoutLosingMessages() throws Exception {
		BundleContext ctx = context();
		Configuration config = service(ctx, ConfigurationAdmin.class, null).getConfiguration(RelayConfig.PID, "?");
		try (TestRelay relay = new TestRelay(tmp.resolve("relay.db"), SignaturePolicy.STRICT, Duration.ofSeconds(15))
				.start(); RelayTestNode a = RelayTestNode.create(tmp.resolve("a"))) {
			String circle = a.node.createCircle("club").circle().circleId();
			config.update(new Hashtable<>(Map.of(RelayConfig.URLS, new String[] { relay.url() },
					RelayConfig.POLL_INTERVAL, 1)));
			Transport transport = service(ctx, Transport.class, FILTER);
			a.attachTransport(transport);
			await("the configured relay to answer", WAIT, () -> transport.state().mode() != Mode.OFFLINE);
			assertEquals(List.of(new Endpoint("relay", Endpoint.Kind.RELAY, relay.url())), a.context[0].endpoints());
			RelayProbe probe = new RelayProbe(relay.url(), a.node.context().circle(circle).orElseThrow().crypto());
			String first = a.node.send(circle, ChatMessage.GENERAL, "before the stop").msgId();
			await("the first message on the relay", WAIT, () -> has(probe, first));

			host.stop();
			String whileStopped;
			try {
				assertEquals(List.of(), a.context[0].endpoints(), "the RELAY endpoint is withdrawn");
				assertTrue(ctx.getServiceReferences(Transport.class, FILTER).isEmpty());
				await("the relay client's threads to end", WAIT, RelayComponentInOsgiTest::noRelayThreads);
				whileStopped = a.node.send(circle, ChatMessage.GENERAL, "while the relay transport was stopped").msgId();
				Thread.sleep(300);
				assertFalse(has(probe, whileStopped));
			} finally {
				host.start();
			}
			Transport back = service(ctx, Transport.class, FILTER);
			a.attachTransport(back);
			await("the message stored meanwhile on the relay", WAIT, () -> has(probe, whileStopped));
			assertEquals(List.of(new Endpoint("relay", Endpoint.Kind.RELAY, relay.url())), a.context[0].endpoints());
		} finally {
			config.delete();
		}
	}

	private static boolean has(RelayProbe probe, String msgId) {
		try {
			return probe.messageIds().contains(msgId);
		} catch (Exception e) {
			return false;
		}
	}

	private static boolean noRelayThreads() {
		return Thread.getAllStackTraces().keySet().stream()
				.noneMatch(t -> t.isAlive() && t.getName().startsWith(RelaySession.THREAD_PREFIX));
	}
}
