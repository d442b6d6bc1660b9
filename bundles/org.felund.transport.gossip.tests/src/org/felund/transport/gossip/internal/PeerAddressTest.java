package org.felund.transport.gossip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PeerAddressTest {
	@ParameterizedTest
	@CsvSource({ "192.168.1.10:9999,192.168.1.10,9999", "127.0.0.1:1,127.0.0.1,1", "fe80::1:9999,fe80::1,9999",
			"[::1]:9002,::1,9002", "Node-A.example:65535,node-a.example,65535", "' 10.0.0.5:9999 ',10.0.0.5,9999" })
	void acceptsTheAddressFormsTheReferenceWrites(String addr, String host, int port) {
		PeerAddress parsed = PeerAddress.parse(addr).orElseThrow();
		assertEquals(host, parsed.host());
		assertEquals(port, parsed.port());
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "relay", "host", "host:", ":9999", "host:0", "host:65536", "host:99999999999",
			"host:-1", "host:12a", "http://relay.example:80", "ho st:9999", "host\n:9999", "a/b:9999", "[::1:9999",
			"host:+80" })
	void refusesAddressesThatCannotBeDialled(String addr) {
		assertTrue(PeerAddress.parse(addr).isEmpty(), addr);
	}
}
