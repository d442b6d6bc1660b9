package org.felund.node.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.felund.anchor.RankedAnchorPolicy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkUtil;

/** The CLI's view of Configuration Admin and Metatype, over the real Felix services in this framework. */
class OsgiConfigurationsTest {
	private static BundleContext context;

	@BeforeAll
	static void startConfigurationAdminAndMetatype() throws BundleException {
		context = FrameworkUtil.getBundle(OsgiConfigurationsTest.class).getBundleContext();
		// The anchor bundle is here for its metatype (OSGI-INF/metatype/anchor.xml).
		assertTrue(FrameworkUtil.getBundle(RankedAnchorPolicy.class) != null);
		for (Bundle b : context.getBundles()) {
			String name = b.getSymbolicName();
			if (name.equals("org.apache.felix.configadmin") || name.equals("org.apache.felix.metatype")) {
				b.start();
			}
		}
	}

	@Test
	void readsThePluginsDescriptionAndWritesTypedValues() {
		try (OsgiConfigurations configurations = new OsgiConfigurations(context)) {
			var anchor = configurations.describe(NodeCli.ANCHOR_PID).orElseThrow();
			assertEquals("Anchor", anchor.name());
			var offer = anchor.setting("offer").orElseThrow();
			assertEquals(Configurations.Type.BOOLEAN, offer.type());
			assertEquals(java.util.List.of("false"), offer.defaults());
			assertTrue(configurations.pids().contains(NodeCli.ANCHOR_PID));
			assertTrue(configurations.describe("org.example.nope").isEmpty());

			ConfigCommand command = new ConfigCommand(configurations, System.out);
			assertEquals(Boolean.TRUE, command.set(NodeCli.ANCHOR_PID, "offer", "true", "anchor policy"));
			assertEquals(Map.of("offer", true), configurations.values(NodeCli.ANCHOR_PID));
			configurations.replace(NodeCli.ANCHOR_PID, Map.of());
			assertTrue(configurations.values(NodeCli.ANCHOR_PID).isEmpty());
			assertEquals(Boolean.FALSE, command.effective(NodeCli.ANCHOR_PID, "offer"), "the default");
		}
	}
}
