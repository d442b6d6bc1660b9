package org.felund.webrtc;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import dev.onvoid.webrtc.PortAllocatorConfig;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceServer;

/** Turns {@link IceSettings} into webrtc-java configurations and picks loopback ports. */
final class IceConfigurations {
	private IceConfigurations() {
	}

	static RTCConfiguration build(IceSettings ice, int loopbackPort) {
		RTCConfiguration cfg = new RTCConfiguration();
		List<RTCIceServer> servers = new ArrayList<>();
		for (IceServer s : ice.servers()) {
			RTCIceServer server = new RTCIceServer();
			server.urls = List.of(s.url());
			server.username = s.username();
			server.password = s.credential();
			servers.add(server);
		}
		cfg.iceServers = servers;
		if (ice.loopback()) {
			cfg.portAllocatorConfig.flags = PortAllocatorConfig.PORTALLOCATOR_DISABLE_ADAPTER_ENUMERATION;
			cfg.portAllocatorConfig.minPort = loopbackPort;
			cfg.portAllocatorConfig.maxPort = loopbackPort;
		} else if (ice.hasPortRange()) {
			cfg.portAllocatorConfig.minPort = ice.minPort();
			cfg.portAllocatorConfig.maxPort = ice.maxPort();
		}
		return cfg;
	}

	/**
	 * A UDP port that is free right now (for the loopback workaround, which must name its port in advance): from the
	 * configured range when there is one, else any.
	 *
	 * @throws IOException when no port of the range is free
	 */
	static int freeUdpPort(IceSettings ice) throws IOException {
		if (!ice.hasPortRange()) {
			try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
				return s.getLocalPort();
			}
		}
		int span = ice.maxPort() - ice.minPort() + 1;
		int start = ThreadLocalRandom.current().nextInt(span);
		for (int i = 0; i < span; i++) {
			int port = ice.minPort() + (start + i) % span;
			try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("0.0.0.0", port))) {
				return s.getLocalPort();
			} catch (IOException busy) {
				// Try the next one.
			}
		}
		throw new IOException("No free UDP port in " + ice.minPort() + ".." + ice.maxPort());
	}
}
