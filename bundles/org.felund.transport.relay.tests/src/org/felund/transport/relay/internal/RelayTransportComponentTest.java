package org.felund.transport.relay.internal;

import static org.felund.transport.relay.RelayTestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.felund.api.transport.Endpoint;
import org.felund.api.transport.TransportState.Mode;
import org.felund.relay.server.SignaturePolicy;
import org.felund.transport.relay.RelayOptions;
import org.felund.transport.relay.RelayTestNode;
import org.felund.transport.relay.TestRelay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RelayTransportComponentTest {
	private static final Duration WAIT = Duration.ofSeconds(15);

	@TempDir
	Path tmp;

	private static RelayConfig.Settings parse(Map<String, ?> config) {
		return RelayConfig.parse(config, key -> null);
	}

	@Test
	void withoutConfigurationThereIsNoRelayAndTheWebClientsCadence() {
		RelayConfig.Settings s = parse(Map.of());
		assertTrue(s.enabled());
		assertEquals(RelayOptions.defaults(), s.options());
	}

	@Test
	void everyKeySetsItsOptionAndFrameworkPropertiesOverrideSingleKeys() {
		for (Map<String, ?> config : List.of(
				Map.of("enabled", false, "urls", new String[] { "https://relay.example.org", "http://127.0.0.1:8787/" },
						"pollInterval", 8, "webSocket", false, "service.pid", "org.felund.transport.relay"),
				Map.of("enabled", "false", "urls", " https://relay.example.org, http://127.0.0.1:8787 ", "pollInterval",
						"8", "webSocket", "false"),
				Map.of("enabled", false, "urls", List.of("https://relay.example.org", "http://127.0.0.1:8787"),
						"pollInterval", 8L, "webSocket", false))) {
			RelayConfig.Settings s = parse(config);
			assertFalse(s.enabled());
			assertEquals(List.of("https://relay.example.org", "http://127.0.0.1:8787"), s.options().urls());
			assertEquals(Duration.ofSeconds(8), s.options().pollInterval());
			assertFalse(s.options().webSocket());
		}
		RelayConfig.Settings overridden = RelayConfig.parse(Map.of("urls", "https://a.example", "pollInterval", 8),
				Map.of("felund.relay.url", "http://127.0.0.1:9", "felund.relay.poll", "2", "felund.relay.ws", "false",
						"felund.relay.enabled", "true")::get);
		assertTrue(overridden.enabled());
		assertEquals(List.of("http://127.0.0.1:9"), overridden.options().urls());
		assertEquals(Duration.ofSeconds(2), overridden.options().pollInterval());
		assertFalse(overridden.options().webSocket());
	}

	@Test
	void configuredRelaysAreEndpointsEvenWhileDetached() {
		RelayTransportComponent two = RelayTransportComponent.create(Map.of(),
				Map.of("urls", new String[] { "https://relay.example/", "http://127.0.0.1:8787" }));
		assertEquals(List.of(new Endpoint("relay", Endpoint.Kind.RELAY, "https://relay.example"),
				new Endpoint("relay", Endpoint.Kind.RELAY, "http://127.0.0.1:8787")), two.configuredEndpoints());
		assertEquals(List.of(), RelayTransportComponent.create(Map.of(), Map.of()).configuredEndpoints(),
				"no relay configured");
		assertEquals(List.of(), RelayTransportComponent
				.create(Map.of(), Map.of("enabled", false, "urls", "https://relay.example")).configuredEndpoints(),
				"switched off");
		assertEquals(List.of(), RelayTransportComponent.create(Map.of(), Map.of("urls", "ftp://nope")).configuredEndpoints(),
				"a refused configuration advertises nothing");
	}

	@Test
	void badValuesAreRefusedNamingTheKeyAndTheValue() {
		assertRefused(Map.of("urls", "relay.example.org"), "Relay setting urls = 'relay.example.org'");
		assertRefused(Map.of("urls", new String[] { "http://ok.example", "ws://relay.example.org" }),
				"Relay setting urls = 'ws://relay.example.org'");
		assertRefused(Map.of("pollInterval", "soon"), "Relay setting pollInterval = 'soon'");
		assertRefused(Map.of("pollInterval", 0), "Relay setting pollInterval = '0'");
		assertRefused(Map.of("webSocket", "maybe"), "Relay setting webSocket = 'maybe'");
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> RelayConfig.parse(Map.of(), Map.of("felund.relay.poll", "x")::get));
		assertTrue(e.getMessage().startsWith("Framework property felund.relay.poll = 'x'"), e.getMessage());
	}

	private static void assertRefused(Map<String, ?> config, String start) {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(config));
		assertTrue(e.getMessage().startsWith(start), e.getMessage());
	}

	@Test
	void configurationChangesApplyToTheRunningNodeAndDetachLeavesNothingBehind() throws Exception {
		int threadsBefore = relayThreads();
		try (TestRelay relay = new TestRelay(tmp.resolve("relay.db"), SignaturePolicy.STRICT, Duration.ofSeconds(15))
				.start(); RelayTestNode a = RelayTestNode.create(tmp.resolve("a"))) {
			String circle = a.node.createCircle("club").circle().circleId();
			Map<String, Object> config = new HashMap<>();
			RelayTransportComponent component = RelayTransportComponent.create(Map.of(), config);
			a.attachTransport(component);
			await("no relay to be reported", WAIT, () -> "relay: none".equals(component.state().label()));
			assertEquals(Mode.OFFLINE, component.state().mode());
			assertEquals(List.of(), a.context[0].endpoints());

			// A relay is configured while attached: the same service now uses it and advertises it.
			config.put("urls", new String[] { relay.url() });
			config.put("pollInterval", 1);
			component.modified(config);
			await("the configured relay to answer", WAIT, () -> component.state().mode() != Mode.OFFLINE);
			assertTrue(component.state().label().equals("relay: polling") || component.state().label().equals("relay: live"),
					component.state().label());
			assertEquals(List.of(new Endpoint("relay", Endpoint.Kind.RELAY, relay.url())), a.context[0].endpoints());
			String sent = a.node.send(circle, "general", "through the relay").msgId();
			await("the message to reach the relay", WAIT, () -> component.running().stats().pushedMessages() >= 1);

			// A URL the transport cannot use: refused with key and value, the old relay left cleanly.
			config.put("urls", "relay.example.org");
			component.modified(config);
			assertEquals("relay: error", component.state().label());
			assertTrue(component.state().detail().contains("urls = 'relay.example.org'"), component.state().detail());
			assertEquals(List.of(), a.context[0].endpoints());

			// Switched off: nothing runs.
			config.put("urls", relay.url());
			config.put("enabled", false);
			component.modified(config);
			assertEquals("relay: off", component.state().label());
			await("no relay threads while switched off", WAIT, () -> relayThreads() == threadsBefore);

			// Messages stored while it was off go out when it comes back (the push cursor was kept).
			String whileOff = a.node.send(circle, "general", "stored while the relay was off").msgId();
			config.put("enabled", true);
			component.modified(config);
			await("the message stored meanwhile to be pushed", WAIT,
					() -> component.running().stats().pushedMessages() >= 1 && relayHas(relay, a, circle, whileOff));
			assertTrue(relayHas(relay, a, circle, sent));

			a.detachRelay();
			assertEquals(List.of(), a.context[0].endpoints(), "detach withdraws the RELAY endpoint");
			await("every relay thread to end", WAIT, () -> relayThreads() == threadsBefore);
		}
	}

	private static boolean relayHas(TestRelay relay, RelayTestNode node, String circle, String msgId) {
		try {
			return new org.felund.transport.relay.RelayProbe(relay.url(),
					node.node.context().circle(circle).orElseThrow().crypto()).messageIds().contains(msgId);
		} catch (Exception e) {
			return false;
		}
	}

	static int relayThreads() {
		return (int) Thread.getAllStackTraces().keySet().stream()
				.filter(t -> t.isAlive() && t.getName().startsWith(RelaySession.THREAD_PREFIX)).count();
	}
}
