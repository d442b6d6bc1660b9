package org.felund.transport.gossip.internal;

import java.time.Duration;
import java.util.function.Function;

import org.felund.api.store.CircleStore;
import org.felund.api.transport.Transport;
import org.felund.api.transport.TransportContext;
import org.felund.api.transport.TransportState;
import org.felund.transport.gossip.GossipOptions;
import org.felund.transport.gossip.GossipTransport;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Registers the gossip {@link Transport} service. Options come from framework properties:
 * {@code felund.gossip.port} and {@code felund.gossip.bind} (when absent: the port and bind host the node keeps in
 * its settings, as the user configured them, else 9999 on 0.0.0.0), {@code felund.gossip.advertise},
 * {@code felund.gossip.interval} (seconds, default 5), {@code felund.gossip.fanout} (default 5),
 * {@code felund.gossip.allowLegacyPlaintext} (default false: sessions without encryption are refused) and
 * {@code felund.gossip.extensions} (default true).
 */
@Component(service = Transport.class, property = "transport.id=gossip")
public final class GossipTransportComponent implements Transport {
	/** The node's settings keys for its gossip address (core's {@code NodeSettings.BIND_HOST} and {@code PORT}). */
	static final String NODE_BIND_SETTING = "node.bind";
	static final String NODE_PORT_SETTING = "node.port";

	private Function<String, String> properties = key -> null;
	private volatile GossipTransport delegate;

	@Activate
	void activate(BundleContext bundleContext) {
		properties = bundleContext::getProperty;
	}

	@Deactivate
	void deactivate() {
		detach();
	}

	/** Reads the options from framework properties alone. */
	static GossipOptions options(Function<String, String> property) {
		return options(property, null);
	}

	/**
	 * Reads the options; framework properties win over the node's settings. Bad values fail with a message naming
	 * the property.
	 */
	static GossipOptions options(Function<String, String> property, CircleStore nodeSettings) {
		GossipOptions o = GossipOptions.defaults();
		String bind = firstOf(property.apply("felund.gossip.bind"), setting(nodeSettings, NODE_BIND_SETTING));
		String portProperty = property.apply("felund.gossip.port");
		int port = portProperty != null && !portProperty.isBlank() ? integer("felund.gossip.port", portProperty)
				: settingPort(nodeSettings, o.port());
		o = o.withBind(bind == null ? o.bindHost() : bind.trim(), port);
		String advertise = property.apply("felund.gossip.advertise");
		if (advertise != null) {
			o = o.withAdvertisedHost(advertise);
		}
		String interval = property.apply("felund.gossip.interval");
		if (interval != null && !interval.isBlank()) {
			o = o.withInterval(Duration.ofSeconds(integer("felund.gossip.interval", interval)));
		}
		String fanOut = property.apply("felund.gossip.fanout");
		if (fanOut != null && !fanOut.isBlank()) {
			o = o.withFanOut(integer("felund.gossip.fanout", fanOut));
		}
		o = o.withAllowLegacyPlaintext(Boolean.parseBoolean(property.apply("felund.gossip.allowLegacyPlaintext")));
		String ext = property.apply("felund.gossip.extensions");
		return o.withExtensions(ext == null || Boolean.parseBoolean(ext.trim()));
	}

	private static String firstOf(String a, String b) {
		return a != null && !a.isBlank() ? a : b != null && !b.isBlank() ? b : null;
	}

	private static String setting(CircleStore settings, String key) {
		return settings == null ? null : settings.setting(key).orElse(null);
	}

	private static int settingPort(CircleStore settings, int fallback) {
		String v = setting(settings, NODE_PORT_SETTING);
		try {
			return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
		} catch (NumberFormatException e) {
			return fallback; // the node validates what it stores; an unreadable value falls back to the default
		}
	}

	private static int integer(String key, String v) {
		try {
			return Integer.parseInt(v.trim());
		} catch (NumberFormatException e) {
			throw new IllegalArgumentException("Framework property " + key + " must be an integer, got '" + v + "'", e);
		}
	}

	@Override
	public String id() {
		return GossipEngine.TRANSPORT_ID;
	}

	@Override
	public synchronized void attach(TransportContext context) {
		if (delegate != null) {
			throw new IllegalStateException("Gossip transport is already attached");
		}
		GossipTransport transport = new GossipTransport(options(properties, context.state()));
		transport.attach(context);
		delegate = transport;
	}

	@Override
	public synchronized void detach() {
		GossipTransport transport = delegate;
		delegate = null;
		if (transport != null) {
			transport.detach();
		}
	}

	@Override
	public TransportState state() {
		GossipTransport transport = delegate;
		return transport == null ? TransportState.offline("Gossip not attached") : transport.state();
	}

	@Override
	public void syncNow(String circleId) {
		GossipTransport transport = delegate;
		if (transport != null) {
			transport.syncNow(circleId);
		}
	}
}
