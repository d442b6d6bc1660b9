package org.felund.core.node;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.Locale;
import java.util.Optional;

import org.felund.api.node.NodeIdentity;
import org.felund.api.store.CircleStore;
import org.felund.protocol.invite.InviteCodes;

/**
 * The gossip address, relay URL and anchor offer as API 0.1 kept them in the node's settings, for the deprecated
 * {@code NodeIdentity} components and {@code NodeService.configure} only. Transports own their settings now
 * (Configuration Admin); this goes away with those deprecated members, and only the one-time migration of old
 * homes reads these keys afterwards.
 */
@Deprecated(forRemoval = true)
@SuppressWarnings("removal")
final class LegacyTransportSettings {
	private static final String DEFAULT_BIND = "0.0.0.0";
	private static final int DEFAULT_PORT = 9999;

	private final CircleStore state;

	LegacyTransportSettings(CircleStore state) {
		this.state = state;
	}

	NodeIdentity identity(String nodeId, String displayName) {
		return new NodeIdentity(nodeId, displayName, bindHost(), port(), relayUrl(), canAnchor());
	}

	/** Validates the transport fields of {@code identity}; then stores them. @return whether the address changed */
	boolean store(NodeIdentity identity) {
		String bind = validBindHost(identity.bindHost());
		int port = validPort(identity.port());
		String relay = validRelayUrl(identity.relayUrl());
		boolean addressChanged = !bind.equals(bindHost()) || port != port();
		state.putSetting(NodeSettings.BIND_HOST, bind);
		state.putSetting(NodeSettings.PORT, Integer.toString(port));
		state.putSetting(NodeSettings.RELAY_URL, relay);
		state.putSetting(NodeSettings.CAN_ANCHOR, Boolean.toString(identity.canAnchor()));
		return addressChanged;
	}

	/** Checks without storing, so that a bad value leaves everything unchanged. */
	static void check(NodeIdentity identity) {
		validBindHost(identity.bindHost());
		validPort(identity.port());
		validRelayUrl(identity.relayUrl());
	}

	/**
	 * The gossip address as API 0.1 derived it, for invite codes while no transport advertises or configures one
	 * (transports that predate {@code Transport.configuredEndpoints}) and the home has such settings: the bind host, or for a wildcard bind the
	 * first site-local IPv4 address of an interface that is up (else 127.0.0.1), and the port.
	 */
	Optional<String> address() {
		if (setting(NodeSettings.PORT).isEmpty() && setting(NodeSettings.BIND_HOST).isEmpty()) {
			return Optional.empty();
		}
		String bind = bindHost();
		boolean wildcard = bind.isEmpty() || "0.0.0.0".equals(bind) || "::".equals(bind)
				|| "0:0:0:0:0:0:0:0".equals(bind);
		return Optional.of(new InviteCodes.HostPort(wildcard ? lanAddress() : bind, port()).address());
	}

	boolean canAnchor() {
		return setting(NodeSettings.CAN_ANCHOR).map(Boolean::parseBoolean).orElse(false);
	}

	private String bindHost() {
		return setting(NodeSettings.BIND_HOST).orElse(DEFAULT_BIND);
	}

	private int port() {
		try {
			return setting(NodeSettings.PORT).map(Integer::parseInt).orElse(DEFAULT_PORT);
		} catch (NumberFormatException e) {
			return DEFAULT_PORT;
		}
	}

	private String relayUrl() {
		return setting(NodeSettings.RELAY_URL).orElse("");
	}

	private Optional<String> setting(String key) {
		return state.setting(key).filter(v -> !v.isBlank());
	}

	private static String validBindHost(String bind) {
		String b = bind == null ? "" : bind.strip();
		if (b.isEmpty()) {
			throw new IllegalArgumentException("The bind host is empty (use 0.0.0.0 for all interfaces)");
		}
		if (b.chars().anyMatch(c -> Character.isWhitespace(c) || c == '/' || c == '@')) {
			throw new IllegalArgumentException("The bind host '" + b + "' is not a host name or address");
		}
		if (b.startsWith("[") && b.endsWith("]")) {
			b = b.substring(1, b.length() - 1);
		}
		return b;
	}

	private static int validPort(int port) {
		if (port < 1 || port > 65535) {
			throw new IllegalArgumentException("The port must be 1..65535, got " + port);
		}
		return port;
	}

	private static String validRelayUrl(String url) {
		String u = url == null ? "" : url.strip();
		if (u.isEmpty()) {
			return "";
		}
		String lower = u.toLowerCase(Locale.ROOT);
		if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
			throw new IllegalArgumentException("The relay URL must start with http:// or https://: " + u);
		}
		try {
			URI uri = new URI(u);
			if (uri.getHost() == null || uri.getHost().isEmpty()) {
				throw new IllegalArgumentException("The relay URL has no host: " + u);
			}
		} catch (URISyntaxException e) {
			throw new IllegalArgumentException("The relay URL is not valid: " + e.getMessage(), e);
		}
		while (u.endsWith("/")) {
			u = u.substring(0, u.length() - 1);
		}
		return u;
	}

	private static String lanAddress() {
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
			// no interfaces to list: loopback below
		}
		return fallback != null ? fallback : "127.0.0.1";
	}
}
