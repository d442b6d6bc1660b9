package org.felund.transport.webrtc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.felund.transport.webrtc.WebRtcOptions;
import org.felund.webrtc.IceServer;
import org.junit.jupiter.api.Test;

/** Configuration Admin values (as the metatype types them) and framework properties become options. */
class WebRtcSettingsTest {
	private static WebRtcOptions options(Map<String, Object> config, Map<String, String> framework) {
		return WebRtcSettings.options(config::get, framework::get);
	}

	@Test
	void defaultsAreOnWithHostCandidatesAndTheRelayTransportsRelay() {
		WebRtcOptions o = options(Map.of(), Map.of());
		assertTrue(o.enabled());
		assertEquals("", o.relayUrl());
		assertTrue(o.ice().servers().isEmpty());
		assertFalse(o.ice().loopback());
	}

	@Test
	void configuredValuesWinOverFrameworkProperties() {
		Map<String, Object> config = new HashMap<>();
		config.put(WebRtcSettings.ENABLED, Boolean.FALSE);
		config.put(WebRtcSettings.ICE_SERVERS, new String[] { "stun:stun.example.org:3478",
				"turn:turn.example.org:3478?transport=udp" });
		config.put(WebRtcSettings.ICE_USERNAME, "alice");
		config.put(WebRtcSettings.ICE_CREDENTIAL, "s3cret");
		config.put(WebRtcSettings.PORT_MIN, 50000);
		config.put(WebRtcSettings.PORT_MAX, 50100);
		WebRtcOptions o = options(config, Map.of("felund.webrtc.enabled", "true", "felund.webrtc.loopback", "true"));
		assertFalse(o.enabled());
		assertEquals(List.of(IceServer.stun("stun:stun.example.org:3478"),
				new IceServer("turn:turn.example.org:3478?transport=udp", "alice", "s3cret")), o.ice().servers());
		assertEquals(50000, o.ice().minPort());
		assertEquals(50100, o.ice().maxPort());
		assertTrue(o.ice().loopback(), "unset in the configuration: the framework property applies");
		assertFalse(o.ice().servers().get(1).toString().contains("s3cret"), "credentials never appear in logs");
	}

	@Test
	void frameworkPropertiesServeTheHeadlessNode() {
		WebRtcOptions o = options(Map.of(), Map.of("felund.webrtc.relayUrl", "http://10.0.0.1:8787",
				"felund.webrtc.iceServers", "stun:a.example:3478, stun:b.example:3478"));
		assertEquals("http://10.0.0.1:8787", o.relayUrl());
		assertEquals(2, o.ice().servers().size());
	}

	@Test
	void badValuesAreRefusedWithTheKeyNamed() {
		assertTrue(assertThrows(IllegalArgumentException.class,
				() -> options(Map.of(WebRtcSettings.ICE_SERVERS, new String[] { "turn:t.example" }), Map.of()))
				.getMessage().contains("needs a user name and a credential"));
		assertTrue(assertThrows(IllegalArgumentException.class,
				() -> options(Map.of(WebRtcSettings.ICE_SERVERS, new String[] { "http://x" }), Map.of())).getMessage()
				.startsWith(WebRtcSettings.ICE_SERVERS));
		assertTrue(assertThrows(IllegalArgumentException.class,
				() -> options(Map.of(WebRtcSettings.PORT_MIN, 60000, WebRtcSettings.PORT_MAX, 50000), Map.of()))
				.getMessage().contains("is empty"));
		assertTrue(assertThrows(IllegalArgumentException.class,
				() -> options(Map.of(WebRtcSettings.PORT_MIN, 60000), Map.of())).getMessage().contains("both ends"));
		assertTrue(assertThrows(IllegalArgumentException.class,
				() -> options(Map.of(WebRtcSettings.RELAY_URL, "ftp://relay"), Map.of())).getMessage()
				.startsWith(WebRtcSettings.RELAY_URL));
		assertTrue(assertThrows(IllegalArgumentException.class,
				() -> options(Map.of(), Map.of("felund.webrtc.enabled", "maybe"))).getMessage()
				.contains("true or false"));
	}
}
