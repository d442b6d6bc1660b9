package org.felund.transport.relay.internal;

import java.time.Duration;
import java.util.function.Function;

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
 * host the relay observes). Without the latter, while the gossip transport is registered, its
 * {@code felund.gossip.advertise} host (or the observed host) and {@code felund.gossip.port} (default 9999) are
 * advertised.
 */
@Component(service = Transport.class, property = "transport.id=relay")
public final class RelayTransportComponent implements Transport {
	private RelayTransport delegate;

	/** Present while the gossip transport runs: only then does this node listen for TCP peers. */
	@Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY,
			target = "(transport.id=gossip)")
	Transport gossip;

	@Activate
	void activate(BundleContext bundleContext) {
		delegate = new RelayTransport(options(bundleContext::getProperty, gossip != null));
	}

	@Deactivate
	void deactivate() {
		delegate.detach();
	}

	/** Reads the options from a property lookup; a bad value fails with a message naming the property. */
	static RelayOptions options(Function<String, String> property, boolean gossipRunning) {
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
		int poll = integer(property, "felund.relay.poll", (int) o.pollInterval().toSeconds());
		if (poll < 1) {
			throw new IllegalArgumentException("Framework property felund.relay.poll must be at least 1, got " + poll);
		}
		o = o.withPollIntervals(Duration.ofSeconds(poll), o.livePollInterval());
		String ws = property.apply("felund.relay.ws");
		o = o.withWebSocket(ws == null || ws.isBlank() || Boolean.parseBoolean(ws.trim()));
		String endpoint = property.apply("felund.relay.tcpEndpoint");
		if (endpoint == null || endpoint.isBlank()) {
			endpoint = "";
			if (gossipRunning) {
				String host = property.apply("felund.gossip.advertise");
				int port = integer(property, "felund.gossip.port", 9999);
				endpoint = port == 0 ? "" : TcpEndpoint.format(host == null ? "" : host.trim(), port);
			}
		}
		try {
			return o.withTcpEndpoint(endpoint);
		} catch (IllegalArgumentException e) {
			throw new IllegalArgumentException("Relay TCP endpoint '" + endpoint + "': " + e.getMessage(), e);
		}
	}

	private static int integer(Function<String, String> property, String key, int fallback) {
		String v = property.apply(key);
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
		return delegate.id();
	}

	@Override
	public void attach(TransportContext context) {
		delegate.attach(context);
	}

	@Override
	public void detach() {
		delegate.detach();
	}

	@Override
	public TransportState state() {
		return delegate.state();
	}

	@Override
	public void syncNow(String circleId) {
		delegate.syncNow(circleId);
	}
}
