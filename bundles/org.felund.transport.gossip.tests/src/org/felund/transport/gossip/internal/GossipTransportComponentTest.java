package org.felund.transport.gossip.internal;

import static org.felund.transport.gossip.GossipTestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.felund.api.transport.Endpoint;
import org.felund.api.transport.TransportState;
import org.felund.core.node.Node;
import org.felund.core.node.NodeOptions;
import org.felund.store.sqlite.SqliteNodeStore;
import org.felund.testsupport.ForwardingContext;
import org.felund.transport.gossip.GossipOptions;
import org.felund.transport.gossip.GossipTestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GossipTransportComponentTest {
	private static final Duration WAIT = Duration.ofSeconds(10);

	@TempDir
	Path tmp;

	private static GossipConfig.Settings parse(Map<String, ?> config) {
		return GossipConfig.parse(config, key -> null);
	}

	@Test
	void withoutConfigurationTheReferenceDefaultsApplyAndEncryptionIsRequired() {
		GossipConfig.Settings s = parse(Map.of());
		assertTrue(s.enabled());
		GossipOptions o = s.options();
		assertEquals("0.0.0.0", o.bindHost());
		assertEquals(9999, o.port());
		assertEquals("", o.advertisedHost());
		assertEquals(Duration.ofSeconds(5), o.interval());
		assertEquals(5, o.fanOut());
		assertFalse(o.allowLegacyPlaintext());
		assertTrue(o.extensions());
	}

	@Test
	void everyConfigurationKeySetsItsOptionWhateverTypeConfigurationAdminHandsOver() {
		GossipConfig.Settings typed = parse(Map.of("enabled", false, "bindHost", "127.0.0.1", "port", 9100,
				"advertisedHost", "chat.example", "interval", 2, "fanOut", 3, "allowLegacyPlaintext", true, "extensions",
				false, "service.pid", "org.felund.transport.gossip", "component.id", 7L));
		GossipConfig.Settings text = parse(Map.of("enabled", "false", "bindHost", " 127.0.0.1 ", "port", "9100",
				"advertisedHost", "chat.example", "interval", "2", "fanOut", "3", "allowLegacyPlaintext", "TRUE",
				"extensions", "false"));
		for (GossipConfig.Settings s : List.of(typed, text)) {
			assertFalse(s.enabled());
			GossipOptions o = s.options();
			assertEquals("127.0.0.1", o.bindHost());
			assertEquals(9100, o.port());
			assertEquals("chat.example", o.advertisedHost());
			assertEquals(Duration.ofSeconds(2), o.interval());
			assertEquals(3, o.fanOut());
			assertTrue(o.allowLegacyPlaintext());
			assertFalse(o.extensions());
		}
		assertEquals("::1", parse(Map.of("bindHost", "[::1]")).options().bindHost());
	}

	@Test
	void frameworkPropertiesOverrideSingleKeys() {
		Map<String, String> p = Map.of("felund.gossip.port", "9200", "felund.gossip.bind", "127.0.0.2",
				"felund.gossip.interval", "7", "felund.gossip.fanout", "2", "felund.gossip.allowLegacyPlaintext", "true",
				"felund.gossip.extensions", "false", "felund.gossip.advertise", "node.example", "felund.gossip.enabled",
				"false");
		GossipConfig.Settings s = GossipConfig.parse(Map.of("port", 9100, "bindHost", "127.0.0.1", "interval", 3), p::get);
		assertFalse(s.enabled());
		assertEquals(9200, s.options().port());
		assertEquals("127.0.0.2", s.options().bindHost());
		assertEquals("node.example", s.options().advertisedHost());
		assertEquals(Duration.ofSeconds(7), s.options().interval());
		assertEquals(2, s.options().fanOut());
		assertTrue(s.options().allowLegacyPlaintext());
		assertFalse(s.options().extensions());
		// A blank property overrides nothing.
		assertEquals(9100, GossipConfig.parse(Map.of("port", 9100), Map.of("felund.gossip.port", " ")::get).options().port());
	}

	@Test
	void configuredEndpointIsTheAddressPeersWouldDialWithoutListening() {
		assertEquals(List.of(new Endpoint("gossip", Endpoint.Kind.DIRECT, "127.0.0.1:9100")),
				GossipTransportComponent.create(Map.of(), Map.of("bindHost", "127.0.0.1", "port", 9100))
						.configuredEndpoints());
		assertEquals(List.of(new Endpoint("gossip", Endpoint.Kind.DIRECT, "chat.example:9100")),
				GossipTransportComponent
						.create(Map.of(), Map.of("bindHost", "0.0.0.0", "port", 9100, "advertisedHost", "chat.example"))
						.configuredEndpoints(),
				"the advertised host wins over the bind host");
		List<Endpoint> wildcard = GossipTransportComponent.create(Map.of(), Map.of("port", 9100)).configuredEndpoints();
		assertEquals(1, wildcard.size());
		assertTrue(wildcard.get(0).address().endsWith(":9100") && !wildcard.get(0).address().startsWith("0.0.0.0"),
				"a wildcard bind names a concrete address of this machine: " + wildcard);
		assertEquals(List.of(), GossipTransportComponent.create(Map.of(), Map.of("enabled", false, "port", 9100))
				.configuredEndpoints(), "switched off: nothing to dial");
		assertEquals(List.of(),
				GossipTransportComponent.create(Map.of(), Map.of("port", 0)).configuredEndpoints(),
				"an ephemeral port is only known once listening");
		assertEquals(List.of(),
				GossipTransportComponent.create(Map.of(), Map.of("port", "99x")).configuredEndpoints(),
				"a refused configuration advertises nothing");
	}

	@Test
	void badValuesAreRefusedNamingTheKeyAndTheValue() {
		assertRefused(Map.of("port", "99x"), "Gossip setting port", "'99x'");
		assertRefused(Map.of("port", 70000), "Gossip setting port", "'70000'");
		assertRefused(Map.of("port", -1), "Gossip setting port", "'-1'");
		assertRefused(Map.of("interval", 0), "Gossip setting interval", "'0'");
		assertRefused(Map.of("fanOut", 0), "Gossip setting fanOut", "'0'");
		assertRefused(Map.of("enabled", "yes"), "Gossip setting enabled", "'yes'");
		assertRefused(Map.of("bindHost", "127.0.0.1:9999"), "Gossip setting bindHost", "'127.0.0.1:9999'");
		assertRefused(Map.of("advertisedHost", "a b"), "Gossip setting advertisedHost", "'a b'");
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> GossipConfig.parse(Map.of(), Map.of("felund.gossip.port", "ninety")::get));
		assertTrue(e.getMessage().startsWith("Framework property felund.gossip.port = 'ninety'"), e.getMessage());
	}

	private static void assertRefused(Map<String, ?> config, String key, String value) {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(config));
		assertTrue(e.getMessage().startsWith(key + " = " + value), e.getMessage());
	}

	@Test
	void configurationChangesApplyToTheRunningNodeAndDetachLeavesNothingBehind() throws Exception {
		int threadsBefore = gossipThreads();
		try (SqliteNodeStore store = SqliteNodeStore.open(tmp, null)) {
			Node node = new Node(GossipTestNode.CRYPTO, store.messages(), store.state(), store.secrets(),
					NodeOptions.oneShot());
			Map<String, Object> config = new HashMap<>(Map.of("bindHost", "127.0.0.1", "port", 0));
			GossipTransportComponent component = GossipTransportComponent.create(Map.of(), config);
			ForwardingContext[] context = new ForwardingContext[1];
			node.attach(ForwardingContext.wrap(component, c -> context[0] = new ForwardingContext(c, false)));
			try {
				int firstPort = component.running().boundPort();
				assertEquals(List.of(new Endpoint("gossip", Endpoint.Kind.DIRECT, "127.0.0.1:" + firstPort)),
						context[0].endpoints());
				assertEquals("gossip(0)", component.state().label());
				assertTrue(accepts(firstPort));

				// Saved again unchanged, with keys of Configuration Admin's own: the running transport stays.
				org.felund.transport.gossip.GossipTransport running = component.running();
				Map<String, Object> same = new HashMap<>(config);
				same.put("service.pid", GossipConfig.PID);
				component.modified(same);
				assertTrue(running == component.running(), "no restart for an unchanged configuration");

				// A new port: the old listener goes, the new one is advertised, the service never left.
				config.put("port", 0);
				config.put("advertisedHost", "chat.example");
				component.modified(config);
				int secondPort = component.running().boundPort();
				assertNotEquals(firstPort, secondPort);
				assertFalse(accepts(firstPort), "the old port is closed");
				assertEquals(List.of(new Endpoint("gossip", Endpoint.Kind.DIRECT, "chat.example:" + secondPort)),
						context[0].endpoints());

				// Switched off: nothing listens, nothing is advertised, the status line says so.
				config.put("enabled", false);
				component.modified(config);
				assertFalse(accepts(secondPort));
				assertEquals(List.of(), context[0].endpoints());
				assertEquals(TransportState.Mode.OFFLINE, component.state().mode());
				assertEquals("gossip: off", component.state().label());
				await("no gossip threads while switched off", WAIT, () -> gossipThreads() == threadsBefore);
				assertEquals("gossip: off", node.transports().get("gossip").label());

				// A bad value keeps the transport registered, offline, with the key and value in its detail.
				config.put("enabled", true);
				config.put("fanOut", "many");
				component.modified(config);
				assertEquals("gossip: error", component.state().label());
				assertTrue(component.state().detail().contains("fanOut = 'many'"), component.state().detail());

				config.remove("fanOut");
				component.modified(config);
				assertTrue(accepts(component.running().boundPort()));
				assertEquals(1, context[0].endpoints().size());
			} finally {
				node.close();
			}
			assertEquals(List.of(), context[0].endpoints(), "detach withdraws the endpoint");
			assertEquals(null, component.running());
			await("every gossip thread to end", WAIT, () -> gossipThreads() == threadsBefore);
		}
	}

	@Test
	void aTakenPortLeavesTheTransportOfflineWithTheReason() throws Exception {
		try (SqliteNodeStore store = SqliteNodeStore.open(tmp, null);
				java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
						java.net.InetAddress.getByName("127.0.0.1"))) {
			Node node = new Node(GossipTestNode.CRYPTO, store.messages(), store.state(), store.secrets(),
					NodeOptions.oneShot());
			GossipTransportComponent component = GossipTransportComponent.create(Map.of(),
					Map.of("bindHost", "127.0.0.1", "port", taken.getLocalPort()));
			try {
				node.attach(component);
				assertEquals(TransportState.Mode.OFFLINE, component.state().mode());
				assertEquals("gossip: error", component.state().label());
				assertTrue(component.state().detail().contains(":" + taken.getLocalPort()), component.state().detail());

				// Once the port is free, saving the same configuration tries again.
				int port = taken.getLocalPort();
				taken.close();
				component.modified(Map.of("bindHost", "127.0.0.1", "port", port));
				assertEquals("gossip(0)", component.state().label(), component.state().detail());
			} finally {
				node.close();
			}
		}
	}

	private static boolean accepts(int port) {
		try (Socket s = new Socket()) {
			s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
			return true;
		} catch (IOException e) {
			return false;
		}
	}

	static int gossipThreads() {
		return (int) Thread.getAllStackTraces().keySet().stream()
				.filter(t -> t.isAlive() && t.getName().startsWith(GossipEngine.THREAD_PREFIX)).count();
	}
}
