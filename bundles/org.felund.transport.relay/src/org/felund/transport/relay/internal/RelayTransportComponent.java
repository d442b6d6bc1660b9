package org.felund.transport.relay.internal;

import java.time.Duration;
import java.util.function.Function;

import org.felund.api.store.CircleStore;
import org.felund.api.transport.Transport;
import org.felund.api.transport.TransportContext;
import org.felund.api.transport.TransportState;
import org.felund.transport.relay.RelayOptions;
import org.felund.transport.relay.RelayTransport;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Registers the relay {@link Transport} service, always: which relay it uses is read from the node's
 * {@code node.relay_url} setting (the relay URL of {@code NodeService.configure}) before every cycle, so the UI
 * changes it without restarting anything. The framework property {@code felund.relay.url} is the relay used while
 * that setting is blank. Without either, the transport stays {@code OFFLINE} and sends nothing.
 * <p>
 * Further framework properties: {@code felund.relay.followSetting} (default true; false pins
 * {@code felund.relay.url}), {@code felund.relay.poll} (seconds, default 5), {@code felund.relay.ws} (default true)
 * and {@code felund.relay.tcpEndpoint} (the gossip address to advertise: {@code host:port}, or {@code :port} for the
 * host the relay observes). Without the latter, while the gossip transport is registered, the gossip address is
 * advertised as the gossip component computes it: port {@code felund.gossip.port}, else the node's
 * {@code node.port} setting, else 9999; host {@code felund.gossip.advertise}, else a concrete {@code node.bind}
 * address, else the host the relay observes. The transport is built at attach, when the node's settings are known.
 */
@Component(service = Transport.class, property = "transport.id=relay")
public final class RelayTransportComponent implements Transport {
	/** The node's settings keys for its gossip address (core's {@code NodeSettings.BIND_HOST} and {@code PORT}). */
	static final String NODE_BIND_SETTING = "node.bind";
	static final String NODE_PORT_SETTING = "node.port";

	/** Present while the gossip transport runs: only then does this node listen for TCP peers. */
	@Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY,
			target = "(transport.id=gossip)")
	Transport gossip;

	private Function<String, String> properties = key -> null;
	private RelayTransport delegate;

	@Activate
	void activate(BundleContext bundleContext) {
		properties = bundleContext::getProperty;
		// Fail at activation, with the property named, rather than at the first attach.
		options(properties, gossip != null, null);
	}

	@Deactivate
	void deactivate() {
		detach();
	}

	/**
	 * Reads the options; a bad value fails with a message naming the property.
	 *
	 * @param nodeSettings the node's settings (gossip port and bind host), or {@code null} when not known yet
	 */
	static RelayOptions options(Function<String, String> property, boolean gossipRunning, CircleStore nodeSettings) {
		RelayOptions o = RelayOptions.defaults();
		String url = property.apply("felund.relay.url");
		if (url != null && !url.isBlank()) {
			try {
				o = o.withBaseUrl(url.trim());
			} catch (IllegalArgumentException e) {
				throw new IllegalArgumentException("Framework property felund.relay.url: " + e.getMessage(), e);
			}
		}
		String follow = property.apply("felund.relay.followSetting");
		if (follow != null && !Boolean.parseBoolean(follow.trim())) {
			o = o.withUrlSetting("");
		}
		int poll = integer(property.apply("felund.relay.poll"), "felund.relay.poll", (int) o.pollInterval().toSeconds());
		if (poll < 1) {
			throw new IllegalArgumentException("Framework property felund.relay.poll must be at least 1, got " + poll);
		}
		o = o.withPollIntervals(Duration.ofSeconds(poll), o.livePollInterval());
		String ws = property.apply("felund.relay.ws");
		o = o.withWebSocket(ws == null || ws.isBlank() || Boolean.parseBoolean(ws.trim()));
		String endpoint = property.apply("felund.relay.tcpEndpoint");
		if (endpoint == null || endpoint.isBlank()) {
			endpoint = gossipRunning ? gossipEndpoint(property, nodeSettings) : "";
		}
		try {
			return o.withTcpEndpoint(endpoint);
		} catch (IllegalArgumentException e) {
			throw new IllegalArgumentException("Relay TCP endpoint '" + endpoint + "': " + e.getMessage(), e);
		}
	}

	/** Where the gossip component listens, as other nodes can dial it. */
	private static String gossipEndpoint(Function<String, String> property, CircleStore nodeSettings) {
		String portText = firstOf(property.apply("felund.gossip.port"), setting(nodeSettings, NODE_PORT_SETTING));
		int port = integer(portText, "felund.gossip.port", 9999);
		if (port < 1 || port > 65535) {
			return "";
		}
		String host = firstOf(property.apply("felund.gossip.advertise"), setting(nodeSettings, NODE_BIND_SETTING));
		host = host == null ? "" : host.trim();
		if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
			host = "";
		}
		return TcpEndpoint.format(host, port);
	}

	private static String firstOf(String a, String b) {
		return a != null && !a.isBlank() ? a : b != null && !b.isBlank() ? b : null;
	}

	private static String setting(CircleStore settings, String key) {
		return settings == null ? null : settings.setting(key).orElse(null);
	}

	private static int integer(String v, String key, int fallback) {
		if (v == null || v.isBlank()) {
			return fallback;
		}
		try {
			return Integer.parseInt(v.trim());
		} catch (NumberFormatException e) {
			throw new IllegalArgumentException("Framework property " + key + " must be an integer, got '" + v + "'", e);
		}
	}

	@Override
	public String id() {
		return RelayTransport.ID;
	}

	@Override
	public synchronized void attach(TransportContext context) {
		if (delegate != null) {
			throw new IllegalStateException("Relay transport is already attached");
		}
		RelayTransport transport = new RelayTransport(options(properties, gossip != null, context.state()));
		transport.attach(context);
		delegate = transport;
	}

	@Override
	public synchronized void detach() {
		RelayTransport transport = delegate;
		delegate = null;
		if (transport != null) {
			transport.detach();
		}
	}

	@Override
	public synchronized TransportState state() {
		return delegate == null ? TransportState.offline("Relay not attached") : delegate.state();
	}

	@Override
	public void syncNow(String circleId) {
		RelayTransport transport;
		synchronized (this) {
			transport = delegate;
		}
		if (transport != null) {
			transport.syncNow(circleId);
		}
	}
}
