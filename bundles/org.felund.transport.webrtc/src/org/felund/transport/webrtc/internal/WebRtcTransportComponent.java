package org.felund.transport.webrtc.internal;

import java.util.Map;
import java.util.function.Function;

import org.felund.api.transport.Transport;
import org.felund.api.transport.TransportContext;
import org.felund.api.transport.TransportState;
import org.felund.transport.webrtc.WebRtcOptions;
import org.felund.transport.webrtc.WebRtcTransport;
import org.felund.webrtc.RtcRuntime;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;

/**
 * Registers the WebRTC {@link Transport} service. Its settings are the Configuration Admin PID
 * {@value WebRtcSettings#PID} (see {@link WebRtcSettings}); a changed configuration restarts the transport with the
 * new settings, without touching the node or the other transports. Uses the process's shared {@link RtcRuntime}.
 */
@Component(service = Transport.class, property = "transport.id=webrtc", configurationPid = WebRtcSettings.PID,
		configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class WebRtcTransportComponent implements Transport {
	private static final System.Logger LOG = System.getLogger(WebRtcTransportComponent.class.getName());

	@Reference
	RtcRuntime runtime;

	private Function<String, String> framework = key -> null;
	private WebRtcOptions options = WebRtcOptions.defaults();
	private WebRtcTransport delegate;
	private TransportContext context;

	@Activate
	void activate(BundleContext bundleContext, Map<String, Object> config) {
		framework = bundleContext::getProperty;
		// A bad value fails the activation with the key named, rather than the first attach.
		options = WebRtcSettings.options(config::get, framework);
	}

	@Modified
	void modified(Map<String, Object> config) {
		WebRtcOptions next;
		try {
			next = WebRtcSettings.options(config::get, framework);
		} catch (IllegalArgumentException e) {
			LOG.log(System.Logger.Level.WARNING, "WebRTC settings not applied: " + e.getMessage());
			return;
		}
		TransportContext attachedTo;
		synchronized (this) {
			options = next;
			attachedTo = context;
		}
		if (attachedTo != null) {
			detach();
			attach(attachedTo);
		}
	}

	@Deactivate
	void deactivate() {
		detach();
	}

	@Override
	public String id() {
		return WebRtcTransport.ID;
	}

	@Override
	public synchronized void attach(TransportContext newContext) {
		if (delegate != null) {
			throw new IllegalStateException("The WebRTC transport is already attached");
		}
		WebRtcTransport transport = new WebRtcTransport(runtime, options);
		context = newContext;
		delegate = transport;
		transport.attach(newContext);
	}

	@Override
	public void detach() {
		WebRtcTransport transport;
		synchronized (this) {
			transport = delegate;
			delegate = null;
			context = null;
		}
		if (transport != null) {
			transport.detach();
		}
	}

	@Override
	public synchronized TransportState state() {
		return delegate == null ? TransportState.offline("WebRTC not attached") : delegate.state();
	}

	@Override
	public void syncNow(String circleId) {
		WebRtcTransport transport;
		synchronized (this) {
			transport = delegate;
		}
		if (transport != null) {
			transport.syncNow(circleId);
		}
	}
}
