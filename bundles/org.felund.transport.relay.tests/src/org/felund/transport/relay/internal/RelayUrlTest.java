package org.felund.transport.relay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RelayUrlTest {
	@Test
	void apiPathsFollowTheWebClientRule() {
		assertEquals("http://127.0.0.1:8787/v1/messages", RelayUrl.parse("http://127.0.0.1:8787").api("messages", null)
				.toString());
		assertEquals("https://host/api/v1/register", RelayUrl.parse(" https://host/api/ ").api("register", "").toString());
		// A base that already ends in /v1 does not get a second one (Python would send /v1/v1/...).
		assertEquals("https://host/api/v1/peers?circle_hint=x&limit=50",
				RelayUrl.parse("https://host/api/v1/").api("peers", "circle_hint=x&limit=50").toString());
		assertEquals("http://host/v1/health", RelayUrl.parse("HTTP://host").api("health", null).toString());
	}

	@Test
	void webSocketSwapsTheSchemeAndEncodesTheQuery() {
		assertEquals("ws://127.0.0.1:8787/v1/relay/ws?circle_hint=e03c84dccc271635&node_id=a+b%26c",
				RelayUrl.parse("http://127.0.0.1:8787").webSocket("e03c84dccc271635", "a b&c").toString());
		assertEquals("wss://relay.example.org/x/v1/relay/ws?circle_hint=h&node_id=n",
				RelayUrl.parse("https://relay.example.org/x/v1").webSocket("h", "n").toString());
	}

	@Test
	void badUrlsAreRefusedWithAReadableReason() {
		assertTrue(assertThrows(IllegalArgumentException.class, () -> RelayUrl.parse("ftp://host")).getMessage()
				.contains("http://"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> RelayUrl.parse("relay.example.org")).getMessage()
				.contains("http://"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> RelayUrl.parse("http://")).getMessage()
				.contains("host"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> RelayUrl.parse("http://h/?a=b")).getMessage()
				.contains("query"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> RelayUrl.parse("http://h o/")).getMessage()
				.contains("not a valid URL"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> RelayUrl.parse("  ")).getMessage()
				.contains("empty"));
	}
}
