package org.felund.webrtc.internal;

import org.felund.webrtc.RtcRuntime;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Registers the process's one {@link RtcRuntime}, so that every WebRTC plugin shares the native library, the
 * factories and the signal mailboxes. Registering loads nothing native; the first factory lease does.
 */
@Component(immediate = true)
public final class RtcRuntimeComponent {
	private RtcRuntime runtime;
	private ServiceRegistration<RtcRuntime> registration;

	@Activate
	void activate(BundleContext context) {
		runtime = new RtcRuntime();
		registration = context.registerService(RtcRuntime.class, runtime, null);
	}

	@Deactivate
	void deactivate() {
		if (registration != null) {
			registration.unregister();
		}
		runtime.close();
	}
}
