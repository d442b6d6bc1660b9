package org.felund.transport.gossip.internal;

import java.time.Duration;

import org.felund.api.transport.Transport;
import org.felund.api.transport.TransportContext;
import org.felund.api.transport.TransportState;
import org.felund.transport.gossip.GossipOptions;
import org.felund.transport.gossip.GossipTransport;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Registers the gossip {@link Transport} service. Options come from framework properties:
 * {@code felund.gossip.port} (default 9999), {@code felund.gossip.bind} (default 0.0.0.0),
 * {@code felund.gossip.advertise}, {@code felund.gossip.interval} (seconds, default 5),
 * {@code felund.gossip.fanout} (default 5), {@code felund.gossip.allowLegacyPlaintext} (default false) and
 * {@code felund.gossip.extensions} (default true).
 */
@Component(service = Transport.class, property = "transport.id=gossip")
public final class GossipTransportComponent implements Transport {
	private GossipTransport delegate;

	@Activate
	void activate(org.osgi.framework.BundleContext bundleContext) {
		delegate = new GossipTransport(options(bundleContext::getProperty));
	}

	@Deactivate
	void deactivate() {
		delegate.detach();
	}

	/** Reads the options from a property lookup; bad values fail with a message naming the property. */
	static GossipOptions options(java.util.function.Function<String, String> property) {
		GossipOptions o = GossipOptions.defaults();
		String bind = property.apply("felund.gossip.bind");
		int port = integer(property, "felund.gossip.port", o.port());
		o = o.withBind(bind == null || bind.isBlank() ? o.bindHost() : bind.trim(), port);
		String advertise = property.apply("felund.gossip.advertise");
		if (advertise != null) {
			o = o.withAdvertisedHost(advertise);
		}
		o = o.withInterval(Duration.ofSeconds(integer(property, "felund.gossip.interval", 5)));
		o = o.withFanOut(integer(property, "felund.gossip.fanout", o.fanOut()));
		o = o.withAllowLegacyPlaintext(Boolean.parseBoolean(property.apply("felund.gossip.allowLegacyPlaintext")));
		String ext = property.apply("felund.gossip.extensions");
		o = o.withExtensions(ext == null || Boolean.parseBoolean(ext));
		return o;
	}

	private static int integer(java.util.function.Function<String, String> property, String key, int fallback) {
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
