package org.felund.transport.gossip.internal;

import static org.felund.transport.gossip.GossipTestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.felund.api.transport.Endpoint;
import org.felund.api.transport.Transport;
import org.felund.core.node.Node;
import org.felund.core.node.NodeOptions;
import org.felund.store.sqlite.SqliteNodeStore;
import org.felund.transport.gossip.ForwardingContext;
import org.felund.transport.gossip.GossipOptions;
import org.felund.transport.gossip.GossipTestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

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

	private BundleContext context() throws Exception {
		BundleContext ctx = host.getBundleContext();
		if (ctx == null) {
			host.start();
			ctx = host.getBundleContext();
		}
		for (String required : List.of("org.apache.felix.scr", "org.apache.felix.configadmin",
				"org.apache.felix.metatype")) {
			Bundle b = Arrays.stream(ctx.getBundles()).filter(x -> x.getSymbolicName().equals(required)).findFirst()
					.orElseThrow(() -> new AssertionError(required + " is not in the test framework"));
			if (b.getState() != Bundle.ACTIVE) {
				b.start();
			}
		}
		// The system bundle's context: it stays valid while the host bundle is stopped.
		return ctx.getBundle(0).getBundleContext();
	}

	private static <S> S service(BundleContext ctx, Class<S> type, String filter) throws Exception {
		long end = System.nanoTime() + WAIT.toNanos();
		while (System.nanoTime() < end) {
			var refs = ctx.getServiceReferences(type, filter);
			if (!refs.isEmpty()) {
				S s = ctx.getService(refs.iterator().next());
				if (s != null) {
					return s;
				}
			}
			Thread.sleep(20);
		}
		throw new AssertionError("No " + type.getSimpleName() + " " + (filter == null ? "" : filter));
	}

	@Test
	void theMetatypeDescribesExactlyWhatTheComponentReadsWithItsDefaults() throws Exception {
		BundleContext ctx = context();
		MetaTypeService metatype = service(ctx, MetaTypeService.class, null);
		ObjectClassDefinition ocd = metatype.getMetaTypeInformation(host).getObjectClassDefinition(GossipConfig.PID,
				null);
		assertNotNull(ocd, "the metatype of " + GossipConfig.PID);
		Set<String> ids = new TreeSet<>();
		Map<String, Object> defaults = new HashMap<>();
		for (AttributeDefinition ad : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
			ids.add(ad.getID());
			assertFalse(ad.getName().isBlank() || ad.getDescription().isBlank(), ad.getID() + " needs a label and help");
			if (ad.getDefaultValue() != null) {
				defaults.put(ad.getID(), ad.getDefaultValue()[0]);
			}
		}
		assertEquals(new TreeSet<>(List.of(GossipConfig.ENABLED, GossipConfig.BIND_HOST, GossipConfig.PORT,
				GossipConfig.ADVERTISED_HOST, GossipConfig.INTERVAL, GossipConfig.FAN_OUT,
				GossipConfig.ALLOW_LEGACY_PLAINTEXT, GossipConfig.EXTENSIONS)), ids);
		// The defaults the settings page shows are the ones the component runs with.
		GossipConfig.Settings fromMetatype = GossipConfig.parse(defaults, k -> null);
		assertTrue(fromMetatype.enabled());
		assertEquals(GossipOptions.defaults(), fromMetatype.options());
		// What the CLI and the page check before writing agrees with the component's own limits.
		AttributeDefinition port = Arrays.stream(ocd.getAttributeDefinitions(ObjectClassDefinition.ALL))
				.filter(a -> a.getID().equals(GossipConfig.PORT)).findFirst().orElseThrow();
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
