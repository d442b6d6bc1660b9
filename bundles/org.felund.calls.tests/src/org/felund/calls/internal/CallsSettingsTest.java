package org.felund.calls.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.felund.calls.CallsOptions;
import org.felund.webrtc.IceServer;
import org.felund.webrtc.IceSettings;
import org.junit.jupiter.api.Test;

/**
 * The calls plugin's settings: its ICE keys read by the shared WebRTC layer's rules (as the DataChannel transport reads
 * its own), framework properties as the fallback, and a clear error naming the key for every unusable value.
 */
class CallsSettingsTest {
	private static CallsOptions read(Map<String, Object> config, Map<String, String> framework) {
		return CallsSettings.options(config::get, framework::get);
	}

	@Test
	void iceServersGetTheTurnCredentialsOnlyWhereTheyAreTurn() {
		CallsOptions o = read(Map.of("ice.servers", new String[] { "stun:stun.example:3478", "turn:turn.example?transport=udp" },
				"ice.username", "felund", "ice.credential", "s3cret", "ice.port.min", 50000, "ice.port.max", "50100"),
				Map.of());
		IceSettings ice = o.ice();
		assertEquals(List.of(IceServer.stun("stun:stun.example:3478"),
				new IceServer("turn:turn.example?transport=udp", "felund", "s3cret")), ice.servers());
		assertEquals(50000, ice.minPort());
		assertEquals(50100, ice.maxPort());
		assertEquals(false, ice.loopback());
	}

	@Test
	void frameworkPropertiesFillWhatTheConfigurationLeavesOut() {
		CallsOptions o = read(Map.of("ice.loopback", true), Map.of("felund.calls.ice.servers",
				"stun:a.example, stun:b.example", "felund.calls.ice.loopback", "false"));
		assertEquals(2, o.ice().servers().size());
		assertTrue(o.ice().loopback(), "the configuration wins over the framework property");
		assertEquals(IceSettings.hostOnly(), read(Map.of(), Map.of()).ice(), "nothing set: host candidates only");
	}

	@Test
	void unusableValuesNameTheirKey() {
		assertMessage("ice.servers: The TURN server turn:t.example needs a user name and a credential",
				Map.of("ice.servers", "turn:t.example"));
		assertMessage("ice.servers: An ICE server URL must start with stun:, stuns:, turn: or turns:, got 'http://x'",
				Map.of("ice.servers", "http://x"));
		assertMessage("ice.port.min/ice.port.max: Give both ends of the ICE port range, or neither; got 50000..0",
				Map.of("ice.port.min", "50000"));
		assertMessage("ice.port.max must be an integer, got 'many'", Map.of("ice.port.max", "many"));
		assertMessage("ice.loopback must be true or false, got 'yes'", Map.of("ice.loopback", "yes"));
		assertMessage("audio.devices must be system or virtual, got 'alsa'", Map.of("audio.devices", "alsa"));
	}

	private static void assertMessage(String expected, Map<String, Object> config) {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(config, Map.of()));
		assertEquals(expected, e.getMessage());
	}
}
