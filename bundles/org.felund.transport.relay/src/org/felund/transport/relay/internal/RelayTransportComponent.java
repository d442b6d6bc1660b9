package org.felund.transport.relay.internal;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.felund.api.transport.Endpoint;
import org.felund.api.transport.Transport;
import org.felund.api.transport.TransportContext;
import org.felund.api.transport.TransportState;
import org.felund.transport.relay.RelayTransport;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;

/**
 * Registers the relay {@link Transport} service. Which relay it uses and how is its own configuration (PID
 * {@value RelayConfig#PID}, keys in {@link RelayConfig}, described in {@code OSGI-INF/metatype/relay.xml});
 * without one it stays offline and sends nothing. Framework properties {@code felund.relay.*} override single keys.
 * While it runs with a relay, it advertises the relay's base URL as this node's {@code RELAY} endpoint (invite codes
 * for browsers are built from it); what it announces in presence is what the other transports advertise.
 * <p>
 * A changed configuration takes effect at once: the running {@link RelayTransport} is detached (unregistered from
 * its relay, sockets and threads released, endpoint withdrawn) and one with the new options attached to the same
 * node. Nothing is lost: push and pull cursors are kept per relay URL in the node's store, so what was stored in the
 * meantime is pushed, and what the relay kept is pulled, when that relay is used again.
 */
@Component(name = RelayConfig.PID, service = Transport.class, property = "transport.id=relay",
		configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class RelayTransportComponent implements Transport {
	private static final System.Logger LOG = System.getLogger(RelayTransportComponent.class.getName());

	private Function<String, String> properties = key -> null;
	private RelayConfig.Settings settings;
	private String problem;
	private TransportContext context;
	private volatile RelayTransport delegate;
	private volatile TransportState idleState = offline("Relay not attached");

	@Activate
	void activate(BundleContext bundleContext, Map<String, Object> config) {
		properties = bundleContext::getProperty;
		configure(config);
	}

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
	static RelayTransportComponent create(Map<String, String> frameworkProperties, Map<String, Object> config) {
		RelayTransportComponent c = new RelayTransportComponent();
		c.properties = frameworkProperties::get;
		c.configure(config);
		return c;
	}

	private synchronized void configure(Map<String, Object> config) {
		try {
			settings = RelayConfig.parse(config, properties);
			problem = null;
		} catch (IllegalArgumentException e) {
			LOG.log(System.Logger.Level.WARNING, "Relay configuration refused: " + e.getMessage());
			settings = null;
			problem = e.getMessage();
		}
	}

	@Override
	public String id() {
		return RelayTransport.ID;
	}

	@Override
	public synchronized void attach(TransportContext newContext) {
		if (context != null) {
			throw new IllegalStateException("Relay transport is already attached");
		}
		context = newContext;
		start(newContext);
	}

	private void start(TransportContext c) {
		if (problem != null) {
			idleState = new TransportState(TransportState.Mode.OFFLINE, 0, "Configuration refused: " + problem,
					RelayTransport.ID + ": error");
		} else if (!settings.enabled()) {
			idleState = offline("The relay transport is switched off");
		} else {
			RelayTransport transport = new RelayTransport(settings.options());
			transport.attach(c);
			delegate = transport;
			return;
		}
		c.stateChanged(this);
	}

	private void stopDelegate() {
		RelayTransport transport = delegate;
		delegate = null;
		if (transport != null) {
			transport.detach();
		}
	}

	@Override
	public synchronized void detach() {
		if (context != null) {
			stopDelegate();
		}
		context = null;
		idleState = offline("Relay not attached");
	}

	private static TransportState offline(String detail) {
		return new TransportState(TransportState.Mode.OFFLINE, 0, detail, RelayTransport.ID + ": off");
	}

	@Override
	public TransportState state() {
		RelayTransport transport = delegate;
		return transport == null ? idleState : transport.state();
	}

	/** The configured relays as this node's {@code RELAY} endpoints, also while detached (one-shot invite codes). */
	@Override
	public synchronized List<Endpoint> configuredEndpoints() {
		if (settings == null || !settings.enabled()) {
			return List.of();
		}
		return settings.options().urls().stream().map(u -> new Endpoint(RelayTransport.ID, Endpoint.Kind.RELAY, u))
				.toList();
	}

	@Override
	public void syncNow(String circleId) {
		RelayTransport transport = delegate;
		if (transport != null) {
			transport.syncNow(circleId);
		}
	}

	/** The running transport, or {@code null}: for tests. */
	RelayTransport running() {
		return delegate;
	}
}
