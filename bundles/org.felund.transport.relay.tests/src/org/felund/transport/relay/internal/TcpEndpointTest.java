package org.felund.transport.relay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.felund.protocol.wire.Json;
import org.junit.jupiter.api.Test;

class TcpEndpointTest {
	@Test
	void parsesHostPortBracketedIpv6AndRelayObservedHost() {
		assertEquals(new TcpEndpoint("10.0.0.2", 9999), TcpEndpoint.parse("10.0.0.2:9999"));
		assertEquals(new TcpEndpoint("::1", 9001), TcpEndpoint.parse("[::1]:9001"));
		TcpEndpoint observed = TcpEndpoint.parse(":9999");
		assertTrue(observed.hostFromRelay());
		assertEquals("203.0.113.7:9999", observed.withHost("203.0.113.7").address());
		assertEquals("[fe80::1]:9999", new TcpEndpoint("fe80::1", 9999).address());
		assertEquals("ipv6", new TcpEndpoint("fe80::1", 9999).family());
		assertEquals("ipv4", new TcpEndpoint("node.example.org", 1).family());
		assertEquals(":9999", TcpEndpoint.format("", 9999));
		assertEquals("[::1]:1", TcpEndpoint.format("::1", 1));
	}

	@Test
	void refusesWhatADialerCouldNotUse() {
		assertThrows(IllegalArgumentException.class, () -> TcpEndpoint.parse("host"));
		assertThrows(IllegalArgumentException.class, () -> TcpEndpoint.parse("host:0"));
		assertThrows(IllegalArgumentException.class, () -> TcpEndpoint.parse("host:65536"));
		assertThrows(IllegalArgumentException.class, () -> TcpEndpoint.parse("host:http"));
		assertThrows(IllegalArgumentException.class, () -> TcpEndpoint.parse("::1:9999"));
		assertThrows(IllegalArgumentException.class, () -> TcpEndpoint.parse("a b:1"));
		assertThrows(IllegalArgumentException.class, () -> TcpEndpoint.parse("http://x/:1"));
		assertFalse(TcpEndpoint.isPlausibleHost("x".repeat(256)));
	}

	@Test
	void peersKeepTheFirstUsableTcpEndpointLikeThePythonClient() {
		var endpoints = Json.parse("""
				[{"transport":"ws","host":"web.example","port":443},
				 {"transport":"tcp","host":"","port":9999},
				 {"transport":"tcp","host":"bad host","port":9999},
				 {"transport":"tcp","host":"10.0.0.5","port":0},
				 {"transport":"tcp","host":"10.0.0.6","port":"9999"},
				 {"transport":"tcp","host":"10.0.0.7","port":9007},
				 {"transport":"tcp","host":"10.0.0.8","port":9008}]""");
		assertEquals(new TcpEndpoint("10.0.0.7", 9007), RelayPresence.firstTcpEndpoint(endpoints));
		assertNull(RelayPresence.firstTcpEndpoint(Json.parse("[{\"transport\":\"ws\",\"host\":\"h\",\"port\":1}]")));
		assertNull(RelayPresence.firstTcpEndpoint(Json.parse("{}")));
	}

	@Test
	void onlyAddressesOtherNetworksCannotReachCountAsLocal() {
		for (String local : new String[] { "127.0.0.1", "::1", "10.1.2.3", "172.16.0.9", "192.168.1.20", "169.254.0.5",
				"fe80::1", "fd12::1", "100.64.0.1", "0.0.0.0", "localhost" }) {
			assertTrue(TcpEndpoint.isLocalOnly(local), local);
		}
		for (String reachable : new String[] { "203.0.113.5", "8.8.8.8", "2001:db8::1", "172.32.0.1", "100.128.0.1",
				"node.example.org" }) {
			assertFalse(TcpEndpoint.isLocalOnly(reachable), reachable);
		}
	}

	@Test
	void presenceTakesTheFirstDirectEndpointThatTheNodesTransportsAdvertise() {
		org.felund.testsupport.ForwardingContext context = new org.felund.testsupport.ForwardingContext(null, false);
		assertNull(RelayPresence.directEndpoint(context));
		context.advertise("relay", java.util.List.of(new org.felund.api.transport.Endpoint("relay",
				org.felund.api.transport.Endpoint.Kind.RELAY, "https://relay.example.org")));
		assertNull(RelayPresence.directEndpoint(context), "a relay URL is no TCP endpoint");
		context.advertise("gossip", java.util.List.of(
				new org.felund.api.transport.Endpoint("gossip", org.felund.api.transport.Endpoint.Kind.DIRECT, "[fd00::7]:9001"),
				new org.felund.api.transport.Endpoint("gossip", org.felund.api.transport.Endpoint.Kind.DIRECT, "10.0.0.2:9002")));
		assertEquals(new TcpEndpoint("fd00::7", 9001), RelayPresence.directEndpoint(context));
		context.advertise("gossip", java.util.List.of());
		assertNull(RelayPresence.directEndpoint(context), "withdrawn with the transport");
	}
}
