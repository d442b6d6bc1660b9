package org.felund.transport.gossip.internal;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.felund.api.transport.Endpoint;
import org.felund.api.transport.Transport;
import org.felund.api.transport.TransportContext;
import org.felund.api.transport.TransportState;
import org.felund.transport.gossip.GossipOptions;
import org.felund.transport.gossip.GossipTransport;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;

/**
 * Registers the gossip {@link Transport} service. Its settings are its own configuration (PID
 * {@value GossipConfig#PID}, keys in {@link GossipConfig}, described in {@code OSGI-INF/metatype/gossip.xml});
 * without one it listens on 0.0.0.0:9999 with the reference's cadence. Framework properties {@code felund.gossip.*}
 * override single keys (see docs/architecture.md).
 * <p>
 * A changed configuration takes effect at once: while attached, the running {@link GossipTransport} is detached (its
 * endpoint withdrawn, sockets and threads released) and one with the new options attached to the same node, so the
 * service stays registered and nothing the node stored is lost (the next sync reconciles). A configuration that
 * cannot be used (a bad value, a port in use) leaves the transport registered but offline, with the reason in its
 * state, rather than failing somewhere the user never looks.
 */
@Component(name = GossipConfig.PID, service = Transport.class, property = "transport.id=gossip",
		configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class GossipTransportComponent implements Transport {
	private static final Logger LOG = Logger.getLogger(GossipTransportComponent.class.getName());

	private Function<String, String> properties = key -> null;
	private GossipConfig.Settings settings;
	private String problem;
	private TransportContext context;
	private volatile GossipTransport delegate;
	private volatile TransportState idleState = offline("Gossip not attached");

	@Activate
	void activate(BundleContext bundleContext, Map<String, Object> config) {
		properties = bundleContext::getProperty;
		configure(config);
	}

	/** A new configuration while active: applied to the running transport without unregistering the service. */
	@Modified
	synchronized void modified(Map<String, Object> config) {
		Object before = settings != null ? settings : problem;
		configure(config);
		Object after = settings != null ? settings : problem;
		// Saving unchanged settings (or only keys this component does not read) keeps the connections; a transport
		// that should run but does not (its port was taken) is tried again.
		boolean stalled = settings != null && settings.enabled() && delegate == null;
		if (context != null && (stalled || !java.util.Objects.equals(before, after))) {
			TransportContext c = context;
			stopDelegate();
			start(c);
		}
	}

	@Deactivate
	void deactivate() {
		detach();
	}

	/** For tests: the component as DS builds it, with framework properties from a map. */
	static GossipTransportComponent create(Map<String, String> frameworkProperties, Map<String, Object> config) {
		GossipTransportComponent c = new GossipTransportComponent();
		c.properties = frameworkProperties::get;
		c.configure(config);
		return c;
	}

	private synchronized void configure(Map<String, Object> config) {
		try {
			settings = GossipConfig.parse(config, properties);
			problem = null;
		} catch (IllegalArgumentException e) {
			LOG.log(Level.WARNING, "Gossip configuration refused: " + e.getMessage());
			settings = null;
			problem = e.getMessage();
		}
	}

	@Override
	public String id() {
		return GossipEngine.TRANSPORT_ID;
	}

	@Override
	public synchronized void attach(TransportContext newContext) {
		if (context != null) {
			throw new IllegalStateException("Gossip transport is already attached");
		}
		context = newContext;
		start(newContext);
	}

	private void start(TransportContext c) {
		if (problem != null) {
			idleState = new TransportState(TransportState.Mode.OFFLINE, 0, "Configuration refused: " + problem,
					GossipEngine.TRANSPORT_ID + ": error");
		} else if (!settings.enabled()) {
			idleState = new TransportState(TransportState.Mode.OFFLINE, 0, "Gossip is switched off",
					GossipEngine.TRANSPORT_ID + ": off");
		} else {
			GossipTransport transport = new GossipTransport(settings.options());
			try {
				transport.attach(c);
				delegate = transport;
				return;
			} catch (IllegalStateException e) {
				// The port is taken or the address is not ours: say so in the status, keep the service.
				LOG.log(Level.WARNING, e.getMessage());
				idleState = new TransportState(TransportState.Mode.OFFLINE, 0, e.getMessage(),
						GossipEngine.TRANSPORT_ID + ": error");
			}
		}
		c.stateChanged(this);
	}

	private void stopDelegate() {
		GossipTransport transport = delegate;
		delegate = null;
		if (transport != null) {
			transport.detach();
		}
	}

	@Override
	public synchronized void detach() {
		stopDelegate();
		context = null;
		idleState = offline("Gossip not attached");
	}

	private static TransportState offline(String detail) {
		return new TransportState(TransportState.Mode.OFFLINE, 0, detail, GossipEngine.TRANSPORT_ID + ": off");
	}

	@Override
	public TransportState state() {
		GossipTransport transport = delegate;
		return transport == null ? idleState : transport.state();
	}

	/**
	 * The address this configuration listens on, without listening: one-shot commands (e.g. {@code invite}) run with
	 * transports detached so as not to take a running node's port, and still need it for invite codes.
	 */
	@Override
	public synchronized List<Endpoint> configuredEndpoints() {
		if (settings == null || !settings.enabled() || settings.options().port() <= 0) {
			return List.of();
		}
		GossipOptions o = settings.options();
		String host = o.advertisedHost();
		if (host.isEmpty()) {
			host = LocalAddresses.isWildcard(o.bindHost()) ? LocalAddresses.lanAddress() : o.bindHost();
		}
		return List.of(new Endpoint(GossipEngine.TRANSPORT_ID, Endpoint.Kind.DIRECT,
				LocalAddresses.hostPort(host, o.port())));
	}

	@Override
	public void syncNow(String circleId) {
		GossipTransport transport = delegate;
		if (transport != null) {
			transport.syncNow(circleId);
		}
	}

	/** The running transport, or {@code null}: for tests. */
	GossipTransport running() {
		return delegate;
	}
}
