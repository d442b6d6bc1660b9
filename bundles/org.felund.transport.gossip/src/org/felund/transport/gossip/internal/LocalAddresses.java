package org.felund.transport.gossip.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;

/** Which address of this machine peers on the network can dial, for a server bound to a wildcard address. */
final class LocalAddresses {
	private LocalAddresses() {
	}

	/** A site-local IPv4 address of an interface that is up, else any non-loopback IPv4, else 127.0.0.1. */
	static String lanAddress() {
		String fallback = null;
		try {
			for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
				if (!nif.isUp() || nif.isLoopback() || nif.isVirtual()) {
					continue;
				}
				for (InetAddress a : Collections.list(nif.getInetAddresses())) {
					if (!(a instanceof Inet4Address) || a.isLoopbackAddress() || a.isLinkLocalAddress()) {
						continue;
					}
					if (a.isSiteLocalAddress()) {
						return a.getHostAddress();
					}
					if (fallback == null) {
						fallback = a.getHostAddress();
					}
				}
			}
		} catch (SocketException e) {
			// No interface list: loopback is all we can offer.
		}
		return fallback != null ? fallback : "127.0.0.1";
	}

	static boolean isWildcard(String host) {
		return host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
	}

	/** {@code host:port}, with an IPv6 literal in brackets so that the port is unambiguous. */
	static String hostPort(String host, int port) {
		int zone = host.indexOf('%');
		String h = zone > 0 ? host.substring(0, zone) : host;
		return (h.contains(":") ? "[" + h + "]" : h) + ":" + port;
	}
}
