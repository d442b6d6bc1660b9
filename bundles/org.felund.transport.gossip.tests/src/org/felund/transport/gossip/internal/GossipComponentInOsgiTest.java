package org.felund.transport.gossip.internal;

import static org.felund.transport.gossip.GossipTestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.felund.api.transport.Endpoint;
import org.felund.api.transport.Transport;
import org.felund.core.node.Node;
import org.felund.core.node.NodeOptions;
import org.felund.store.sqlite.SqliteNodeStore;
import org.felund.testsupport.ForwardingContext;
import org.felund.transport.gossip.GossipOptions;
import org.felund.transport.gossip.GossipTestNode;
import org.felund.testsupport.OsgiComponents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.metatype.AttributeDefinition;

/**
 * The gossip component under the real Felix SCR, Configuration Admin and Metatype: what the metatype describes is
 * what the component reads, a configuration change reaches the running transport, and stopping the bundle takes the
 * service and every thread away (starting it again brings the service back with its configuration).
 */
class GossipComponentInOsgiTest {
	private static final Duration WAIT = Duration.ofSeconds(10);
	private static final String FILTER = "(transport.id=gossip)";

	@TempDir
	Path tmp;

	private final Bundle host = FrameworkUtil.getBundle(GossipTransportComponent.class);

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
		OsgiComponents.Metatype metatype = OsgiComponents.metatype(ctx, host, GossipConfig.PID, WAIT);
		assertEquals(new TreeSet<>(List.of(GossipConfig.ENABLED, GossipConfig.BIND_HOST, GossipConfig.PORT,
				GossipConfig.ADVERTISED_HOST, GossipConfig.INTERVAL, GossipConfig.FAN_OUT,
				GossipConfig.ALLOW_LEGACY_PLAINTEXT, GossipConfig.EXTENSIONS)), metatype.ids());
		// The defaults the settings page shows are the ones the component runs with.
		GossipConfig.Settings fromMetatype = GossipConfig.parse(metatype.defaults(), k -> null);
		assertTrue(fromMetatype.enabled());
		assertEquals(GossipOptions.defaults(), fromMetatype.options());
		// What the CLI and the page check before writing agrees with the component's own limits.
		AttributeDefinition port = metatype.attribute(GossipConfig.PORT);
		assertEquals("", port.validate("0"));
		assertFalse(port.validate("70000").isEmpty());
	}

	@Test
	void aConfigurationChangeReachesTheRunningTransportAndABundleStopTakesEverythingAway() throws Exception {
		BundleContext ctx = context();
		ConfigurationAdmin admin = service(ctx, ConfigurationAdmin.class, null);
		Configuration config = admin.getConfiguration(GossipConfig.PID, "?");
		Hashtable<String, Object> props = new Hashtable<>(Map.of(GossipConfig.BIND_HOST, "127.0.0.1", GossipConfig.PORT, 0));
		config.update(props);
		try (SqliteNodeStore store = SqliteNodeStore.open(tmp, null)) {
			Node node = new Node(GossipTestNode.CRYPTO, store.messages(), store.state(), store.secrets(),
					NodeOptions.oneShot());
			try {
				Transport gossip = service(ctx, Transport.class, FILTER);
				ForwardingContext[] seen = new ForwardingContext[1];
				node.attach(ForwardingContext.wrap(gossip, c -> seen[0] = new ForwardingContext(c, false)));
				await("the configured listener", WAIT, () -> seen[0].endpoints().size() == 1
						&& seen[0].endpoints().get(0).address().startsWith("127.0.0.1:"));
				String prefix = GossipEngine.threadPrefix(node.identity().nodeId());
				assertTrue(threads(prefix) > 0);

				// Configuration Admin delivers the change; the same service now listens as configured.
				props.put(GossipConfig.ADVERTISED_HOST, "chat.example");
				config.update(props);
				await("the new advertised host", WAIT, () -> seen[0].endpoints().size() == 1
						&& seen[0].endpoints().get(0).address().startsWith("chat.example:"));
				assertEquals(1, ctx.getServiceReferences(Transport.class, FILTER).size());

				// The bundle stops: service gone, endpoint withdrawn, threads ended.
				host.stop();
				try {
					assertEquals(List.of(), seen[0].endpoints());
					await("the gossip threads to end", WAIT, () -> threads(prefix) == 0);
					assertTrue(ctx.getServiceReferences(Transport.class, FILTER).isEmpty());
				} finally {
					host.start();
				}
				// Started again: the service is back, with the configuration it had.
				Transport back = service(ctx, Transport.class, FILTER);
				node.attach(ForwardingContext.wrap(back, c -> seen[0] = new ForwardingContext(c, false)));
				await("the endpoint again", WAIT, () -> seen[0].endpoints().size() == 1
						&& seen[0].endpoints().get(0).address().startsWith("chat.example:"));
				assertEquals(Endpoint.Kind.DIRECT, seen[0].endpoints().get(0).kind());
			} finally {
				node.close();
			}
		} finally {
			config.delete();
		}
	}

	private static long threads(String prefix) {
		return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().startsWith(prefix))
				.count();
	}
}
