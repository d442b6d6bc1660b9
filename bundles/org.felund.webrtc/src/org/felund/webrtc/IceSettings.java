package org.felund.webrtc;

import java.util.List;
import java.util.Objects;

/**
 * How peer connections find a path: STUN/TURN servers, the local UDP port range, and the loopback workaround.
 * <p>
 * <b>Loopback.</b> webrtc-java 0.14.0 never lets libwebrtc use the loopback interface (its default network ignore
 * mask), so two peers on one machine without another interface, or in a loopback-only network namespace, find no
 * candidates at all. With {@code loopback} set, every peer connection disables adapter enumeration, binds one fixed
 * UDP port (libwebrtc then listens on {@code 0.0.0.0:port}) and announces exactly one hand-made host candidate
 * {@code 127.0.0.1:port}; libwebrtc's own candidates (labelled with the default-route address) are never sent. Use it
 * for peers on the same machine only.
 *
 * @param servers STUN and TURN servers, in order (none: host candidates only)
 * @param minPort lowest local UDP port for ICE, or 0 for any
 * @param maxPort highest local UDP port for ICE, or 0 for any
 * @param loopback use the loopback workaround described above
 */
public record IceSettings(List<IceServer> servers, int minPort, int maxPort, boolean loopback) {
	public IceSettings {
		servers = List.copyOf(Objects.requireNonNull(servers, "servers"));
		if (minPort < 0 || minPort > 65535 || maxPort < 0 || maxPort > 65535) {
			throw new IllegalArgumentException("ICE ports must be 0..65535, got " + minPort + ".." + maxPort);
		}
		if ((minPort == 0) != (maxPort == 0)) {
			throw new IllegalArgumentException("Give both ends of the ICE port range, or neither; got " + minPort
					+ ".." + maxPort);
		}
		if (minPort > maxPort) {
			throw new IllegalArgumentException("The ICE port range " + minPort + ".." + maxPort + " is empty");
		}
	}

	/** Host candidates only, any port. */
	public static IceSettings hostOnly() {
		return new IceSettings(List.of(), 0, 0, false);
	}

	/** The loopback workaround, for peers on this machine. */
	public static IceSettings loopbackOnly() {
		return new IceSettings(List.of(), 0, 0, true);
	}

	public IceSettings withServers(List<IceServer> newServers) {
		return new IceSettings(newServers, minPort, maxPort, loopback);
	}

	public IceSettings withPorts(int min, int max) {
		return new IceSettings(servers, min, max, loopback);
	}

	public IceSettings withLoopback(boolean on) {
		return new IceSettings(servers, minPort, maxPort, on);
	}

	public boolean hasPortRange() {
		return minPort > 0;
	}
}
